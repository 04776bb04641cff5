"""Evaluations on a published scorecard: the score stored at submission, fatal items, N/A, scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.scorecards import evaluations, selectors, services
from bankdesk.scorecards.evaluations import Answer
from bankdesk.scorecards.models import EvaluationStatus, ScorecardKind
from bankdesk.scorecards.tests.conftest import build_scorecard, items_of


def answers(version, greeting="yes", identity="yes", accuracy="15", closing="yes"):
    ids = items_of(version)
    return [Answer(ids["规范问候"], greeting), Answer(ids["核实客户身份"], identity),
            Answer(ids["业务解答准确"], accuracy), Answer(ids["规范结束语"], closing)]


def start(qa, card, inspector=None, **subject):
    subject = {"staff": qa.agent, "call_id": "C20260301-0001", **subject}
    return evaluations.start_evaluation(inspector or qa.inspector, card.versions.get(), **subject)


def test_a_call_is_scored_at_submission(qa, call_card):
    evaluation = start(qa, call_card)
    assert evaluation.unit == qa.cc and evaluation.kind == ScorecardKind.CALL
    evaluation = evaluations.submit_evaluation(qa.inspector, evaluation, answers(evaluation.version), comment="好")
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert (evaluation.score, evaluation.raw_score, evaluation.fatal_failed, evaluation.passed) == (
        Decimal("90.00"), Decimal("90.00"), False, True)
    assert AuditEvent.objects.filter(action="qa.evaluation.submit", object_id=str(evaluation.pk)).get().after[
        "score"] == "90.00"


def test_a_failed_fatal_item_zeroes_the_evaluation(qa, call_card):
    evaluation = start(qa, call_card)
    evaluation = evaluations.submit_evaluation(qa.inspector, evaluation, answers(evaluation.version, identity="no"))
    assert evaluation.score == Decimal("0.00") and evaluation.raw_score == Decimal("70.00")
    assert evaluation.fatal_failed and evaluation.passed is False


def test_not_applicable_only_where_allowed(qa, call_card):
    evaluation = start(qa, call_card)
    version = evaluation.version
    with pytest.raises(ValidationFailed) as error:
        evaluations.save_scores(qa.inspector, evaluation, answers(version, greeting="na"))
    assert error.value.field == f"item_{items_of(version)['规范问候']}"
    evaluation = evaluations.submit_evaluation(qa.inspector, evaluation, answers(version, closing="na"))
    assert evaluation.score == Decimal("85.00")


@pytest.mark.parametrize("item, value", [
    ("业务解答准确", "21"), ("业务解答准确", "-1"), ("业务解答准确", "abc"), ("业务解答准确", "NaN"),
    ("业务解答准确", "1.234"), ("规范问候", "5"),
])
def test_bad_answers_name_their_item(qa, call_card, item, value):
    evaluation = start(qa, call_card)
    item_id = items_of(evaluation.version)[item]
    with pytest.raises(ValidationFailed) as error:
        evaluations.save_scores(qa.inspector, evaluation, [Answer(item_id, value)])
    assert error.value.field == f"item_{item_id}"


def test_every_item_must_be_answered_and_drafts_keep_answers(qa, call_card):
    evaluation = start(qa, call_card)
    evaluations.save_scores(qa.inspector, evaluation, answers(evaluation.version)[:2])
    with pytest.raises(ValidationFailed) as error:
        evaluations.submit_evaluation(qa.inspector, evaluation)
    assert error.value.field == f"item_{items_of(evaluation.version)['业务解答准确']}"
    evaluation = evaluations.submit_evaluation(qa.inspector, evaluation, answers(evaluation.version)[2:])
    assert evaluation.score == Decimal("90.00")
    with pytest.raises(Conflict):
        evaluations.save_scores(qa.inspector, evaluation, answers(evaluation.version))


def test_only_its_inspector_scores_a_draft(qa, call_card):
    evaluation = start(qa, call_card)
    with pytest.raises(PermissionDenied):
        evaluations.save_scores(qa.inspector2, evaluation, answers(evaluation.version))
    with pytest.raises(NotFound):
        evaluations.save_scores(qa.inspector_b, evaluation, answers(evaluation.version))


def test_subject_checks(qa, call_card):
    version = call_card.versions.get()
    with pytest.raises(ValidationFailed) as error:
        evaluations.start_evaluation(qa.inspector, version, staff=qa.agent)
    assert error.value.field == "call_id"
    with pytest.raises(ValidationFailed) as error:
        evaluations.start_evaluation(qa.inspector, version, call_id="C1")
    assert error.value.field == "unit"
    with pytest.raises(ValidationFailed) as error:
        evaluations.start_evaluation(qa.inspector, version, staff=qa.inspector, call_id="C1")
    assert error.value.field == "staff"
    with pytest.raises(ValidationFailed) as error:
        evaluations.start_evaluation(qa.inspector, version, staff=qa.agent, call_id="C1",
                                     occurred_at=timezone.now() + timedelta(hours=1))
    assert error.value.field == "occurred_at"


def test_scope_of_evaluating(qa, bank, call_card):
    version = call_card.versions.get()
    agent_b = bank.user("agent_b", "agent", bank.branch_b)
    with pytest.raises(NotFound):  # branch B's inspector: the call center is outside their units
        evaluations.start_evaluation(qa.inspector_b, version, staff=qa.agent, call_id="C1")
    with pytest.raises(ValidationFailed) as error:  # the call-center scorecard does not apply to branch B
        evaluations.start_evaluation(qa.inspector_b, version, staff=agent_b, call_id="C1")
    assert error.value.field == "version"
    with pytest.raises(PermissionDenied):
        evaluations.start_evaluation(qa.agent2, version, staff=qa.agent, call_id="C1")


def test_only_the_published_version_is_scored(qa):
    card = build_scorecard(qa.inspector, qa.cc, code="DRAFT", publish=False)
    with pytest.raises(ValidationFailed) as error:
        evaluations.start_evaluation(qa.inspector, card.versions.get(), staff=qa.agent, call_id="C1")
    assert error.value.field == "version"


def test_who_sees_an_evaluation(qa, bank, call_card):
    evaluation = start(qa, call_card)
    assert selectors.evaluation(qa.inspector2, evaluation.pk) == evaluation
    with pytest.raises(NotFound):  # the agent sees it only once submitted
        selectors.evaluation(qa.agent, evaluation.pk)
    evaluations.submit_evaluation(qa.inspector, evaluation, answers(evaluation.version))
    assert selectors.evaluation(qa.agent, evaluation.pk) == evaluation
    for outsider in (qa.agent2, qa.inspector_b):
        with pytest.raises(NotFound):
            selectors.evaluation(outsider, evaluation.pk)


def test_voiding_needs_a_reason_and_keeps_the_record(qa, call_card):
    evaluation = start(qa, call_card)
    evaluations.submit_evaluation(qa.inspector, evaluation, answers(evaluation.version))
    with pytest.raises(PermissionDenied):  # an agent scores no one
        evaluations.void_evaluation(qa.agent, evaluation, "错")
    with pytest.raises(ValidationFailed):
        evaluations.void_evaluation(qa.inspector, evaluation, " ")
    evaluation = evaluations.void_evaluation(qa.inspector, evaluation, "录音与工号不符")
    assert evaluation.status == EvaluationStatus.VOIDED and evaluation.score == Decimal("90.00")
    with pytest.raises(Conflict):
        evaluations.void_evaluation(qa.inspector, evaluation, "再次")


def test_score_sheet_shows_section_scores(qa, call_card):
    evaluation = start(qa, call_card)
    evaluations.save_scores(qa.inspector, evaluation, answers(evaluation.version, closing="na"))
    sheet = selectors.score_sheet(evaluation)
    assert [section.score for section in sheet] == [Decimal("100.00"), Decimal("75.00")]
    assert sheet[1].lines[1].score.is_na


def test_calibration_inspectors_score_the_same_call(qa, call_card):
    session = evaluations.create_calibration(qa.inspector, call_card.versions.get(), title="三月校准",
                                             staff=qa.agent, call_id="C-CAL")
    first = evaluations.start_evaluation(qa.inspector, None, calibration=session)
    second = evaluations.start_evaluation(qa.inspector2, None, calibration=session)
    assert evaluations.start_evaluation(qa.inspector, None, calibration=session) == first
    assert (second.call_id, second.staff, second.unit) == ("C-CAL", qa.agent, qa.cc)
    evaluations.submit_evaluation(qa.inspector, first, answers(first.version))
    with pytest.raises(NotFound):  # calibration scores are not the agent's results
        selectors.evaluation(qa.agent, first.pk)
    evaluations.close_calibration(qa.inspector, session)
    with pytest.raises(Conflict):
        evaluations.start_evaluation(qa.bank.user("qa3", "qa_inspector", qa.cc), None, calibration=session)
