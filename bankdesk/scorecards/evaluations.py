"""Writes of evaluations: start one on a subject, score its items, submit it (the score is computed
then, by scoring.py), void it with a reason; and calibration sessions, where several inspectors
score the same subject on the same version.

The subject decides the scope: an evaluation belongs to the unit evaluated (the agent's unit for a
call, the complaint's unit, the outlet visited), and only holders of the kind's right there see it.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.permissions import has_permission, require_in_scope
from bankdesk.scorecards import scoring
from bankdesk.scorecards.audit_actions import QaAction
from bankdesk.scorecards.models import (
    AnswerType, CalibrationSession, CalibrationStatus, Evaluation, EvaluationStatus, Item, ItemScore, ScorecardKind,
    ScorecardVersion, VersionStatus)
from bankdesk.scorecards.permissions import rights_for

YES, NO, NOT_APPLICABLE = "yes", "no", "na"
SUBJECT_FIELDS = ["unit", "staff", "call_id", "recording_ref", "complaint", "occurred_at"]


@dataclass(frozen=True)
class Answer:
    """The answer to one item: "yes", "no", "na" (not applicable) or a number of points."""

    item_id: int
    value: str
    comment: str = ""


def item_field(item_id: int) -> str:
    """The name of an item's answer in forms and error messages."""
    return f"item_{item_id}"


def _subject(version: ScorecardVersion, *, unit=None, staff=None, call_id: str = "", recording_ref: str = "",
             complaint=None, occurred_at=None) -> dict:
    """The subject's fields, completed (a complaint's unit and handler, an agent's unit) and checked."""
    if complaint is not None:
        unit, staff = complaint.unit, staff or complaint.handler
    if unit is None and staff is not None:
        unit = staff.home_unit
    if unit is None:
        raise ValidationFailed(_("Choose the unit evaluated."), field="unit")
    if not unit.path.startswith(version.scorecard.unit_path):
        raise ValidationFailed(_("This scorecard does not apply to the unit evaluated."), field="version")
    if occurred_at is not None and occurred_at > timezone.now():
        raise ValidationFailed(_("The time it took place cannot be in the future."), field="occurred_at")
    subject = {"unit": unit, "unit_path": unit.path, "staff": staff, "call_id": call_id.strip(),
               "recording_ref": recording_ref.strip(), "complaint": complaint, "occurred_at": occurred_at}
    _check_kind(version.scorecard.kind, subject)
    return subject


def _check_kind(kind: str, subject: dict) -> None:
    if kind == ScorecardKind.CALL:
        if not (subject["call_id"] or subject["recording_ref"]):
            raise ValidationFailed(_("Enter the call ID or the recording of the call."), field="call_id")
        if subject["staff"] is None:
            raise ValidationFailed(_("Choose the agent who took the call."), field="staff")
    if kind == ScorecardKind.COMPLAINT and subject["complaint"] is None:
        raise ValidationFailed(_("Choose the complaint whose handling is evaluated."), field="complaint")


def _check_staff(actor, permission: str, subject: dict) -> None:
    """The person evaluated is someone the inspector may see, and never the inspector."""
    staff, complaint = subject["staff"], subject["complaint"]
    if staff is None:
        return
    if staff.pk == actor.pk:
        raise ValidationFailed(_("You cannot evaluate your own work."), field="staff")
    named_by_complaint = complaint is not None and staff.pk in (complaint.handler_id, complaint.staff_concerned_id)
    if not named_by_complaint and not (staff.home_unit and has_permission(actor, permission, staff.home_unit)):
        raise ValidationFailed(_("Choose a staff member of your units."), field="staff")


def _scorable(version: ScorecardVersion) -> ScorecardVersion:
    version = ScorecardVersion.objects.select_related("scorecard__unit").get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED or not version.scorecard.is_active:
        raise ValidationFailed(_("Only the published version of a scorecard in use can be scored."), field="version")
    return version


@transaction.atomic
def start_evaluation(actor, version: ScorecardVersion, *, calibration: CalibrationSession | None = None,
                     **subject_fields) -> Evaluation:
    """A draft evaluation by `actor`; in a calibration session the session gives version and subject."""
    if calibration is not None:
        return _join_calibration(actor, calibration)
    version = _scorable(version)
    subject = _subject(version, **subject_fields)
    permission = rights_for(version.scorecard.kind).evaluate
    require_in_scope(actor, permission, subject["unit"])
    _check_staff(actor, permission, subject)
    return _create(actor, version, subject)


def _create(actor, version: ScorecardVersion, subject: dict, calibration=None) -> Evaluation:
    evaluation = Evaluation.objects.create(version=version, kind=version.scorecard.kind, evaluator=actor,
                                           calibration=calibration, **subject)
    audit.record(QaAction.EVALUATION_START, evaluation, actor=actor,
                 after={**audit.snapshot(evaluation, SUBJECT_FIELDS), "version": version.pk})
    return evaluation


def _join_calibration(actor, session: CalibrationSession) -> Evaluation:
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    version = _scorable(session.version)
    require_in_scope(actor, rights_for(version.scorecard.kind).evaluate, session.unit)
    if session.status != CalibrationStatus.OPEN:
        raise Conflict(_("This calibration session is closed."))
    mine = session.evaluations.filter(evaluator=actor).exclude(status=EvaluationStatus.VOIDED).first()
    if mine is not None:
        return mine
    if session.staff_id == actor.pk:
        raise ValidationFailed(_("You cannot evaluate your own work."), field="staff")
    subject = {field: getattr(session, field) for field in [*SUBJECT_FIELDS, "unit_path"]}
    return _create(actor, version, subject, calibration=session)


def _points(item: Item, value: str) -> Decimal | None:
    """The points an answer earns (None: not applicable), or a field error naming the item."""
    value = str(value).strip().lower()
    if value == NOT_APPLICABLE:
        if not item.na_allowed:
            raise ValidationFailed(_("“%(item)s” must be answered.") % {"item": item.text},
                                   field=item_field(item.pk))
        return None
    if item.answer_type == AnswerType.YES_NO:
        if value not in (YES, NO):
            raise ValidationFailed(_("Answer “%(item)s” with yes or no.") % {"item": item.text},
                                   field=item_field(item.pk))
        return item.max_points if value == YES else Decimal(0)
    try:
        points = Decimal(value)
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite() or not 0 <= points <= item.max_points or points != round(points, 2):
        raise ValidationFailed(_("“%(item)s” takes points from 0 to %(max)s.")
                               % {"item": item.text, "max": item.max_points}, field=item_field(item.pk))
    return points


def _lock_draft(actor, evaluation: Evaluation) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().select_related("version").get(pk=evaluation.pk)
    require_in_scope(actor, rights_for(evaluation.kind).evaluate, evaluation.unit)
    if evaluation.evaluator_id != actor.pk:
        raise PermissionDenied(_("Only the inspector who started an evaluation scores it."))
    if not evaluation.is_draft:
        raise Conflict(_("This evaluation has been submitted and can no longer be changed."))
    return evaluation


def _store(evaluation: Evaluation, answers, comment: str | None) -> dict[int, ItemScore]:
    """Write the answers given; returns every item score of the evaluation by item id."""
    items = {item.pk: item for item in Item.objects.filter(section__version=evaluation.version_id)}
    scores = {score.item_id: score for score in evaluation.scores.all()}
    for answer in answers:
        item = items.get(answer.item_id)
        if item is None:
            raise ValidationFailed(_("This item is not on the scorecard."), field=item_field(answer.item_id))
        points = _points(item, answer.value)
        score = scores.get(item.pk) or ItemScore(evaluation=evaluation, item=item)
        score.points, score.is_na, score.comment = points, points is None, answer.comment.strip()[:500]
        score.save()
        scores[item.pk] = score
    if comment is not None:
        evaluation.comment = comment.strip()
        evaluation.save(update_fields=["comment", "updated_at"])
    return scores


@transaction.atomic
def save_scores(actor, evaluation: Evaluation, answers, comment: str | None = None) -> Evaluation:
    """Keep the answers given so far; the evaluation stays a draft."""
    evaluation = _lock_draft(actor, evaluation)
    scores = _store(evaluation, answers, comment)
    audit.record(QaAction.EVALUATION_SAVE, evaluation, actor=actor, after={"answered": len(scores)})
    return evaluation


@transaction.atomic
def submit_evaluation(actor, evaluation: Evaluation, answers=(), comment: str | None = None) -> Evaluation:
    """Store the last answers, require every item answered, and compute the score."""
    evaluation = _lock_draft(actor, evaluation)
    scores = _store(evaluation, answers, comment)
    sections = list(evaluation.version.sections.prefetch_related("items"))
    for section in sections:
        for item in section.items.all():
            if item.pk not in scores:
                raise ValidationFailed(_("Answer “%(item)s”.") % {"item": item.text},
                                       field=item_field(item.pk))
    result = scoring.compute(scoring.answers_of(sections, scores))
    if result.score is None:
        raise ValidationFailed(_("Every item is marked not applicable: there is nothing to score."), field="items")
    pass_mark = evaluation.version.pass_mark
    evaluation.score, evaluation.raw_score, evaluation.fatal_failed = result.score, result.raw_score, result.fatal_failed
    evaluation.passed = None if pass_mark is None else result.score >= pass_mark
    evaluation.status, evaluation.submitted_at = EvaluationStatus.SUBMITTED, timezone.now()
    evaluation.save()
    audit.record(QaAction.EVALUATION_SUBMIT, evaluation, actor=actor,
                 after={"score": result.score, "raw_score": result.raw_score, "fatal_failed": result.fatal_failed,
                        "passed": evaluation.passed})
    return evaluation


@transaction.atomic
def void_evaluation(actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Take an evaluation out of every result, with the reason; its inspector or a scorecard manager."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    rights = rights_for(evaluation.kind)
    require_in_scope(actor, rights.evaluate, evaluation.unit)
    if evaluation.evaluator_id != actor.pk and not has_permission(actor, rights.manage, evaluation.unit):
        raise PermissionDenied(_("Only its inspector or a scorecard manager may void an evaluation."))
    if evaluation.status == EvaluationStatus.VOIDED:
        raise Conflict(_("This evaluation is already voided."))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for voiding the evaluation."), field="reason")
    before = {"status": evaluation.status}
    evaluation.status, evaluation.void_reason = EvaluationStatus.VOIDED, reason.strip()[:300]
    evaluation.save(update_fields=["status", "void_reason", "updated_at"])
    audit.record(QaAction.EVALUATION_VOID, evaluation, actor=actor, before=before,
                 after={"status": evaluation.status, "reason": evaluation.void_reason})
    return evaluation


@transaction.atomic
def create_calibration(actor, version: ScorecardVersion, *, title: str, **subject_fields) -> CalibrationSession:
    """A session in which inspectors each score the same subject (start_evaluation with it)."""
    version = _scorable(version)
    subject = _subject(version, **subject_fields)
    rights = rights_for(version.scorecard.kind)
    require_in_scope(actor, rights.calibrate, subject["unit"])
    _check_staff(actor, rights.calibrate, subject)
    if not title.strip():
        raise ValidationFailed(_("Enter a title for the session."), field="title")
    session = CalibrationSession.objects.create(title=title.strip(), version=version, created_by=actor, **subject)
    audit.record(QaAction.CALIBRATION_CREATE, session, actor=actor,
                 after={**audit.snapshot(session, SUBJECT_FIELDS), "title": session.title, "version": version.pk})
    return session


@transaction.atomic
def close_calibration(actor, session: CalibrationSession) -> CalibrationSession:
    session = CalibrationSession.objects.select_for_update().select_related("version__scorecard").get(pk=session.pk)
    require_in_scope(actor, rights_for(session.version.scorecard.kind).calibrate, session.unit)
    if session.status == CalibrationStatus.CLOSED:
        raise Conflict(_("This calibration session is already closed."))
    session.status, session.closed_at = CalibrationStatus.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at"])
    audit.record(QaAction.CALIBRATION_CLOSE, session, actor=actor, after={"status": session.status})
    return session
