"""Offered contacts per interval, forecast from history; accuracy on held-out weeks against a naive forecast.

A transparent two-part model rather than a black box, so a planner can read why a number is what it is:

* the day's total is a log-linear regression (numpy least squares) on a trend, the kind of day and,
  with a year of history, two yearly harmonics. The kind of day is the weekday for an ordinary day,
  or "public holiday", "make-up working day" (调休) or "first working day after a holiday" from the
  bank's working-day calendar. Days a planner marked special are left out of the fit and scaled by
  the planner's factor in the forecast. Exp of the fit is corrected by Duan's smearing factor.
* the day's total is spread over the intervals by the profile of that kind of day: the share of each
  interval in the recent days of that kind (the last `profile_days` of them), weighted by volume.

Why not statsmodels' exponential smoothing or SARIMA: the seasonality here is weekday × interval
with calendar-driven exceptions (holidays move every year, make-up days are Saturdays that behave
like workdays); seasonal models on the interval series need 336-step seasons and cannot take a
calendar, while the regression takes the calendar as a column and fits two years in milliseconds.

The naive forecast is the same interval 364 days earlier: the same weekday of the same week last year.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

HOLIDAY = "holiday"
MAKE_UP_DAY = "make_up"
AFTER_HOLIDAY = "after_holiday"
WEEKDAYS = tuple(str(n) for n in range(7))  # Monday "0" … Sunday "6"
KINDS = (*WEEKDAYS, HOLIDAY, MAKE_UP_DAY, AFTER_HOLIDAY)
FALLBACK = {HOLIDAY: "6", MAKE_UP_DAY: "0", AFTER_HOLIDAY: "0"}  # profile when a kind has no history yet
NAIVE_LAG_DAYS = 364
YEAR_DAYS = 365.25
HARMONICS = 2  # yearly sine/cosine pairs, with a year of history


@dataclass(frozen=True)
class Series:
    """Contacts per interval: one row per day from `start`, one column per interval; NaN where unknown."""

    start: date
    interval_minutes: int
    values: np.ndarray

    @property
    def days(self) -> int:
        return self.values.shape[0]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def until(self, day: date) -> "Series":
        return Series(self.start, self.interval_minutes, self.values[: (day - self.start).days])

    def window(self, first: date, days: int) -> np.ndarray:
        """Rows for `days` days from `first`, NaN outside the series."""
        out = np.full((days, self.values.shape[1]), np.nan)
        offset = (first - self.start).days
        lo, hi = max(0, offset), min(self.days, offset + days)
        if lo < hi:
            out[lo - offset: hi - offset] = self.values[lo:hi]
        return out


def day_kinds(days: list[date], calendar) -> list[str]:
    """The kind of each day from the working-day calendar (`holidays` and `workdays` sets)."""
    kinds = []
    for day in days:
        if day in calendar.holidays:
            kinds.append(HOLIDAY)
        elif day in calendar.workdays:
            kinds.append(MAKE_UP_DAY)
        elif day.weekday() < 5 and (day - timedelta(days=1)) in calendar.holidays:
            kinds.append(AFTER_HOLIDAY)
        else:
            kinds.append(str(day.weekday()))
    return kinds


def _design(days: list[date], kinds: list[str], origin: date, kind_columns: list[str], yearly: bool) -> np.ndarray:
    t = np.array([(day - origin).days for day in days], dtype=float)
    columns = [np.ones_like(t), t / YEAR_DAYS]
    columns += [np.array([kind == column for kind in kinds], dtype=float) for column in kind_columns]
    if yearly:
        angle = 2 * math.pi * np.array([day.timetuple().tm_yday for day in days]) / YEAR_DAYS
        for k in range(1, HARMONICS + 1):
            columns += [np.sin(k * angle), np.cos(k * angle)]
    return np.column_stack(columns)


@dataclass(frozen=True)
class Model:
    interval_minutes: int
    origin: date
    kind_columns: list[str]
    yearly: bool
    coefficients: np.ndarray
    smearing: float
    profiles: dict[str, np.ndarray]

    def daily_totals(self, days: list[date], kinds: list[str]) -> np.ndarray:
        known = [k if k in self.kind_columns or k in WEEKDAYS else FALLBACK[k] for k in kinds]
        design = _design(days, known, self.origin, self.kind_columns, self.yearly)
        return np.maximum(np.exp(design @ self.coefficients) * self.smearing - 1, 0)

    def profile(self, kind: str) -> np.ndarray:
        return self.profiles.get(kind, self.profiles.get(FALLBACK.get(kind, ""), self.profiles["all"]))


def _profiles(values: np.ndarray, kinds: list[str], profile_days: int) -> dict[str, np.ndarray]:
    complete = ~np.isnan(values).any(axis=1)
    per_day = values.shape[1]
    profiles = {"all": _shares(values[complete][-profile_days * 7:], per_day)}
    for kind in KINDS:
        rows = [n for n, k in enumerate(kinds) if k == kind and complete[n]][-profile_days:]
        if rows:
            profiles[kind] = _shares(values[rows], per_day)
    return profiles


def _shares(rows: np.ndarray, per_day: int) -> np.ndarray:
    volume = rows.sum(axis=0) if len(rows) else np.zeros(per_day)
    total = volume.sum()
    return volume / total if total > 0 else np.full(per_day, 1 / per_day)


def fit(history: Series, calendar, special_days: frozenset = frozenset(), profile_days: int = 8) -> Model:
    """Fit the daily regression and the intraday profiles; raises ValueError without two full weeks."""
    days, values = history.dates(), history.values
    kinds = day_kinds(days, calendar)
    usable = [n for n, day in enumerate(days) if day not in special_days and not np.isnan(values[n]).any()]
    if len(usable) < 14:
        raise ValueError("at least two weeks of complete history are needed")
    seen = {kinds[n] for n in usable}
    kind_columns = [k for k in KINDS[1:] if k in seen]  # Monday is the base level
    yearly = (days[usable[-1]] - days[usable[0]]).days >= 365
    design = _design([days[n] for n in usable], [kinds[n] for n in usable], history.start, kind_columns, yearly)
    target = np.log1p(values[usable].sum(axis=1))
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    smearing = float(np.mean(np.exp(target - design @ coefficients)))
    return Model(history.interval_minutes, history.start, kind_columns, yearly, coefficients, smearing,
                 _profiles(values, kinds, profile_days))


def forecast(model: Model, first: date, days: int, calendar, factors: dict | None = None) -> np.ndarray:
    """Contacts per interval for `days` days from `first` (rows days, columns intervals)."""
    dates = [first + timedelta(days=n) for n in range(days)]
    kinds = day_kinds(dates, calendar)
    totals = model.daily_totals(dates, kinds)
    scale = np.array([float((factors or {}).get(day, 1)) for day in dates])
    return np.vstack([model.profile(kind) for kind in kinds]) * (totals * scale)[:, None]


def naive(history: Series, first: date, days: int) -> np.ndarray:
    """The same interval of the same weekday 52 weeks earlier."""
    return history.window(first - timedelta(days=NAIVE_LAG_DAYS), days)


@dataclass(frozen=True)
class Accuracy:
    mape: float | None  # mean absolute percentage error over intervals with contacts
    wape: float | None  # absolute errors over the contacts


def accuracy(actual: np.ndarray, predicted: np.ndarray) -> Accuracy:
    known = ~np.isnan(actual) & ~np.isnan(predicted)
    a, p = actual[known], predicted[known]
    if a.size == 0:
        return Accuracy(None, None)
    positive = a > 0
    mape = float(np.mean(np.abs(p[positive] - a[positive]) / a[positive])) if positive.any() else None
    wape = float(np.abs(p - a).sum() / a.sum()) if a.sum() > 0 else None
    return Accuracy(mape, wape)


@dataclass(frozen=True)
class WeekAccuracy:
    first_day: date
    model: Accuracy
    naive: Accuracy


def backtest(history: Series, calendar, weeks: int, special_days: frozenset = frozenset(),
             profile_days: int = 8) -> list[WeekAccuracy]:
    """Fit on the history before the last `weeks` weeks, forecast them, and score week by week."""
    cut = history.end - timedelta(days=7 * weeks)
    model = fit(history.until(cut), calendar, special_days, profile_days)
    predicted = forecast(model, cut, 7 * weeks, calendar)
    baseline = naive(history, cut, 7 * weeks)
    actual = history.window(cut, 7 * weeks)
    special_rows = np.array([cut + timedelta(days=n) in special_days for n in range(7 * weeks)])
    actual[special_rows] = np.nan  # a special day's factor is the planner's, not the model's
    rows = []
    for week in range(weeks):
        part = slice(7 * week, 7 * week + 7)
        rows.append(WeekAccuracy(cut + timedelta(days=7 * week), accuracy(actual[part], predicted[part]),
                                 accuracy(actual[part], baseline[part])))
    return rows


def overall(weeks: list[WeekAccuracy]) -> tuple[Accuracy, Accuracy]:
    """Averages of the weekly scores of the model and of the naive forecast (the weeks are equal in length)."""
    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    return tuple(Accuracy(mean(getattr(w, side).mape for w in weeks),
                          mean(getattr(w, side).wape for w in weeks)) for side in ("model", "naive"))
