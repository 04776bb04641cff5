from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bankdesk.core import caching, calendar
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import CalendarDay, CalendarYear, DayKind
from bankdesk.core.services import publish_calendar_year, seed_calendar_from_package, set_calendar_day


@pytest.fixture
def seeded(db):
    seed_calendar_from_package()
    return calendar.load()


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2025, 9, 26), 5, date(2025, 10, 10)),  # docs/domain-rules.md: Sun 28 Sep worked, 1–8 Oct off
        (date(2025, 9, 26), 0, date(2025, 9, 26)),
        (date(2024, 2, 8), 2, date(2024, 2, 18)),  # Spring Festival 10–17 Feb off, Sun 18 Feb worked
        (date(2024, 4, 3), 1, date(2024, 4, 7)),  # Qingming 4–6 Apr off, Sun 7 Apr worked
        (date(2024, 4, 30), 1, date(2024, 5, 6)),  # Labour Day 1–5 May off
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Sat 14 Feb 2026 is a make-up day
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # 15–23 Feb 2026 off
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sun 20 Sep 2026 is a make-up day
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # 1–7 Oct 2026 off
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Sat 10 Oct 2026 is a make-up day
    ],
)
def test_add_working_days_follows_official_calendar(seeded, start, days, expected):
    assert seeded.add_working_days(start, days) == calendar.DateAnswer(expected, False)


def test_working_days_between_counts_after_start_up_to_end(seeded):
    assert seeded.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == calendar.DaysAnswer(5, False)
    assert seeded.working_days_between(date(2025, 10, 10), date(2025, 9, 26)) == calendar.DaysAnswer(-5, False)
    assert seeded.working_days_between(date(2025, 10, 1), date(2025, 10, 8)).days == 0


def test_year_without_data_is_provisional_not_silently_weekends_only(seeded):
    answer = seeded.add_working_days(date(2026, 12, 28), 5)
    assert answer == calendar.DateAnswer(date(2027, 1, 4), True)
    assert seeded.working_days_between(date(2026, 12, 28), date(2027, 1, 8)).provisional
    assert calendar.missing_years(date(2026, 11, 25)) == [2027]


def test_entering_a_year_ends_provisional_answers(seeded, bank):
    set_calendar_day(bank.admin, date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    publish_calendar_year(bank.admin, 2027, "国务院办公厅通知")
    answer = calendar.add_working_days(date(2026, 12, 28), 5)
    assert answer == calendar.DateAnswer(date(2027, 1, 5), False)


def test_withdrawn_entry_is_kept_but_ignored(seeded, bank):
    set_calendar_day(bank.admin, date(2025, 10, 8), DayKind.ORDINARY, "录入错误")
    assert CalendarDay.objects.filter(date=date(2025, 10, 8)).exists()
    assert calendar.load().is_working_day(date(2025, 10, 8))


def test_seeding_twice_adds_nothing(seeded):
    days, years = CalendarDay.objects.count(), CalendarYear.objects.count()
    assert seed_calendar_from_package() == 0
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == (days, years)
    assert set(range(2004, 2027)) <= set(CalendarYear.objects.values_list("year", flat=True))


def test_only_calendar_managers_edit(seeded, agent):
    with pytest.raises(PermissionDenied):
        set_calendar_day(agent, date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    with pytest.raises(PermissionDenied):
        publish_calendar_year(agent, 2027, "x")


def test_bad_calendar_input_says_what_to_fix(seeded, bank):
    with pytest.raises(ValidationFailed) as failure:
        publish_calendar_year(bank.admin, 2027, " ")
    assert failure.value.field == "source"
    with pytest.raises(ValidationFailed) as failure:
        set_calendar_day(bank.admin, date(1999, 1, 1), DayKind.HOLIDAY, "")
    assert failure.value.field == "year"
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2024, 1, 1), date(2026, 11, 30)), days=st.integers(0, 40))
def test_between_inverts_add(start, days):
    seed_calendar_from_package()
    working = calendar.load()
    end = working.add_working_days(start, days).date
    assert working.working_days_between(start, end).days == days
    if days:
        assert working.is_working_day(end)


class TestCalendarApi:
    def test_add_working_days(self, seeded, logged_in, agent):
        response = logged_in(agent).get("/api/calendar/add-working-days", {"start": "2025-09-26", "days": 5})
        assert response.status_code == 200
        assert response.json() == {"date": "2025-10-10", "provisional": False}

    def test_working_days_between(self, seeded, logged_in, agent):
        response = logged_in(agent).get("/api/calendar/working-days-between",
                                        {"start": "2026-12-28", "end": "2027-01-04"})
        assert response.json() == {"days": 5, "provisional": True}

    @pytest.mark.parametrize("params, field", [
        ({"start": "2025-02-30", "days": 1}, "start"),
        ({"start": "2025-09-26", "days": -1}, "days"),
        ({"start": "2025-09-26"}, "days"),
    ])
    def test_bad_input_is_a_field_error(self, seeded, logged_in, agent, params, field):
        response = logged_in(agent).get("/api/calendar/add-working-days", params)
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid" and body["field"] == field and body["message"]

    def test_anonymous_is_refused(self, client, seeded):
        response = client.get("/api/calendar/add-working-days", {"start": "2025-09-26", "days": 5})
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


class TestProcessMemo:
    """`load` unpickles the cached calendar once per process, and sees every way the cache drops it."""

    def test_a_second_load_is_the_same_calendar_without_a_query(self, seeded, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert calendar.load() is seeded

    def test_invalidate_loads_the_new_calendar(self, seeded, bank):
        set_calendar_day(bank.admin, date(2025, 10, 8), DayKind.ORDINARY, "录入错误")
        assert calendar.load().is_working_day(date(2025, 10, 8))

    def test_a_cleared_cache_is_not_answered_from_the_memo(self, seeded):
        CalendarDay.objects.filter(date=date(2025, 10, 8)).update(kind=DayKind.ORDINARY)
        assert not calendar.load().is_working_day(date(2025, 10, 8))
        calendar.cache.clear()
        assert calendar.load().is_working_day(date(2025, 10, 8))

    def test_another_process_invalidating_is_seen(self, seeded):
        """Another process's `invalidate` drops the stamp from the shared cache; this one then reloads."""
        CalendarDay.objects.filter(date=date(2025, 10, 8)).update(kind=DayKind.ORDINARY)
        calendar.cache.delete(calendar.STAMP_KEY)
        assert calendar.load().is_working_day(date(2025, 10, 8))

    def test_a_scope_answers_with_one_calendar_until_it_ends(self, seeded, django_assert_num_queries):
        with caching.request_scope():
            assert calendar.load() is seeded
            calendar.cache.clear()
            with django_assert_num_queries(0):
                assert calendar.load() is seeded
        assert calendar.load() is not seeded
