"""Working days on the official PRC calendar.

Weekends and public holidays are off, make-up days (调休) are on. Holidays live in the editable
CalendarDay table, seeded from the chinese-calendar package. A year without a CalendarYear row has
no official data: answers touching it are computed on weekends only and flagged provisional.

The calendar is cached for a minute in the shared cache, under a stamp kept beside it. Each process
also keeps the last calendar it unpickled and uses it while the cache still holds the same stamp: a
look-up of a short string instead of unpickling every holiday on each deadline computed. Dropping the
stamp (`invalidate`, the cache expiring or being cleared) makes every process load it again.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from bankdesk.core import caching
from bankdesk.core.models import CalendarDay, CalendarYear, DayKind

CACHE_KEY = "bankdesk:working-calendar"
STAMP_KEY = "bankdesk:working-calendar:stamp"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class DateAnswer:
    date: date
    provisional: bool


@dataclass(frozen=True)
class DaysAnswer:
    days: int
    provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset
    workdays: frozenset
    known_years: frozenset

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def is_known(self, day: date) -> bool:
        return day.year in self.known_years

    def working_days_after(self, start: date, days: int) -> tuple[list[date], bool]:
        """The next `days` working days after `start`, and whether any answer is provisional."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, found, provisional = start, [], not self.is_known(start)
        while len(found) < days:
            current += timedelta(days=1)
            provisional = provisional or not self.is_known(current)
            if self.is_working_day(current):
                found.append(current)
        return found, provisional

    def add_working_days(self, start: date, days: int) -> DateAnswer:
        """The day on which a clock of `days` working days started on `start` runs out.

        Counting starts the day after `start`; a clock of 0 days ends on `start`.
        """
        found, provisional = self.working_days_after(start, days)
        return DateAnswer(found[-1] if found else start, provisional)

    def working_days_between(self, start: date, end: date) -> DaysAnswer:
        """Working days after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            answer = self.working_days_between(end, start)
            return DaysAnswer(-answer.days, answer.provisional)
        days, provisional, current = 0, not self.is_known(start), start
        while current < end:
            current += timedelta(days=1)
            provisional = provisional or not self.is_known(current)
            days += self.is_working_day(current)
        return DaysAnswer(days, provisional)


_memo: tuple[str, WorkingCalendar] | None = None  # (stamp, calendar) last unpickled by this process


def _read() -> WorkingCalendar:
    rows = list(CalendarDay.objects.values_list("date", "kind"))
    return WorkingCalendar(
        holidays=frozenset(day for day, kind in rows if kind == DayKind.HOLIDAY),
        workdays=frozenset(day for day, kind in rows if kind == DayKind.WORKDAY),
        known_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def load() -> WorkingCalendar:
    return caching.read_once(STAMP_KEY, _current)


def _current() -> WorkingCalendar:
    global _memo
    stamp, memo = cache.get(STAMP_KEY), _memo
    if memo is not None and stamp is not None and memo[0] == stamp:
        return memo[1]
    entry = cache.get(CACHE_KEY)
    if entry is None or entry[0] != stamp:
        entry = (uuid.uuid4().hex, _read())
        cache.set_many({CACHE_KEY: entry, STAMP_KEY: entry[0]}, CACHE_SECONDS)
    _memo = entry
    return entry[1]


def invalidate() -> None:
    global _memo
    _memo = None
    caching.drop(STAMP_KEY)
    caching.drop(CACHE_KEY)


def add_working_days(start: date, days: int) -> DateAnswer:
    return load().add_working_days(start, days)


def working_days_between(start: date, end: date) -> DaysAnswer:
    return load().working_days_between(start, end)


def missing_years(today: date) -> list[int]:
    """This year and next, where their official calendar has not been entered yet."""
    known = load().known_years
    return [year for year in (today.year, today.year + 1) if year not in known]


def day_start(day: date) -> datetime:
    """The first moment of `day` in the bank's time zone, for filtering times by date."""
    return timezone.make_aware(datetime.combine(day, time.min))
