"""Dates, durations and amounts the Chinese way, for templates (core/templatetags/bankdesk.py) and code:
"2026-12-08 23:59" in the bank's time zone, "剩余 4 天 1 小时" / "超时 2 小时 5 分钟", "¥1,200.00"."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CENT = Decimal("0.01")


def local_datetime(moment: datetime | None) -> str:
    """Minutes in the bank's time zone (Asia/Shanghai): "2026-12-08 23:59"."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(moment) \
        else moment.strftime("%Y-%m-%d %H:%M")


def money(amount) -> str:
    """Yuan with thousands separators and two decimals: "¥1,200.00" ("-¥35.50" below zero)."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def duration(span: timedelta) -> str:
    """The two largest units of a span: "4 天 1 小时", "2 小时 5 分钟", "35 分钟" (under a minute: "1 分钟")."""
    minutes = max(1, int(abs(span).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, ngettext("%(count)d day", "%(count)d days", days)),
             (hours, ngettext("%(count)d hour", "%(count)d hours", hours)),
             (minutes, ngettext("%(count)d minute", "%(count)d minutes", minutes))]
    first = next(index for index, (count, _text) in enumerate(parts) if count)
    shown = [text % {"count": count} for count, text in parts[first:first + 2] if count]
    return " ".join(shown)


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """ "剩余 4 天 1 小时" before the deadline, "超时 2 小时 5 分钟" after it."""
    if deadline is None:
        return ""
    span = deadline - (now or timezone.now())
    if span >= timedelta(0):
        return _("%(duration)s left") % {"duration": duration(span)}
    return _("overdue by %(duration)s") % {"duration": duration(span)}
