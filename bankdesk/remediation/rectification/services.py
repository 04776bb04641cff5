"""Rectification items (溯源整改): a complaint closed as the bank's fault opens one (the sweep in
`sweep.py` picks such closures up, so complaints never calls this app); the unit finds the root cause
(from the root-cause taxonomy), the corrective and preventive actions, an owner and a due date, adds
evidence, and reports it done; the consumer-protection office verifies it or sends it back. One item may
cover many complaints of the same root cause. Every change locks the item's row and is audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.intake.attachment_files import ALLOWED_ATTACHMENT_TYPES, store_file
from bankdesk.complaints.models import Complaint, Status
from bankdesk.core import audit, calendar, rules, uploads
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import has_permission, require_in_scope
from bankdesk.remediation import scope
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import (
    RectificationEvidence,
    RectificationItem,
    RectificationLink,
    RectificationStatus,
    RootCause,
)
from bankdesk.remediation.permissions import RemediationPermission as P

BANK_AT_FAULT = "bank_at_fault"
ITEM_FIELDS = ["root_cause", "summary", "corrective_action", "preventive_action", "owner", "due_on", "status"]


def is_bank_at_fault(complaint: Complaint) -> bool:
    return complaint.status == Status.CLOSED and complaint.closure_code_id is not None and (
        complaint.closure_code.code == BANK_AT_FAULT)


def default_due_on():
    return calendar.add_working_days(timezone.localdate(), rules.get("remediation.rectification.due_working_days")).date


@transaction.atomic
def open_for_complaint(actor, complaint: Complaint) -> RectificationItem:
    """A new item for a bank-at-fault closure (actor None: the sweep). A complaint has one item at most."""
    if actor is not None:
        scope.require_over_complaint(actor, P.RECTIFY, complaint)
    if RectificationLink.objects.filter(complaint=complaint).exists():
        raise Conflict(_("This complaint already has a rectification item."))
    item = RectificationItem.objects.create(
        unit=complaint.unit, unit_path=complaint.unit_path, due_on=default_due_on(),
        summary=_("%(number)s closed as the bank's fault") % {"number": complaint.tracking_number})
    RectificationLink.objects.create(item=item, complaint=complaint)
    audit.record(RemediationAction.RECTIFICATION_OPEN, item, actor=actor,
                 after={**audit.snapshot(item, ITEM_FIELDS), "complaint": complaint.tracking_number})
    return item


def _lock(actor, item: RectificationItem, permission: str, *statuses) -> RectificationItem:
    item = RectificationItem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)
    require_in_scope(actor, permission, item.unit)
    if statuses and item.status not in statuses:
        raise Conflict(_("This rectification item is %(status)s.") % {"status": item.get_status_display()})
    return item


@transaction.atomic
def link_complaint(actor, item: RectificationItem, complaint: Complaint) -> RectificationLink:
    """One item covers another bank-at-fault complaint of the same root cause (its own item, if it had
    one with no work on it yet, is not made: a complaint belongs to one item)."""
    item = _lock(actor, item, P.RECTIFY, RectificationStatus.OPEN, RectificationStatus.REPORTED)
    scope.require_over_complaint(actor, P.RECTIFY, complaint)
    if not complaint.unit_path.startswith(item.unit_path):
        raise ValidationFailed(_("The complaint lies outside the item's unit."), field="complaint")
    if RectificationLink.objects.filter(complaint=complaint).exists():
        raise ValidationFailed(_("This complaint already has a rectification item."), field="complaint")
    link = RectificationLink.objects.create(item=item, complaint=complaint)
    audit.record(RemediationAction.RECTIFICATION_LINK, item, actor=actor,
                 after={"complaint": complaint.tracking_number})
    return link


def _clean(actor, item: RectificationItem, changes: dict) -> dict:
    if "root_cause" in changes and changes["root_cause"] is not None:
        cause = changes["root_cause"]
        if not RootCause.objects.filter(pk=cause.pk, is_active=True).exists():
            raise ValidationFailed(_("Choose a root cause in use."), field="root_cause")
    owner = changes.get("owner")
    if owner is not None and not (owner.is_active and has_permission(owner, P.RECTIFY, item.unit)):
        raise ValidationFailed(_("The owner must be allowed to rectify at this unit."), field="owner")
    due_on = changes.get("due_on")
    if due_on is not None and due_on < item.opened_at.date():
        raise ValidationFailed(_("The due date cannot come before the item was opened."), field="due_on")
    for name in ("summary", "corrective_action", "preventive_action"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "summary" in changes and not changes["summary"]:
        raise ValidationFailed(_("Say what went wrong."), field="summary")
    return changes


@transaction.atomic
def update_item(actor, item: RectificationItem, **changes) -> RectificationItem:
    """Root cause, actions, owner, due date: what the unit fills in while the item is open."""
    unknown = set(changes) - {"root_cause", "summary", "corrective_action", "preventive_action", "owner", "due_on"}
    if unknown:
        raise ValidationFailed(_("Unknown field."), field=sorted(unknown)[0])
    item = _lock(actor, item, P.RECTIFY, RectificationStatus.OPEN)
    before = audit.snapshot(item, ITEM_FIELDS)
    for name, value in _clean(actor, item, changes).items():
        setattr(item, name, value)
    if item.due_on >= timezone.localdate():
        item.is_overdue = False
    item.save()
    audit.record(RemediationAction.RECTIFICATION_UPDATE, item, actor=actor, before=before,
                 after=audit.snapshot(item, ITEM_FIELDS))
    return item


EVIDENCE_TYPES = tuple(ALLOWED_ATTACHMENT_TYPES)


@transaction.atomic
def add_evidence(actor, item: RectificationItem, files) -> list[RectificationEvidence]:
    """Files proving the fix, with the shared upload checks (type by name and content, size, count, scan)."""
    item = _lock(actor, item, P.RECTIFY, RectificationStatus.OPEN, RectificationStatus.REPORTED)
    uploads.check_files(files, allowed=EVIDENCE_TYPES, max_count=rules.get("remediation.evidence_max_count"),
                        max_megabytes=rules.get("remediation.evidence_max_megabytes"), field="files",
                        refused_type=_("%(name)s: this type of file is not accepted."))
    kept = [RectificationEvidence.objects.create(item=item, file=store_file(upload.name, upload.read(), "files"),
                                                 original_name=upload.name[:200], uploaded_by=actor)
            for upload in files]
    audit.record(RemediationAction.RECTIFICATION_EVIDENCE, item, actor=actor,
                 after={"files": [evidence.original_name for evidence in kept]})
    return kept


@transaction.atomic
def report_done(actor, item: RectificationItem) -> RectificationItem:
    item = _lock(actor, item, P.RECTIFY, RectificationStatus.OPEN)
    missing = [name for name in ("root_cause", "corrective_action", "preventive_action") if not getattr(item, name)]
    if missing:
        raise ValidationFailed(_("Give the root cause, the corrective and the preventive action first."),
                               field=missing[0])
    item.status, item.reported_at = RectificationStatus.REPORTED, timezone.now()
    item.save(update_fields=["status", "reported_at"])
    audit.record(RemediationAction.RECTIFICATION_REPORT, item, actor=actor, after={"status": item.status})
    return item


@transaction.atomic
def verify(actor, item: RectificationItem, *, accepted: bool, note: str) -> RectificationItem:
    """The consumer-protection office accepts the fix (verified) or sends it back with what is missing."""
    item = _lock(actor, item, P.VERIFY, RectificationStatus.REPORTED)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Write what the verification found."), field="note")
    if accepted:
        item.status, item.verified_at, item.verified_by = RectificationStatus.VERIFIED, timezone.now(), actor
    else:
        item.status, item.reported_at = RectificationStatus.OPEN, None
    item.verification_note = note
    item.save()
    action = RemediationAction.RECTIFICATION_VERIFY if accepted else RemediationAction.RECTIFICATION_REOPEN
    audit.record(action, item, actor=actor, after={"status": item.status, "note": note})
    return item

