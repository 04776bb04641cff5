"""The forecast recovers a synthetic series' known seasonality, trend and calendar effects."""

from datetime import date, timedelta

import numpy as np
import pytest

from bankdesk.workforce import forecasting
from bankdesk.workforce.tests import synthetic

START = date(2023, 1, 2)  # a Monday
CALENDAR = synthetic.golden_weeks(2023, 4)


@pytest.fixture(scope="module")
def two_years():
    return synthetic.history(START, 728, CALENDAR)


def test_forecast_follows_the_known_shape(two_years):
    model = forecasting.fit(two_years, CALENDAR)
    first = two_years.end
    predicted = forecasting.forecast(model, first, 28, CALENDAR)
    truth = synthetic.expected(first, 28, CALENDAR, origin=START)
    assert predicted.shape == (28, 48)
    assert forecasting.accuracy(truth, predicted).wape < 0.05
    # weekday × interval: a Monday is 2.5 Sundays, and the two spread over the day differently
    monday, sunday = [n for n in range(7) if (first + timedelta(days=n)).weekday() in (0, 6)]
    totals = predicted.sum(axis=1)
    assert totals[monday] / totals[sunday] == pytest.approx(1.25 / 0.5, rel=0.05)
    for day in (monday, sunday):
        shape = predicted[day] / totals[day]
        assert np.abs(shape - truth[day] / truth[day].sum()).sum() < 0.08


def test_holidays_and_make_up_days_come_from_the_calendar(two_years):
    model = forecasting.fit(two_years, CALENDAR)
    golden_week = date(2025, 9, 22)  # the week before, the holiday, the week after
    predicted = forecasting.forecast(model, golden_week, 21, CALENDAR)
    truth = synthetic.expected(golden_week, 21, CALENDAR, origin=START)
    days = predicted.sum(axis=1) / truth.sum(axis=1)
    assert days == pytest.approx(np.ones(21), abs=0.12)
    assert forecasting.accuracy(truth, predicted).wape < 0.08


def test_trend_is_carried_forward(two_years):
    model = forecasting.fit(two_years, CALENDAR)
    late = forecasting.forecast(model, date(2025, 3, 3), 7, CALENDAR).sum()
    early = forecasting.forecast(model, date(2024, 3, 4), 7, CALENDAR).sum()
    assert late / early == pytest.approx(1 + synthetic.GROWTH_PER_YEAR, abs=0.03)


def test_special_days_are_scaled_and_left_out_of_the_fit(two_years):
    spiked = forecasting.Series(two_years.start, 30, two_years.values.copy())
    outage = date(2024, 6, 4)
    spiked.values[(outage - START).days] *= 5  # a system outage brought five times the calls
    model = forecasting.fit(spiked, CALENDAR, special_days=frozenset({outage}))
    clean = forecasting.fit(two_years, CALENDAR)
    day = two_years.end
    assert forecasting.forecast(model, day, 7, CALENDAR).sum() == pytest.approx(
        forecasting.forecast(clean, day, 7, CALENDAR).sum(), rel=0.01)
    doubled = forecasting.forecast(model, day, 7, CALENDAR, factors={day: 2})
    plain = forecasting.forecast(model, day, 7, CALENDAR)
    assert doubled[0].sum() == pytest.approx(2 * plain[0].sum())
    assert doubled[1:].sum() == pytest.approx(plain[1:].sum())


def test_backtest_beats_the_naive_forecast(two_years):
    weeks = forecasting.backtest(two_years, CALENDAR, weeks=4)
    assert len(weeks) == 4 and weeks[0].first_day == two_years.end - timedelta(days=28)
    model, naive = forecasting.overall(weeks)
    assert model.wape < naive.wape and model.mape < naive.mape
    assert model.wape < 0.1


def test_short_history_has_no_yearly_terms_and_no_naive():
    short = synthetic.history(START, 42, CALENDAR)
    weeks = forecasting.backtest(short, CALENDAR, weeks=2)
    assert all(week.naive.wape is None for week in weeks)
    assert all(week.model.wape < 0.15 for week in weeks)
    with pytest.raises(ValueError):
        forecasting.fit(synthetic.history(START, 10, CALENDAR), CALENDAR)


def test_accuracy_measures():
    actual = np.array([[10.0, 0.0, 30.0]])
    predicted = np.array([[12.0, 1.0, 27.0]])
    score = forecasting.accuracy(actual, predicted)
    assert score.mape == pytest.approx((0.2 + 0.1) / 2)
    assert score.wape == pytest.approx(6 / 40)
