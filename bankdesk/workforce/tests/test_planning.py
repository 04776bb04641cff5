"""Forecast runs from the queue's ACD history, in the background, with the staffing requirement."""

import pytest
from django.core.exceptions import PermissionDenied

from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.models import AuditEvent, JobStatus
from bankdesk.workforce import planning
from bankdesk.workforce.models import ForecastInterval, SpecialDay
from bankdesk.workforce.tests.conftest import AHT, next_monday

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def forecast(capture, planner, center, days=14):
    with capture(execute=True):
        run = planning.request_forecast(planner, center.queue, next_monday(), days)
    run.refresh_from_db()
    return run


def test_forecast_with_requirement_and_accuracy(django_capture_on_commit_callbacks, planner, center, history):
    run = forecast(django_capture_on_commit_callbacks, planner, center)
    assert run.status == JobStatus.SUCCEEDED and run.progress == 100, run.error
    intervals = list(ForecastInterval.objects.filter(run=run))
    assert len(intervals) == 14 * 48
    assert sum(i.calls for i in intervals) / 14 == pytest.approx(1200 * 0.93, rel=0.1)  # the week's average level
    busiest = max(intervals, key=lambda i: i.calls)
    assert busiest.aht_seconds == pytest.approx(AHT)
    assert busiest.agents >= 1 and busiest.service_level >= 0.8
    assert busiest.scheduled_agents == -(-busiest.agents * 10 // 7)  # 30% shrinkage
    assert (run.target_seconds, run.target_percent, run.shrinkage_percent) == (15, 80, 30)
    weeks = run.accuracy["weeks"]
    assert len(weeks) == 4 and run.accuracy["overall"]["model"]["wape"] < 0.1
    assert weeks[0]["naive"]["wape"] is None  # six weeks of history hold no week of last year
    assert AuditEvent.objects.filter(action="workforce.forecast.run", object_id=str(run.pk)).exists()


def test_special_days_scale_the_forecast(django_capture_on_commit_callbacks, planner, center, history):
    plain = forecast(django_capture_on_commit_callbacks, planner, center, days=7)
    SpecialDay.objects.create(unit=center.unit, date=next_monday(), name="新卡发行", factor=2)
    doubled = forecast(django_capture_on_commit_callbacks, planner, center, days=7)

    def monday(run):
        return sum(ForecastInterval.objects.filter(run=run).order_by("starts_at")[:48].values_list("calls", flat=True))

    assert monday(doubled) == pytest.approx(2 * monday(plain))


def test_without_history_the_run_fails_with_the_reason(django_capture_on_commit_callbacks, planner, center):
    run = forecast(django_capture_on_commit_callbacks, planner, center)
    assert run.status == JobStatus.FAILED and run.error


def test_horizon_and_scope(planner, planner_b, agent, center, history):
    with pytest.raises(ValidationFailed) as refused:
        planning.request_forecast(planner, center.queue, next_monday(), 400)
    assert refused.value.field == "days"
    with pytest.raises(NotFound):
        planning.request_forecast(planner_b, center.queue, next_monday(), 7)
    with pytest.raises(PermissionDenied):
        planning.request_forecast(agent, center.queue, next_monday(), 7)
