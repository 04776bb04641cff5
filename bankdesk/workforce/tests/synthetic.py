"""A synthetic contact history with known weekday × interval seasonality, trend and holidays."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from bankdesk.workforce.forecasting import Series

WEEKDAY_LEVEL = np.array([1.25, 1.1, 1.0, 1.0, 1.05, 0.6, 0.5])
HOLIDAY_LEVEL, MAKE_UP_LEVEL, AFTER_HOLIDAY_LEVEL = 0.35, 1.1, 1.6
GROWTH_PER_YEAR = 0.10


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset = field(default_factory=frozenset)
    workdays: frozenset = field(default_factory=frozenset)


def golden_weeks(first_year: int, years: int) -> Calendar:
    """1–7 October off each year, with the Saturday before it (or the Sunday) worked instead."""
    holidays, workdays = set(), set()
    for year in range(first_year, first_year + years):
        holidays |= {date(year, 10, 1) + timedelta(days=n) for n in range(7)}
        makeup = date(year, 9, 30)
        while makeup.weekday() < 5:
            makeup -= timedelta(days=1)
        workdays.add(makeup)
    return Calendar(frozenset(holidays), frozenset(workdays))


def intraday_shape(per_day: int, weekend: bool) -> np.ndarray:
    hours = (np.arange(per_day) + 0.5) * 24 / per_day
    peak = np.exp(-((hours - 10.5) / 2.5) ** 2) + 0.8 * np.exp(-((hours - 15) / 2.5) ** 2)
    shape = 0.03 + (0.6 if weekend else 1.0) * peak + (0.3 if weekend else 0) * np.exp(-((hours - 13) / 4) ** 2)
    return shape / shape.sum()


def level(day: date, start: date, calendar: Calendar, per_day_total: float) -> tuple[float, bool]:
    years = (day - start).days / 365.25
    trend = per_day_total * (1 + GROWTH_PER_YEAR) ** years
    if day in calendar.holidays:
        return trend * HOLIDAY_LEVEL, True
    if day in calendar.workdays:
        return trend * MAKE_UP_LEVEL, False
    if day.weekday() < 5 and day - timedelta(days=1) in calendar.holidays:
        return trend * AFTER_HOLIDAY_LEVEL, False
    return trend * WEEKDAY_LEVEL[day.weekday()], day.weekday() >= 5


def expected(start: date, days: int, calendar: Calendar, interval_minutes: int = 30,
             per_day_total: float = 3000, origin: date | None = None) -> np.ndarray:
    per_day = 1440 // interval_minutes
    rows = []
    for n in range(days):
        day = start + timedelta(days=n)
        total, weekend = level(day, origin or start, calendar, per_day_total)
        rows.append(total * intraday_shape(per_day, weekend))
    return np.array(rows)


def history(start: date, days: int, calendar: Calendar, interval_minutes: int = 30, seed: int = 3,
            per_day_total: float = 3000) -> Series:
    mean = expected(start, days, calendar, interval_minutes, per_day_total)
    counts = np.random.default_rng(seed).poisson(mean).astype(float)
    return Series(start, interval_minutes, counts)
