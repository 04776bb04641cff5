import pytest
from django.core.management import call_command
from django.utils import timezone

from bankdesk.callcenter.models import Team
from bankdesk.orgs.models import Role, User
from bankdesk.scorecards import briefing
from bankdesk.scorecards.models import CalibrationSession, Evaluation, EvaluationStatus, Scorecard, ScorecardKind


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_quality_monitoring(demo):
    own = Scorecard.objects.filter(kind__in=[ScorecardKind.CALL, ScorecardKind.COMPLAINT])  # quality's are outlet kinds
    assert set(own.values_list("code", flat=True)) == {"CC-CALL", "CP-HANDLING"}
    calls = Evaluation.objects.filter(kind="call", calibration__isnull=True, status=EvaluationStatus.SUBMITTED)
    assert calls.count() == 6 * 8 + 2 and calls.filter(fatal_failed=True, score=0).count() == 3
    assert calls.values("staff").distinct().count() == 6
    assert calls.dates("submitted_at", "month").count() >= 6
    assert CalibrationSession.objects.get().evaluations.filter(status=EvaluationStatus.SUBMITTED).count() == 2
    assert Evaluation.objects.filter(kind="complaint").exists()
    assert User.objects.get(username="qa02").role_assignments.get().role == Role.QA_INSPECTOR


def test_the_demo_briefing_of_team_one_shows_the_previous_working_day(demo):
    leader = User.objects.get(username="cc_head")
    team = Team.objects.get(code="CC-T1")
    day = briefing.previous_working_day(timezone.localdate())
    found = briefing.briefing(leader, team.pk, day)
    assert [finding.evaluation.staff.username for finding in found.evaluations] == ["cc_agent01", "cc_agent02"]
    assert found.evaluations[0].evaluation.fatal_failed and found.evaluations[1].evaluation.passed is False
    assert all(finding.items for finding in found.evaluations)
    assert len(found.calibrations) == 1
    assert [row["staff_concerned__display_name"] for row in found.complaints] == ["林晓雨"]
    assert found.calls_logged == 2 and [call.calls for call in found.calls] == [2]
