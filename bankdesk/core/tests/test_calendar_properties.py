"""Properties of the working-day calendar (core/calendar.py) over the official PRC calendar.

The calendar is seeded once per module from chinese-calendar into the CalendarDay table (then rolled
back) and loaded the way the application loads it; the properties run on that `WorkingCalendar`.
chinese-calendar itself is the independent oracle for the years it knows (2004-2026).
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bankdesk.core import calendar
from bankdesk.core.services import seed_calendar_from_package

FIRST_OFFICIAL, LAST_OFFICIAL = date(2004, 1, 1), date(2026, 12, 31)
ENTERABLE = (date(2000, 1, 1), date(2100, 12, 31))  # the years an administrator may enter (core.services)

official_days = st.dates(FIRST_OFFICIAL, LAST_OFFICIAL)
enterable_days = st.dates(*ENTERABLE)
counts = st.integers(1, 400)
offsets = st.integers(-800, 800)  # between two dates a couple of years apart at most: each count walks the days

# Every test asks for the database, so pytest-django sets up the test database before `working` reads it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def working(django_db_setup, django_db_blocker) -> calendar.WorkingCalendar:
    with django_db_blocker.unblock(), transaction.atomic():
        seed_calendar_from_package()
        loaded = calendar.load()
        transaction.set_rollback(True)
    return loaded


def years_between(first: date, last: date) -> set[int]:
    return set(range(min(first, last).year, max(first, last).year + 1))


def test_every_official_day_agrees_with_chinese_calendar(working):
    """All 8,401 days of 2004-2026, not a sample: the seeded table answers as the package does."""
    day, disagreements = FIRST_OFFICIAL, []
    while day <= LAST_OFFICIAL:
        if working.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []
    assert set(range(2004, 2027)) <= working.known_years


@settings(max_examples=300, deadline=None)
@given(start=st.dates(FIRST_OFFICIAL, date(2026, 6, 30)), days=st.integers(1, 120))
@example(start=date(2025, 9, 26), days=5)  # docs/domain-rules.md: ends on Friday 10 October 2025
def test_add_working_days_is_the_packages_nth_workday_after_start(working, start, days):
    expected = chinese_calendar.find_workday(days - 1, start + timedelta(days=1))
    assert working.add_working_days(start, days) == calendar.DateAnswer(expected, False)


@settings(max_examples=300, deadline=None)
@given(start=enterable_days, days=counts)
def test_lands_on_a_working_day_after_start_and_counts_exactly_n(working, start, days):
    end = working.add_working_days(start, days).date
    assert end > start
    assert working.is_working_day(end)
    assert working.working_days_between(start, end).days == days
    # ... and the day before it still lacks one working day: no working day is skipped or counted twice.
    assert working.working_days_between(start, end - timedelta(days=1)).days == days - 1


@settings(max_examples=200, deadline=None)
@given(start=enterable_days)
def test_zero_days_end_on_the_start_day(working, start):
    assert working.add_working_days(start, 0).date == start
    assert working.working_days_between(start, start).days == 0


@settings(max_examples=300, deadline=None)
@given(start=enterable_days, days=counts, more=st.integers(1, 60))
def test_strictly_increasing_in_days(working, start, days, more):
    assert working.add_working_days(start, days).date < working.add_working_days(start, days + more).date


@settings(max_examples=300, deadline=None)
@given(start=enterable_days, later_by=st.integers(0, 400), days=st.integers(0, 400))
def test_monotonic_in_the_start(working, start, later_by, days):
    later = start + timedelta(days=later_by)
    assert working.add_working_days(start, days).date <= working.add_working_days(later, days).date


@settings(max_examples=300, deadline=None)
@given(start=enterable_days, offset=offsets, days=counts)
def test_adding_and_counting_are_adjoint(working, start, offset, days):
    """A clock of n working days has run out by `day` exactly when n working days lie in (start, day]."""
    day = start + timedelta(days=offset)
    run_out = working.add_working_days(start, days).date <= day
    assert run_out == (days <= working.working_days_between(start, day).days)


@settings(max_examples=300, deadline=None)
@given(a=enterable_days, to_b=offsets, to_c=offsets)
def test_counting_is_antisymmetric_and_additive(working, a, to_b, to_c):
    b = a + timedelta(days=to_b)
    c = b + timedelta(days=to_c)
    ab, ba = working.working_days_between(a, b), working.working_days_between(b, a)
    assert ab.days == -ba.days and ab.provisional == ba.provisional
    assert ab.days + working.working_days_between(b, c).days == working.working_days_between(a, c).days
    assert abs(ab.days) <= abs((b - a).days)


@settings(max_examples=300, deadline=None)
@given(start=enterable_days, days=st.integers(0, 400), offset=offsets)
@example(start=date(2026, 12, 28), days=5, offset=7)  # 2027 has no official data yet
def test_an_answer_is_provisional_exactly_when_it_touches_a_year_without_data(working, start, days, offset):
    end = start + timedelta(days=offset)
    added = working.add_working_days(start, days)
    assert added.provisional == bool(years_between(start, added.date) - working.known_years)
    counted = working.working_days_between(start, end)
    assert counted.provisional == bool(years_between(start, end) - working.known_years)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(2027, 1, 1), ENTERABLE[1]))
def test_a_year_without_data_is_weekends_only(working, day):
    assert working.is_working_day(day) == (day.weekday() < 5)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(), days=st.integers(0, 3650))
@example(start=date.max, days=1)
@example(start=date.min, days=3650)
def test_whole_date_range_answers_or_overflows_only_past_the_last_date(working, start, days):
    """Any date Python can hold: an answer, or OverflowError only where the answer lies past 9999-12-31."""
    try:
        answer = working.add_working_days(start, days)
    except OverflowError:
        assert (date.max - start).days < days * 7 // 5 + 30  # no room for `days` working days
    else:
        assert answer.date >= start and answer.provisional == bool(
            years_between(start, answer.date) - working.known_years)


class TestApi:
    """The API takes any date: it answers, or refuses with the documented field error, never a 500."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=st.dates(), days=st.integers(0, 3650))
    @example(start=date(9999, 12, 30), days=5)
    @example(start=date.max, days=0)
    def test_add_working_days_never_fails_on_a_valid_date(self, logged_in, agent, start, days):
        response = logged_in(agent).get("/api/calendar/add-working-days", {"start": start.isoformat(), "days": days})
        assert response.status_code in (200, 400, 422), response.content
        body = response.json()
        if response.status_code != 200:
            assert body["code"] == "invalid" and body["field"] == "start" and body["message"]
        else:
            assert date.fromisoformat(body["date"]) >= start

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=st.dates(), span=st.integers(-8000, 8000))
    @example(start=date.min, span=0)
    def test_working_days_between_never_fails_on_valid_dates(self, logged_in, agent, start, span):
        try:
            end = start + timedelta(days=span)
        except OverflowError:
            end = date.max if span > 0 else date.min
        response = logged_in(agent).get("/api/calendar/working-days-between",
                                        {"start": start.isoformat(), "end": end.isoformat()})
        assert response.status_code in (200, 400, 422), response.content
        if response.status_code == 400:
            assert response.json()["field"] == "end" and abs((end - start).days) > 366 * 20
        elif response.status_code == 422:  # outside 1900-01-01 .. 2100-12-31 (core/inputs.py)
            assert response.json()["field"] in ("start", "end")
            assert not all(date(1900, 1, 1) <= day <= date(2100, 12, 31) for day in (start, end))

    def test_a_start_too_close_to_the_last_date_is_a_field_error_in_chinese(self, logged_in, agent):
        """Regression: 9999-12-30 plus 5 working days overflowed into a 500 (OverflowError); the API
        now takes dates between 1900 and 2100 only."""
        response = logged_in(agent).get("/api/calendar/add-working-days", {"start": "9999-12-30", "days": 5})
        assert response.status_code == 422
        body = response.json()
        assert body["field"] == "start" and "2100-12-31" in body["message"] and "请" in body["message"]
