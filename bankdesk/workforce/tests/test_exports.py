"""The forecast, roster and absence lists exported in the background (kinds workforce.forecasts,
workforce.rosters, workforce.absences): the page's rows in the user's scope under Chinese headers, filtered as the
page is, the button on each page, 403 without workforce.view."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from bankdesk.callcenter.models import Queue
from bankdesk.tests.exports import pdf_text, request_export, run_export, table
from bankdesk.workforce import services
from bankdesk.workforce.models import (
    AbsenceKind,
    ForecastRun,
    JobStatus,
    Roster,
    RosterStatus,
)

MONDAY = date(2026, 12, 7)


@pytest.fixture
def plans(center, planner, planner_b):
    """A solved forecast and roster of the head office's hotline, and a queued forecast and roster of branch B's."""
    branch_queue = Queue.objects.create(code="B-HOT", name="西城热线", unit=center.branch_center, skill=center.skill)
    targets = {"target_seconds": 20, "target_percent": Decimal(80), "shrinkage_percent": Decimal(30),
               "max_occupancy_percent": Decimal(85)}
    ours = ForecastRun.objects.create(queue=center.queue, unit=center.unit, first_day=MONDAY, days=7,
                                      status=JobStatus.SUCCEEDED, created_by=planner, **targets)
    theirs = ForecastRun.objects.create(queue=branch_queue, unit=center.branch_center, first_day=MONDAY, days=14,
                                        created_by=planner_b, **targets)
    Roster.objects.create(queue=center.queue, unit=center.unit, forecast=ours, week_start=MONDAY,
                          status=RosterStatus.DRAFT, time_limit_seconds=60, understaffing_minutes=90,
                          lower_bound_minutes=30, finished_at=ours.created_at, created_by=planner)
    Roster.objects.create(queue=branch_queue, unit=center.branch_center, forecast=theirs, week_start=MONDAY,
                          time_limit_seconds=60, created_by=planner_b)
    return branch_queue


@pytest.mark.parametrize("kind,url", [("workforce.forecasts", "workforce:forecasts"),
                                      ("workforce.rosters", "workforce:rosters"),
                                      ("workforce.absences", "workforce:absences")])
def test_the_button_and_the_right(center, planner, logged_in, kind, url):
    assert f'value="{kind}"' in logged_in(planner).get(reverse(url)).content.decode()
    assert request_export(logged_in(center.agent_user), kind).status_code == 403  # an agent: no workforce.view


def test_forecasts_in_scope(plans, planner, planner_b, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(planner)
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "workforce.forecasts",
                                             "xlsx"))
    assert header == ["申请时间", "队列", "起始日", "天数", "状态", "申请人"]
    assert [(row[1], row[2], row[3]) for row in rows] == [("热线", MONDAY.isoformat(), 7)]
    branch_b = logged_in(planner_b)
    rows = table(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "workforce.forecasts"))[1:]
    assert [(row[1], row[3]) for row in rows] == [("西城热线", "14")]


def test_rosters_with_their_understaffing(plans, planner, planner_b, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(planner)
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "workforce.rosters"))
    assert header[:4] == ["周起始日", "队列", "状态", "缺员人时"]
    assert [(row[1], row[3], row[4]) for row in rows] == [("热线", "1.5", "0.5")]
    filtered = run_export(client, django_capture_on_commit_callbacks, "workforce.rosters", "csv",
                          f"status={RosterStatus.QUEUED}")
    assert table(client, filtered)[1:] == []
    branch_b = logged_in(planner_b)
    text = pdf_text(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "workforce.rosters", "pdf"))
    assert "排班表" in text and "西城热线" in text and "热线" not in text.replace("西城热线", "")


def test_absences_filtered_and_in_scope(center, planner, planner_b, logged_in, django_capture_on_commit_callbacks):
    services.create_absence(planner, services.AbsenceInput(center.agent, AbsenceKind.ANNUAL_LEAVE, MONDAY,
                                                           date(2026, 12, 9), "年假"))
    client = logged_in(planner)
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "workforce.absences",
                                             "xlsx", "active=yes"))
    assert header == ["坐席", "团队", "类型", "起始日", "最后一天", "备注", "状态", "修改时间"]
    assert [(row[0].split()[0], row[1], row[3], row[4], row[5], row[6]) for row in rows] == [
        ("8001", "一组", MONDAY.isoformat(), "2026-12-09", "年假", "有效")]
    branch_b = logged_in(planner_b)
    assert table(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "workforce.absences"))[1:] == []
