"""The workforce pages: what planners, agents and other branches see, and forms that keep their values."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bankdesk.core.models import AuditEvent
from bankdesk.workforce import services
from bankdesk.workforce.models import ForecastRun, RosterShift
from bankdesk.workforce.tests.conftest import next_monday

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_calculator_page(logged_in, planner):
    page = logged_in(planner).get(reverse("workforce:calculator"), {
        "model": "c", "calls": 100, "interval_minutes": 30, "aht_seconds": 180, "target_seconds": 20,
        "target_percent": 80, "shrinkage_percent": 30, "max_occupancy_percent": ""})
    text = page.content.decode()
    assert page.status_code == 200 and "0.888" in text and "0.174" in text
    assert "14" in text


def test_calculator_keeps_values_and_explains(logged_in, planner):
    page = logged_in(planner).get(reverse("workforce:calculator"), {
        "model": "a", "calls": 100, "interval_minutes": 30, "aht_seconds": 180, "target_seconds": 20,
        "target_percent": 80, "shrinkage_percent": 30})
    text = page.content.decode()
    assert page.status_code == 200 and 'value="180"' in text and "耐心" in text  # asks for the patience, in Chinese


def test_forecast_pages(django_capture_on_commit_callbacks, logged_in, planner, center, history):
    client = logged_in(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workforce:forecast_create"), {
            "queue": center.queue.pk, "first_day": next_monday().isoformat(), "days": 14})
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workforce:forecast", args=[run.pk])
    detail = client.get(reverse("workforce:forecast", args=[run.pk])).content.decode()
    assert "forecast-data" in detail and "WAPE" in detail and "MAPE" in detail
    listing = client.get(reverse("workforce:forecasts"), {"queue": center.queue.pk, "sort": "-first_day"})
    assert listing.status_code == 200 and reverse("workforce:forecast", args=[run.pk]) in listing.content.decode()


def test_forecast_form_keeps_its_values(logged_in, planner, center):
    page = logged_in(planner).post(reverse("workforce:forecast_create"), {
        "queue": center.queue.pk, "first_day": next_monday().isoformat(), "days": 200})
    text = page.content.decode()
    assert page.status_code == 200 and 'value="200"' in text and "92" in text  # the rule's longest horizon


def test_roster_pages_and_shift_edit(solved, logged_in, planner, agents):
    client = logged_in(planner)
    detail = client.get(reverse("workforce:roster", args=[solved.pk])).content.decode()
    assert "coverage-data" in detail and agents[0].agent_code in detail
    shift = RosterShift.objects.filter(roster=solved, agent=agents[0]).first()
    local = timezone.localtime(shift.starts_at)
    form = {"agent": agents[0].pk, "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"), "lunch_minutes": 0,
            "version": shift.version}
    refused = client.post(reverse("workforce:shift_edit", args=[shift.pk]), form)
    assert refused.status_code == 200 and "12" in refused.content.decode()  # too long, the form shown again
    form["ends_at"] = (local + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(reverse("workforce:shift_edit", args=[shift.pk]), form).status_code == 302
    assert AuditEvent.objects.filter(action="workforce.shift.update", object_id=str(shift.pk)).exists()
    assert client.post(reverse("workforce:roster_publish", args=[solved.pk])).status_code == 302
    solved.refresh_from_db()
    assert solved.status == "published"


def test_agent_sees_only_own_published_shifts(solved, logged_in, planner, agents):
    services.publish_roster(planner, solved)
    page = logged_in(agents[0].user).get(reverse("workforce:my_schedule")).content.decode()
    own = RosterShift.objects.filter(roster=solved, agent=agents[0]).count()
    assert page.count("wf-shift") == 0 and page.count("<tr") - 4 * 1 >= own  # one header row a week
    assert logged_in(agents[0].user).get(reverse("workforce:roster", args=[solved.pk])).status_code == 403


def test_other_branch_sees_nothing(solved, logged_in, planner_b):
    client = logged_in(planner_b)
    assert client.get(reverse("workforce:roster", args=[solved.pk])).status_code == 404
    assert client.get(reverse("workforce:forecast", args=[solved.forecast_id])).status_code == 404
    assert str(solved.week_start) not in client.get(reverse("workforce:rosters")).content.decode()


def test_lists_take_one_query_per_page(solved, logged_in, planner, django_assert_max_num_queries):
    client = logged_in(planner)
    client.get(reverse("workforce:rosters"))
    with django_assert_max_num_queries(12):
        client.get(reverse("workforce:rosters"))
    with django_assert_max_num_queries(12):
        client.get(reverse("workforce:forecasts"))
    with django_assert_max_num_queries(16):
        client.get(reverse("workforce:roster", args=[solved.pk]))
