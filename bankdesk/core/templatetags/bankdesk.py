from django import template
from django.utils import timezone

from bankdesk.core import formats
from bankdesk.core.audit import action_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("local_datetime", formats.local_datetime)  # {{ at|local_datetime }}: 2026-12-08 23:59
register.filter("money", formats.money)  # {{ amount|money }}: ¥1,200.00
register.filter("duration", formats.duration)  # {{ span|duration }}: 4 天 1 小时


@register.filter
def time_left(deadline, now=None) -> str:
    """{{ deadline|time_left }} or {{ deadline|time_left:now }}: 剩余 4 天 1 小时, 超时 2 小时 5 分钟."""
    return formats.time_left(deadline, now)


@register.filter
def duration_until(deadline, now=None) -> str:
    """{{ deadline|duration_until:now }}: the span between now and the deadline, either way, the Chinese way
    (4 天 1 小时): for "剩余 …" and "超时 …" sentences that say which it is themselves."""
    if not deadline:
        return ""
    return formats.duration(deadline - (now or timezone.now()))


@register.inclusion_tag("core/_sort_link.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by `key` ("name" ascending or "-name" descending first) and
    reverses the order when clicked again."""
    current = context.get("sort", "")
    reverse = key[1:] if key.startswith("-") else f"-{key}"
    target = reverse if current == key else key
    arrow = ("▼" if current.startswith("-") else "▲") if current in (key, reverse) else ""
    return {"request": context["request"], "target": target, "arrow": arrow, "label": label}
