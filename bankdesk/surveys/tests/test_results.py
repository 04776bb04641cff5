"""Results by team and period: SQL aggregation of the attempts, reach and completion rates, scale scores."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bankdesk.callcenter.models import Agent, Team
from bankdesk.core.errors import PermissionDenied
from bankdesk.surveys import calling, selectors
from bankdesk.surveys.calling import CallResult
from bankdesk.surveys.models import Outcome
from bankdesk.surveys.selectors import ResultFilter
from bankdesk.surveys.tests.test_calling import active_survey, answers_for  # noqa: F401  (a fixture)


@pytest.fixture
def teams(center):
    first = Team.objects.create(code="T1", name="一组", unit=center.unit)
    second = Team.objects.create(code="T2", name="二组", unit=center.unit)
    Agent.objects.create(user=center.interviewer1, agent_code="8001", team=first)
    Agent.objects.create(user=center.interviewer2, agent_code="8002", team=second)
    return first, second


def test_calls_reached_and_completed_by_team_and_day(center, teams, active_survey):  # noqa: F811
    campaign = active_survey(customers=3)
    calls = [(center.interviewer1, CallResult(Outcome.COMPLETED, answers=answers_for(campaign))),
             (center.interviewer1, CallResult(Outcome.NO_ANSWER)),
             (center.interviewer2, CallResult(Outcome.COMPLETED, answers=answers_for(campaign, q0="2")))]
    for interviewer, result in calls:
        calling.record_call(interviewer, calling.claim_next(interviewer), result)
    today = timezone.localdate()
    filters = ResultFilter(start=today, end=today, grain="day")
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.results(center.cp, filters)
    assert len(queries) == 1  # one GROUP BY (the grants were read before)
    assert [(r["team__name"], r["calls"], r["reached"], r["completed"], r["reach_rate"]) for r in rows] == [
        ("一组", 2, 1, 1, 50.0), ("二组", 1, 1, 1, 100.0)]
    assert rows[0]["period"] == today
    scores = selectors.scores(center.cp, filters)
    assert [(s["period"], s["average"], s["answers"]) for s in scores] == [(today, 3.0, 2)]
    assert selectors.results(center.cp, ResultFilter(start=today, end=today, grain="month"))[0]["period"] == \
        today.replace(day=1)


def test_results_stay_in_scope(center, teams, active_survey):  # noqa: F811
    campaign = active_survey(customers=1)
    calling.record_call(center.interviewer1, calling.claim_next(center.interviewer1),
                        CallResult(Outcome.COMPLETED, answers=answers_for(campaign)))
    today = timezone.localdate()
    assert selectors.results(center.outsider, ResultFilter(start=today, end=today)) == []
    with pytest.raises(PermissionDenied):
        selectors.results(center.teller, ResultFilter(start=today, end=today))
