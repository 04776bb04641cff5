"""A queue's ACD history as the forecast reads it: contacts offered and handle time per local day and interval.

A day with at least one interval row counts as recorded: its intervals without a row had no calls (ACD
exports often leave empty intervals out). A day without any row is unknown (NaN), and so is the
forecast's own first day onwards. Intervals longer than the forecast's are not split; shorter ones are
added up into it.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from bankdesk.workforce.forecasting import Series


@dataclass(frozen=True)
class History:
    offered: Series
    handle_seconds: np.ndarray  # same shape as offered.values, 0 where unknown
    answered: np.ndarray


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def interval_minutes_of(queue, default: int) -> int:
    """The most common interval length of the queue's statistics (the forecast's interval)."""
    from bankdesk.callcenter.models import IntervalStat

    lengths = Counter(IntervalStat.objects.filter(queue=queue).order_by("-interval_start")
                      .values_list("length_minutes", flat=True)[:2000])
    return lengths.most_common(1)[0][0] if lengths else default


def _rows(queue, until: date):
    from bankdesk.callcenter.models import IntervalStat

    return (IntervalStat.objects.filter(queue=queue, interval_start__lt=local_midnight(until))
            .order_by("interval_start")
            .values_list("interval_start", "offered", "answered", "handle_time_seconds"))


def load(queue, until: date, interval_minutes: int) -> History | None:
    """Every recorded day of the queue before `until`; None when there is none."""
    rows = [(timezone.localtime(start), offered, answered, handle) for start, offered, answered, handle
            in _rows(queue, until)]
    if not rows:
        return None
    first = rows[0][0].date()
    days, per_day = (until - first).days, 1440 // interval_minutes
    offered = np.full((days, per_day), np.nan)
    handle, answered = np.zeros((days, per_day)), np.zeros((days, per_day))
    recorded = sorted({(start.date() - first).days for start, *_rest in rows})
    offered[recorded] = 0
    for start, calls, answered_calls, handle_seconds in rows:
        day, slot = (start.date() - first).days, (start.hour * 60 + start.minute) // interval_minutes
        offered[day, slot] += calls
        answered[day, slot] += answered_calls
        handle[day, slot] += handle_seconds
    return History(Series(first, interval_minutes, offered), handle, answered)


def handle_time_profile(history: History, weeks: int = 8) -> np.ndarray:
    """Average handle time per weekday (rows, Monday first) and interval over the last `weeks` weeks:
    sums over sums, falling back to the interval's over all days, then to the whole history's."""
    recent = slice(max(0, history.offered.days - 7 * weeks), history.offered.days)
    weekdays = np.array([(history.offered.start + timedelta(days=n)).weekday()
                         for n in range(history.offered.days)])[recent]
    handle, answered = history.handle_seconds[recent], history.answered[recent]
    overall = handle.sum() / answered.sum() if answered.sum() else np.nan
    by_slot = np.divide(handle.sum(axis=0), answered.sum(axis=0), out=np.full(handle.shape[1], overall),
                        where=answered.sum(axis=0) > 0)
    profile = np.tile(by_slot, (7, 1))
    for weekday in range(7):
        rows = weekdays == weekday
        sums, counts = handle[rows].sum(axis=0), answered[rows].sum(axis=0)
        np.divide(sums, counts, out=profile[weekday], where=counts > 0)
    return profile
