import pytest
from django.core.management import call_command

from bankdesk.orgs.models import Role, User
from bankdesk.scorecards.models import CalibrationSession, Evaluation, EvaluationStatus, Scorecard, ScorecardKind


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_quality_monitoring(demo):
    own = Scorecard.objects.filter(kind__in=[ScorecardKind.CALL, ScorecardKind.COMPLAINT])  # quality's are outlet kinds
    assert set(own.values_list("code", flat=True)) == {"CC-CALL", "CP-HANDLING"}
    calls = Evaluation.objects.filter(kind="call", calibration__isnull=True, status=EvaluationStatus.SUBMITTED)
    assert calls.count() == 6 * 8 and calls.filter(fatal_failed=True, score=0).count() == 2
    assert calls.values("staff").distinct().count() == 6
    assert calls.dates("submitted_at", "month").count() >= 6
    assert CalibrationSession.objects.get().evaluations.filter(status=EvaluationStatus.SUBMITTED).count() == 2
    assert Evaluation.objects.filter(kind="complaint").exists()
    assert User.objects.get(username="qa02").role_assignments.get().role == Role.QA_INSPECTOR
