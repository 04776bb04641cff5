"""Accountability records (问责): a head or the consumer-protection office proposes holding a staff member to
account for a complaint, with a penalty from the ladder (PenaltyLevel, seed 004 article 2 by default); another
holder of the approving right approves or rejects it (never the proposer, never the staff member); the staff
member sees it on their own page and may appeal once; the consumer-protection office or management decides the
appeal (upheld, or a lighter or other penalty). Every step locks the record's row and is audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.models import Complaint
from bankdesk.core import audit
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.remediation import scope
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import AccountabilityRecord, AccountabilityStatus, PenaltyLevel
from bankdesk.remediation.permissions import RemediationPermission as P

S = AccountabilityStatus
RECORD_FIELDS = ["staff", "penalty", "status"]


def _penalty(penalty: PenaltyLevel | None) -> PenaltyLevel:
    if penalty is None or not PenaltyLevel.objects.filter(pk=penalty.pk, is_active=True).exists():
        raise ValidationFailed(_("Choose a penalty of the ladder in use."), field="penalty")
    return penalty


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    return value


@transaction.atomic
def propose(actor, complaint: Complaint, *, staff, penalty: PenaltyLevel, facts: str) -> AccountabilityRecord:
    scope.require_over_complaint(actor, P.PROPOSE_ACCOUNTABILITY, complaint)
    if staff is None or not staff.is_active:
        raise ValidationFailed(_("Choose the staff member held to account."), field="staff")
    if staff.pk == actor.pk:
        raise ValidationFailed(_("Nobody proposes their own penalty."), field="staff")
    record = AccountabilityRecord.objects.create(
        complaint=complaint, staff=staff, unit=complaint.unit, unit_path=complaint.unit_path,
        penalty=_penalty(penalty), facts=_text(facts, "facts", _("Give the facts and grounds.")), proposed_by=actor)
    audit.record(RemediationAction.ACCOUNTABILITY_PROPOSE, record, actor=actor,
                 after={**audit.snapshot(record, RECORD_FIELDS), "complaint": complaint.tracking_number})
    return record


def _lock(actor, record: AccountabilityRecord, permission: str, *statuses) -> AccountabilityRecord:
    record = AccountabilityRecord.objects.select_for_update(of=("self",)).select_related(
        "complaint__unit", "complaint__lead_department").get(pk=record.pk)
    scope.require_over_complaint(actor, permission, record.complaint)
    if record.status not in statuses:
        raise Conflict(_("This accountability record is %(status)s.") % {"status": record.get_status_display()})
    return record


def decision_refusal(user, record: AccountabilityRecord) -> ValidationFailed | None:
    """Why `user` may not approve, reject or decide the appeal of `record`: the proposer and the staff member
    never do."""
    if user.pk == record.proposed_by_id:
        return ValidationFailed(_("Nobody approves their own proposal."), field="note", code="self_approval")
    if user.pk == record.staff_id:
        return ValidationFailed(_("Nobody decides on their own penalty."), field="note", code="concerned")
    return None


def _refuse(user, record) -> None:
    refusal = decision_refusal(user, record)
    if refusal is not None:
        raise refusal


def _tell_staff(record: AccountabilityRecord, text: str) -> None:
    notify([record.staff_id], kind="remediation.accountability", obj=record, link="", text=text)


@transaction.atomic
def decide(actor, record: AccountabilityRecord, *, approve: bool, note: str = "") -> AccountabilityRecord:
    record = _lock(actor, record, P.APPROVE_ACCOUNTABILITY, S.PROPOSED)
    _refuse(actor, record)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed(_("Say why it is not approved."), field="note")
    record.status = S.APPROVED if approve else S.REJECTED
    record.decided_by, record.decided_at, record.decision_note = actor, timezone.now(), note[:300]
    record.save()
    action = RemediationAction.ACCOUNTABILITY_APPROVE if approve else RemediationAction.ACCOUNTABILITY_REJECT
    audit.record(action, record, actor=actor, before={"status": S.PROPOSED}, after={"status": record.status,
                                                                                   "note": note})
    if approve:
        _tell_staff(record, _("%(record)s: %(penalty)s for complaint %(number)s. You may appeal.") % {
            "record": record, "penalty": record.penalty.name, "number": record.complaint.tracking_number})
    return record


@transaction.atomic
def appeal(actor, record: AccountabilityRecord, *, text: str) -> AccountabilityRecord:
    """The staff member's own appeal, once, against a penalty in force."""
    record = AccountabilityRecord.objects.select_for_update().filter(pk=record.pk, staff=actor).first()
    if record is None:
        raise NotFound(_("Not found."))
    if record.status != S.APPROVED:
        raise Conflict(_("This accountability record is %(status)s.") % {"status": record.get_status_display()})
    record.appeal_text = _text(text, "text", _("Say why you appeal."))
    record.status, record.appealed_at = S.APPEALED, timezone.now()
    record.save(update_fields=["appeal_text", "status", "appealed_at"])
    audit.record(RemediationAction.ACCOUNTABILITY_APPEAL, record, actor=actor, after={"status": record.status})
    return record


@transaction.atomic
def decide_appeal(actor, record: AccountabilityRecord, *, uphold: bool, note: str,
                  penalty: PenaltyLevel | None = None) -> AccountabilityRecord:
    """Upheld (the penalty stays) or revised to another penalty of the ladder; a note says why."""
    record = _lock(actor, record, P.DECIDE_APPEAL, S.APPEALED)
    _refuse(actor, record)
    if actor.pk == record.decided_by_id:
        raise PermissionDenied(_("The appeal is decided by someone other than who approved the penalty."))
    note = _text(note, "note", _("Say how the appeal is decided."))
    before = audit.snapshot(record, RECORD_FIELDS)
    if not uphold:
        new = _penalty(penalty)
        if new.pk == record.penalty_id:
            raise ValidationFailed(_("Choose the penalty that replaces it."), field="penalty")
        record.original_penalty, record.penalty = record.penalty, new
    record.status = S.UPHELD if uphold else S.REVISED
    record.appeal_decided_by, record.appeal_decided_at, record.appeal_note = actor, timezone.now(), note[:300]
    record.save()
    audit.record(RemediationAction.ACCOUNTABILITY_APPEAL_DECIDE, record, actor=actor, before=before,
                 after={**audit.snapshot(record, RECORD_FIELDS), "note": note})
    _tell_staff(record, _("%(record)s: your appeal is decided: %(note)s") % {"record": record, "note": note})
    return record

