from django import template

from bankdesk.core.audit import action_label

register = template.Library()
register.filter("action_label", action_label)


@register.filter
def as_lines(data) -> list[str]:
    """A before/after dict as "key: value" lines."""
    if not isinstance(data, dict):
        return [] if data is None else [str(data)]
    return [f"{key}: {'—' if value in (None, '') else value}" for key, value in data.items()]


@register.inclusion_tag("core/_sort_link.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by `key` ("name" ascending or "-name" descending first) and
    reverses the order when clicked again."""
    current = context.get("sort", "")
    reverse = key[1:] if key.startswith("-") else f"-{key}"
    target = reverse if current == key else key
    arrow = ("▼" if current.startswith("-") else "▲") if current in (key, reverse) else ""
    return {"request": context["request"], "target": target, "arrow": arrow, "label": label}
