"""Writes of inspection visits: schedule one on a published checklist, score it through the scorecards
engine (its Evaluation), add photos, complete it; every failed item becomes a follow-up action for the
outlet (一点一策), due in working days, which its owner reports fixed and the inspection side closes.

Scoring is the scorecards engine's (evaluations.start_evaluation / save_scores / submit_evaluation):
this module only adds what a visit is, and what follows from its failed items.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.handling import recipients
from bankdesk.complaints.intake.attachment_files import store_file
from bankdesk.core import audit, calendar, rules, uploads
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.core.permissions import has_permission, require_in_scope
from bankdesk.quality import inputs
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.models import (
    METHOD_KINDS,
    FollowUpAction,
    FollowUpStatus,
    Visit,
    VisitMethod,
    VisitPhoto,
    VisitStatus,
)
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.scorecards import evaluations
from bankdesk.scorecards.models import (
    AnswerType,
    ItemScore,
    ScorecardVersion,
    VersionStatus,
)

PHOTO_TYPES = (".jpg", ".jpeg", ".png")
MAX_DAYS_AHEAD = 366
VISIT_FIELDS = ["method", "unit", "scheduled_for", "inspector", "version", "plan_note"]


def _checklist(version: ScorecardVersion | None, method: str, unit) -> ScorecardVersion:
    if version is None:
        raise ValidationFailed(_("Choose the checklist."), field="version")
    version = ScorecardVersion.objects.select_related("scorecard").get(pk=version.pk)
    scorecard = version.scorecard
    if version.status != VersionStatus.PUBLISHED or not scorecard.is_active:
        raise ValidationFailed(_("Only the published version of a checklist in use can be scored."), field="version")
    if scorecard.kind != METHOD_KINDS[method]:
        raise ValidationFailed(_("This checklist is not for this kind of visit."), field="version")
    if not unit.path.startswith(scorecard.unit_path):
        raise ValidationFailed(_("This checklist does not apply to the outlet."), field="version")
    return version


def _visit_date(value: date | None) -> date:
    if value is None:
        raise ValidationFailed(_("Enter the date of the visit."), field="scheduled_for")
    if value > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(_("Schedule a visit within a year."), field="scheduled_for")
    return value


@transaction.atomic
def schedule_visit(actor, *, method: str, unit, scheduled_for: date, version, inspector=None,
                   plan_note: str = "") -> Visit:
    """A visit of `unit` by `inspector` (the actor when none is named), who must be allowed to inspect it."""
    method = inputs.choice(method, VisitMethod, "method", _("Choose how the outlet is inspected."))
    unit = inputs.unit_in_scope(actor, P.INSPECT, unit)
    inspector = inspector or actor
    if not inspector.is_active or not has_permission(inspector, P.INSPECT, unit):
        raise ValidationFailed(_("The inspector must be allowed to inspect this outlet."), field="inspector")
    visit = Visit.objects.create(method=method, unit=unit, unit_path=unit.path,
                                 scheduled_for=_visit_date(scheduled_for), inspector=inspector,
                                 version=_checklist(version, method, unit), plan_note=(plan_note or "").strip(),
                                 created_by=actor)
    audit.record(QualityAction.VISIT_SCHEDULE, visit, actor=actor, after=audit.snapshot(visit, VISIT_FIELDS))
    if inspector.pk != actor.pk:
        notify([inspector.pk], kind="quality.visit", obj=visit, link=_visit_link(visit),
               text=_("You are to inspect %(unit)s on %(date)s (%(method)s).") % {
                   "unit": unit.name, "date": f"{visit.scheduled_for:%Y-%m-%d}", "method": visit.get_method_display()})
    return visit


def _visit_link(visit: Visit) -> str:
    return reverse("quality:visit", kwargs={"visit_id": visit.pk})


def _lock(actor, visit: Visit, *statuses) -> Visit:
    visit = Visit.objects.select_for_update().select_related("unit", "version").get(pk=visit.pk)
    require_in_scope(actor, P.INSPECT, visit.unit)
    if visit.status not in statuses:
        raise Conflict(_("This visit is %(status)s.") % {"status": visit.get_status_display()})
    return visit


def _require_inspector(actor, visit: Visit) -> None:
    if visit.inspector_id != actor.pk:
        raise PermissionDenied(_("Only the inspector of the visit scores it."))


@transaction.atomic
def cancel_visit(actor, visit: Visit, reason: str) -> Visit:
    visit = _lock(actor, visit, VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)
    reason = inputs.text(reason, "reason", _("Give the reason for cancelling the visit."), 300)
    if visit.evaluation_id:
        evaluations.void_evaluation(actor, visit.evaluation, reason)
    visit.status, visit.cancel_reason = VisitStatus.CANCELLED, reason
    visit.save(update_fields=["status", "cancel_reason"])
    audit.record(QualityAction.VISIT_CANCEL, visit, actor=actor, after={"reason": reason})
    return visit


@transaction.atomic
def start_visit(actor, visit: Visit) -> Visit:
    """The inspector opens the visit's scoring: an evaluation of the outlet on the visit's checklist."""
    visit = _lock(actor, visit, VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)
    _require_inspector(actor, visit)
    if visit.evaluation_id is None:
        visit.evaluation = evaluations.start_evaluation(actor, visit.version, unit=visit.unit)
        visit.status = VisitStatus.IN_PROGRESS
        visit.save(update_fields=["evaluation", "status"])
        audit.record(QualityAction.VISIT_START, visit, actor=actor, after={"evaluation": visit.evaluation_id})
    return visit


@transaction.atomic
def save_visit_scores(actor, visit: Visit, answers, comment: str | None = None) -> Visit:
    visit = start_visit(actor, visit)
    evaluations.save_scores(actor, visit.evaluation, answers, comment)
    return visit


def failed(item, score: ItemScore) -> bool:
    """An item fails when a yes/no item is answered no, or a points item earns less than the rule's share."""
    if score.is_na:
        return False
    if item.answer_type == AnswerType.YES_NO:
        return score.points < item.max_points
    share = Decimal(rules.get("quality.follow_up.fail_below_percent")) / 100
    return score.points < item.max_points * share


def _owner(visit: Visit):
    """The outlet's head (or the head above it) owns the fixes; the inspector when the outlet has none."""
    heads = recipients.heads(visit.unit)
    return min(heads) if heads else visit.inspector_id


def _open_follow_ups(actor, visit: Visit) -> list[FollowUpAction]:
    scores = ItemScore.objects.filter(evaluation=visit.evaluation).select_related("item")
    due = calendar.add_working_days(timezone.localdate(), rules.get("quality.follow_up.due_working_days")).date
    owner_id = _owner(visit)
    actions = [FollowUpAction(visit=visit, item=score.item, unit=visit.unit, unit_path=visit.unit_path, owner_id=owner_id,
                              due_on=due, problem=_problem(score)) for score in scores if failed(score.item, score)]
    FollowUpAction.objects.bulk_create(actions)
    if actions:
        notify([owner_id], kind="quality.follow_up", obj=visit, link=reverse("quality:follow_ups") + "?mine=on",
               text=_("%(count)d items to fix at %(unit)s by %(date)s after the %(method)s of %(visit_date)s.") % {
                   "count": len(actions), "unit": visit.unit.name, "date": f"{due:%Y-%m-%d}",
                   "method": visit.get_method_display(), "visit_date": f"{visit.scheduled_for:%Y-%m-%d}"})
    return actions


def _problem(score: ItemScore) -> str:
    item = score.item
    text = f"{item.code} {item.text}".strip()
    return f"{text}：{score.comment}" if score.comment else text


@transaction.atomic
def submit_visit(actor, visit: Visit, answers, comment: str | None = None) -> Visit:
    """Submit the visit's scores (every item answered), complete the visit, open a follow-up per failed item."""
    visit = start_visit(actor, visit)
    visit.evaluation = evaluation = evaluations.submit_evaluation(actor, visit.evaluation, answers, comment)
    visit.score, visit.passed, visit.fatal_failed = evaluation.score, evaluation.passed, evaluation.fatal_failed
    visit.status, visit.completed_at = VisitStatus.COMPLETED, timezone.now()
    visit.save(update_fields=["score", "passed", "fatal_failed", "status", "completed_at"])
    actions = _open_follow_ups(actor, visit)
    audit.record(QualityAction.VISIT_COMPLETE, visit, actor=actor,
                 after={"score": visit.score, "passed": visit.passed, "follow_ups": len(actions)})
    return visit


@transaction.atomic
def add_photos(actor, visit: Visit, photos, caption: str = "") -> list[VisitPhoto]:
    """Photos of the visit, checked like every upload (type, size, content, virus scan); its inspector or a
    holder of the inspection right over the outlet adds them while the visit is open or just completed."""
    visit = _lock(actor, visit, VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)
    if not photos:
        raise ValidationFailed(_("Choose the photos."), field="photos")
    room = rules.get("quality.photo_max_count") - visit.photos.count()
    uploads.check_files(photos, allowed=PHOTO_TYPES, max_count=max(room, 0), field="photos",
                        max_megabytes=rules.get("quality.photo_max_megabytes"),
                        refused_type=_("%(name)s: only JPEG and PNG photos are accepted."))
    added = [VisitPhoto.objects.create(visit=visit, file=store_file(photo.name, photo.read(), field="photos"),
                                       original_name=photo.name[:200], caption=(caption or "").strip()[:200],
                                       uploaded_by=actor) for photo in photos]
    audit.record(QualityAction.VISIT_PHOTOS, visit, actor=actor,
                 after={"photos": [photo.original_name for photo in added], "caption": caption})
    return added


# --- Follow-up actions ------------------------------------------------------------------------------------------

def _lock_action(actor, action: FollowUpAction, permission: str, *statuses) -> FollowUpAction:
    action = FollowUpAction.objects.select_for_update().select_related("unit", "visit").get(pk=action.pk)
    require_in_scope(actor, permission, action.unit)
    if action.status not in statuses:
        raise Conflict(_("This action is %(status)s.") % {"status": action.get_status_display()})
    return action


@transaction.atomic
def report_fixed(actor, action: FollowUpAction, note: str) -> FollowUpAction:
    """The owner (or anyone following up at the outlet) says what was done; the inspection side verifies."""
    action = _lock_action(actor, action, P.FOLLOW_UP, FollowUpStatus.OPEN)
    action.fix_note = inputs.text(note, "note", _("Say what was done to fix it."))
    action.status, action.reported_at = FollowUpStatus.REPORTED, timezone.now()
    action.save(update_fields=["fix_note", "status", "reported_at"])
    audit.record(QualityAction.FOLLOW_UP_REPORT, action, actor=actor, after={"note": action.fix_note})
    notify([action.visit.inspector_id], kind="quality.follow_up", obj=action, link=reverse("quality:follow_ups"),
           text=_("Reported fixed at %(unit)s, to verify: %(problem)s") % {
               "unit": action.unit.name, "problem": action.problem[:80]})
    return action


@transaction.atomic
def verify(actor, action: FollowUpAction, *, accepted: bool, note: str = "") -> FollowUpAction:
    """Close a reported fix (销号), or send it back to be fixed with the reason."""
    action = _lock_action(actor, action, P.INSPECT, FollowUpStatus.REPORTED)
    if action.owner_id == actor.pk:
        raise PermissionDenied(_("The owner of an action does not verify their own fix."))
    note = (note or "").strip()
    if not accepted and not note:
        raise ValidationFailed(_("Say why the fix is not accepted."), field="note")
    action.verification_note = note
    if accepted:
        action.status, action.closed_by, action.closed_at, action.is_overdue = (
            FollowUpStatus.CLOSED, actor, timezone.now(), False)
    else:
        action.status = FollowUpStatus.OPEN
        notify([action.owner_id], kind="quality.follow_up", obj=action, link=reverse("quality:follow_ups"),
               text=_("Fix not accepted at %(unit)s: %(note)s") % {"unit": action.unit.name, "note": note[:80]})
    action.save(update_fields=["verification_note", "status", "closed_by", "closed_at", "is_overdue"])
    audit.record(QualityAction.FOLLOW_UP_CLOSE if accepted else QualityAction.FOLLOW_UP_REOPEN, action, actor=actor,
                 after={"note": note})
    return action


@transaction.atomic
def reassign(actor, action: FollowUpAction, *, owner, due_on: date) -> FollowUpAction:
    """Give an open action another owner or due date (the inspection side or the outlet's head)."""
    action = _lock_action(actor, action, P.INSPECT, FollowUpStatus.OPEN, FollowUpStatus.REPORTED)
    if owner is None or not owner.is_active or not has_permission(owner, P.FOLLOW_UP, action.unit):
        raise ValidationFailed(_("Choose an owner who follows up at this outlet."), field="owner")
    if due_on is None or due_on < timezone.localdate():
        raise ValidationFailed(_("The due date cannot be in the past."), field="due_on")
    before = {"owner": action.owner_id, "due_on": action.due_on}
    action.owner, action.due_on = owner, due_on
    action.is_overdue = False
    action.save(update_fields=["owner", "due_on", "is_overdue"])
    audit.record(QualityAction.FOLLOW_UP_REASSIGN, action, actor=actor, before=before,
                 after={"owner": owner.pk, "due_on": due_on})
    return action
