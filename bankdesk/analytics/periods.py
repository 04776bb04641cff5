"""Periods of the figures: days in China time (settings.TIME_ZONE), whole periods of a kind, and their
bounds as aware date-times, so that "from 1 to 31 May" means what the complaint list's received_from /
received_to filter means: from 00:00 on the first day to 24:00 on the last, local time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

KINDS = {
    "day": _("Day"), "week": _("Week"), "month": _("Month"), "quarter": _("Quarter"),
    "half": _("Half-year"), "year": _("Year"), "range": _("Range"),
}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return day_start(self.last + timedelta(days=1))

    def received_q(self, prefix: str = ""):
        from django.db.models import Q

        return Q(**{f"{prefix}received_at__gte": self.start, f"{prefix}received_at__lt": self.end})

    def __str__(self):
        return f"{self.first.isoformat()}–{self.last.isoformat()}" if self.first != self.last else self.first.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def containing(kind: str, day: date) -> Period:
    """The whole period of `kind` that holds `day` (weeks run Monday to Sunday)."""
    if kind == "day":
        return Period(day, day)
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    first_month = (day.month - 1) // months * months + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + months - 1))


def previous(kind: str, period: Period) -> Period:
    return containing(kind, period.first - timedelta(days=1))


def series(kind: str, last: Period, count: int) -> list[Period]:
    """`count` consecutive periods of `kind` ending with `last`, oldest first."""
    periods = [last]
    for _index in range(count - 1):
        periods.insert(0, previous(kind, periods[0]))
    return periods
