"""Indicator arithmetic (ratios of sums), the wallboard and the KPI page; scope and rights."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bankdesk.callcenter import kpis
from bankdesk.callcenter.models import IntervalStat, Queue
from bankdesk.orgs.models import Role


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _stat(queue, start, **values) -> IntervalStat:
    return IntervalStat.objects.create(queue=queue, interval_start=start, **values)


def test_figures_are_ratios_of_sums_not_averages_of_ratios():
    quiet = kpis.Figures(offered=10, answered=10, answered_within_threshold=10, answer_wait_seconds=50,
                         handle_time_seconds=2000)
    busy = kpis.Figures(offered=90, answered=80, answered_within_threshold=60, abandoned=10,
                        answer_wait_seconds=1550, handle_time_seconds=16000, talk_seconds=12000, wrap_seconds=3000,
                        available_seconds=5000)
    both = kpis.Figures(**{name: getattr(quiet, name) + getattr(busy, name) for name in kpis.SUMMED})
    assert both.service_level == Decimal("70.0")  # 70 / 100, not (100 % + 66.7 %) / 2
    assert both.abandonment_rate == Decimal("10.0")
    assert both.answer_rate == Decimal("90.0")
    assert both.average_speed_of_answer == Decimal("17.8")  # 1600 s / 90 answered
    assert both.average_handle_time == Decimal("200.0")
    assert both.occupancy == Decimal("75.0")  # 15000 / 20000


def test_no_calls_is_no_figure_not_zero():
    assert kpis.Figures().service_level is None and kpis.Figures().average_speed_of_answer is None


def test_agents_in_states_are_agent_seconds_over_the_interval(center):
    stat = IntervalStat(length_minutes=30, staffed_seconds=9000, available_seconds=1800, talk_seconds=5400,
                        wrap_seconds=900, not_ready_seconds=900)
    assert kpis.agents_in_states(stat) == {"staffed": Decimal("5.0"), "available": Decimal("1.0"),
                                          "talk": Decimal("3.0"), "wrap": Decimal("0.5"), "not_ready": Decimal("0.5")}


@pytest.fixture
def week(center):
    """Monday 2025-03-03 … Sunday 03-09: two intervals a day on the hotline, one on the card line."""
    card = Queue.objects.create(code="CARD", name="信用卡", unit=center.unit)
    for offset in range(7):
        day = date(2025, 3, 3) + timedelta(days=offset)
        _stat(center.queue, _at(day, 0), offered=10, answered=10, answered_within_threshold=10)
        _stat(center.queue, _at(day, 23, 30), offered=30, answered=20, answered_within_threshold=10, abandoned=10)
        _stat(card, _at(day, 12), offered=60, answered=60, answered_within_threshold=60)
    return card


def test_days_weeks_and_months_in_local_time(center, week):
    found = kpis.intervals(center.head, start=_at(date(2025, 3, 1), 0), end=_at(date(2025, 4, 1), 0))
    days = kpis.series(found, "day")
    assert [day for day, _figures in days] == [date(2025, 3, 3) + timedelta(days=n) for n in range(7)]
    # 00:00 and 23:30 in Shanghai fall on one local day (on 2 UTC days)
    assert days[0][1].offered == 100 and days[0][1].service_level == Decimal("80.0")
    assert kpis.series(found, "week") == [(date(2025, 3, 3), kpis.totals(found))]
    assert [day for day, _f in kpis.series(found, "month")] == [date(2025, 3, 1)]
    hotline = kpis.series(kpis.intervals(center.head, queue=center.queue), "week")[0][1]
    assert (hotline.offered, hotline.service_level, hotline.abandonment_rate) == (280, Decimal("50.0"),
                                                                                 Decimal("25.0"))


def test_series_is_one_query(center, week, django_assert_num_queries):
    found = kpis.intervals(center.head)
    with django_assert_num_queries(1):
        kpis.series(found, "day")


def test_default_ranges():
    today = date(2025, 3, 12)  # a Wednesday
    assert kpis.default_range("day", today) == (date(2025, 2, 11), today)
    assert kpis.default_range("week", today) == (date(2024, 12, 23), today)  # 12 weeks from a Monday
    assert kpis.default_range("month", today) == (date(2024, 4, 1), today)
    assert kpis.default_range("month", date(2025, 12, 1)) == (date(2025, 1, 1), date(2025, 12, 1))


def test_the_wallboard_shows_today_and_the_latest_interval(center, week, django_assert_max_num_queries):
    now = _at(date(2025, 3, 9), 23, 45)
    _stat(center.queue, _at(date(2025, 3, 10), 0), offered=99)  # after "now": not on the board
    latest = IntervalStat.objects.get(queue=center.queue, interval_start=_at(date(2025, 3, 9), 23, 30))
    latest.waiting_at_end, latest.staffed_seconds = 4, 3600
    latest.save()
    with django_assert_max_num_queries(4):
        boards = kpis.wallboard(center.head, now)
    hotline = next(board for board in boards if board.queue == center.queue)
    assert (hotline.today.offered, hotline.today.service_level) == (40, Decimal("50.0"))
    assert hotline.latest == latest and hotline.agents["staffed"] == Decimal("2.0")
    assert hotline.meets_target is False
    card = next(board for board in boards if board.queue == week)
    assert card.meets_target is True
    assert kpis.combined(boards).offered == 100


def test_intervals_below_target(center, week):
    assert kpis.below_target(kpis.intervals(center.head)).count() == 7  # the 23:30 hotline intervals (10 of 30)


def test_another_branch_sees_no_queue(center, week, bank):
    viewer_b = bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b)
    assert kpis.wallboard(viewer_b) == [] and kpis.intervals(viewer_b).count() == 0


class TestPages:
    def test_wallboard_page_and_its_refresh(self, center, week, logged_in):
        client = logged_in(center.agent_user)
        page = client.get("/callcenter/").content.decode()
        assert "热线" in page and 'hx-trigger="every 30s"' in page
        partial = client.get("/callcenter/", HTTP_HX_REQUEST="true").content.decode()
        assert partial.lstrip().startswith('<div id="wallboard"')

    def test_kpi_page_with_its_chart_data(self, center, week, logged_in):
        client = logged_in(center.head)
        response = client.get("/callcenter/kpis/", {"period": "week", "queue": center.queue.pk,
                                                    "date_from": "2025-03-01", "date_to": "2025-03-31"})
        page = response.content.decode()
        assert 'id="kpi-data"' in page and "2025-03-03" in page and "50.0%" in page

    def test_bad_filters_keep_the_form_with_a_message(self, center, logged_in):
        response = logged_in(center.head).get("/callcenter/kpis/", {"date_from": "2025-03-10",
                                                                   "date_to": "2025-03-01"})
        assert response.status_code == 200 and "2025-03-10" in response.content.decode()
        assert "结束日期早于开始日期" in response.content.decode()

    def test_a_queue_of_another_branch_is_not_offered(self, center, bank, logged_in):
        other = Queue.objects.create(code="WEST", name="西城", unit=center.branch_center)
        page = logged_in(center.head).get("/callcenter/kpis/", {"queue": other.pk}).content.decode()
        assert "WEST" not in page

    def test_without_the_right(self, bank, logged_in):
        teller = bank.user("teller", Role.TELLER, bank.outlet_a)
        assert logged_in(teller).get("/callcenter/").status_code == 403
        assert logged_in(teller).get("/callcenter/kpis/").status_code == 403
