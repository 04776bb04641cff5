"""After the decision: the callback (回访) with the satisfaction survey, closure (also without reaching
the customer after the attempts the rules allow), and reopening for re-handling or review."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, recipients
from bankdesk.complaints.models import CallbackRecord, ClockKind, Complaint, ReopenKind, Satisfaction, Status
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify


def _close(actor, complaint: Complaint, before: dict, action: str, extra: dict) -> Complaint:
    complaint.status, complaint.closed_at = Status.CLOSED, timezone.now()
    clocks.end_clocks(complaint)
    return saving.save_change(actor, complaint, action, before, extra)


def _reopen(actor, complaint: Complaint, before: dict, action: str, kind: str, reason: str) -> Complaint:
    """重新处理 / 核查: back to the handler with a clock of its own."""
    complaint.status, complaint.closed_at = Status.REOPENED, None
    complaint.reopen_count += 1
    clocks.stop(complaint)
    clocks.start(complaint, ClockKind.REVIEW)
    clocks.refresh_complaint(complaint)
    complaint = saving.save_change(actor, complaint, action, before, {"kind": kind, "note": reason})
    handler = [complaint.handler_id] if complaint.handler_id else []
    notify(handler + recipients.heads(complaint.lead_department or complaint.unit),
           kind="complaint.reopened", obj=complaint, link=recipients.complaint_link(complaint),
           text=_("%(number)s is reopened for %(kind)s: %(reason)s") % {
               "number": complaint.tracking_number, "kind": ReopenKind(kind).label, "reason": reason})
    return complaint


@transaction.atomic
def record_callback(actor, complaint: Complaint, *, reached: bool, satisfaction: str = "", reason: str = "",
                    reopen_kind: str = "", expected_version: int | None = None) -> CallbackRecord:
    """回访 with the satisfaction survey; not satisfied reopens the complaint."""
    state_machine.require_step(actor, "callback", complaint)
    if reached and satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied the customer is."), field="satisfaction")
    unhappy = reached and satisfaction == Satisfaction.NOT_SATISFIED
    if unhappy and not reason.strip():
        raise ValidationFailed(_("Write why the customer is not satisfied."), field="reason")
    if unhappy and reopen_kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="reopen_kind")
    complaint = saving.lock(actor, complaint, "callback", expected_version)
    before = saving.snapshot(complaint)
    record = CallbackRecord.objects.create(
        complaint=complaint, reached=reached, satisfaction=satisfaction if reached else "", reason=reason.strip(),
        reopen_kind=reopen_kind if unhappy else "", staff=actor)
    extra = {"callback": record.pk, "satisfaction": record.satisfaction, "note": reason.strip()}
    if not reached:
        complaint.failed_callbacks += 1
        saving.save_change(actor, complaint, ComplaintAction.CALLBACK_FAILED, before, extra)
    elif unhappy:
        _reopen(actor, complaint, before, ComplaintAction.CALLBACK, reopen_kind, reason.strip())
    else:
        _close(actor, complaint, before, ComplaintAction.CALLBACK, extra)
    return record


def may_close_unreachable(complaint: Complaint) -> bool:
    return complaint.failed_callbacks >= rules.get("complaint.callback_max_attempts")


@transaction.atomic
def close_unreachable(actor, complaint: Complaint, *, note: str = "", expected_version: int | None = None) -> Complaint:
    complaint = saving.lock(actor, complaint, "close_unreachable", expected_version)
    if not may_close_unreachable(complaint):
        raise ValidationFailed(_("The customer must have been tried %(count)d times before closing without a "
                                 "callback; %(done)d so far.") % {
            "count": rules.get("complaint.callback_max_attempts"), "done": complaint.failed_callbacks},
                               field="note", code="invalid_state")
    before = saving.snapshot(complaint)
    return _close(actor, complaint, before, ComplaintAction.CLOSE_UNREACHABLE,
                  {"attempts": complaint.failed_callbacks, "note": note.strip()})


@transaction.atomic
def reopen_complaint(actor, complaint: Complaint, *, kind: str, reason: str,
                     expected_version: int | None = None) -> Complaint:
    """A closed complaint changes only through this audited reopen (e.g. the customer asks for 核查)."""
    state_machine.require_step(actor, "reopen", complaint)
    if kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="kind")
    if not (reason or "").strip():
        raise ValidationFailed(_("Write why the complaint is reopened."), field="reason")
    complaint = saving.lock(actor, complaint, "reopen", expected_version)
    before = saving.snapshot(complaint)
    return _reopen(actor, complaint, before, ComplaintAction.REOPEN, kind, reason.strip())
