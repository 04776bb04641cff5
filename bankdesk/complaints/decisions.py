"""The decision (处理意见) and what follows it: approval by someone else within their limit, the letter to
the customer, the callback (回访) and closure, and reopening (domain.md §2 "Decisions and closure")."""

from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.complaints import clocks, letters, notices, recipients, services, workflow
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.models import (
    CallbackRecord,
    ClockKind,
    Complaint,
    Decision,
    DecisionStatus,
    Remedy,
    ReopenKind,
    Satisfaction,
    Status,
)
from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.knowledge import language

# Clocks the decision answers: once the customer has it, they stop and the callback clock starts.
ANSWERED_CLOCKS = [ClockKind.MAJOR_REPLY, ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION,
                   ClockKind.REVIEW, ClockKind.BECOMES_MAJOR]


def _link(complaint: Complaint) -> str:
    return f"/complaints/{complaint.pk}/"


def current_decision(complaint: Complaint) -> Decision | None:
    return complaint.decisions.exclude(status=DecisionStatus.RETURNED).order_by("-proposed_at", "-id").first()


def _clean_remedies(remedies, amount) -> tuple[list[str], Decimal | None]:
    remedies = [code for code in dict.fromkeys(remedies or []) if code]
    if not remedies:
        raise ValidationFailed(_("Choose at least one remedy."), field="remedies")
    unknown = [code for code in remedies if code not in Remedy.values]
    if unknown:
        raise ValidationFailed(_("Unknown remedy: %(codes)s") % {"codes": ", ".join(unknown)}, field="remedies")
    if Remedy.COMPENSATION in remedies:
        if amount is None or amount <= 0:
            raise ValidationFailed(_("Give the compensation amount in yuan."), field="compensation_amount")
        highest = workflow.highest_approval_limit()
        if amount > highest:
            raise ValidationFailed(_("The compensation is above the highest approval limit of %(limit)s yuan: "
                                     "nobody could approve it.") % {"limit": highest}, field="compensation_amount")
        return remedies, Decimal(amount).quantize(Decimal("0.01"))
    if amount:
        raise ValidationFailed(_("An amount needs the remedy “Compensation”."), field="compensation_amount")
    return remedies, None


@transaction.atomic
def propose_decision(actor, complaint: Complaint, *, finding: str, remedies, closure_code,
                     compensation_amount: Decimal | None = None, expected_version: int | None = None) -> Decision:
    """经办: the handler proposes the finding, the remedy and the conclusion."""
    workflow.require_step(actor, "propose", complaint)
    if not (finding or "").strip():
        raise ValidationFailed(_("Write what the investigation found."), field="finding")
    remedies, amount = _clean_remedies(remedies, compensation_amount)
    if closure_code is None or not closure_code.is_active:
        raise ValidationFailed(_("Choose the conclusion (closure code)."), field="closure_code")
    complaint = services.lock(actor, complaint, "propose", expected_version)
    before = services.snapshot(complaint)
    decision = Decision.objects.create(complaint=complaint, finding=finding.strip(), remedies=remedies,
                                       compensation_amount=amount, closure_code=closure_code, proposed_by=actor)
    complaint.status = Status.DECISION_PROPOSED
    services.save_change(actor, complaint, ComplaintAction.DECISION_PROPOSE, before, {
        "decision": decision.pk, "remedies": remedies, "amount": str(amount or ""), "closure": closure_code.code})
    notify(recipients.heads(complaint.lead_department or complaint.unit), kind="complaint.decision_proposed",
           obj=complaint, link=_link(complaint),
           text=_("%(number)s: a decision awaits your approval.") % {"number": complaint.tracking_number})
    return decision


def _pending_decision(complaint: Complaint) -> Decision:
    return Decision.objects.select_for_update().get(complaint=complaint, status=DecisionStatus.PROPOSED)


@transaction.atomic
def approve_decision(actor, complaint: Complaint, *, note: str = "", expected_version: int | None = None) -> Decision:
    """授权: whoever workflow.approval_refusal lets approve (not the proposer, a limit covering the compensation)."""
    complaint = services.lock(actor, complaint, "approve", expected_version)
    decision = _pending_decision(complaint)
    refusal = workflow.approval_refusal(actor, complaint, decision)
    if refusal is not None:
        raise refusal
    before = services.snapshot(complaint)
    decision.status, decision.reviewed_by, decision.reviewed_at = DecisionStatus.APPROVED, actor, timezone.now()
    decision.review_note = note.strip()
    decision.save()
    complaint.status, complaint.closure_code = Status.DECISION_APPROVED, decision.closure_code
    services.save_change(actor, complaint, ComplaintAction.DECISION_APPROVE, before,
                         {"decision": decision.pk, "note": note.strip()})
    if complaint.handler_id:
        notify([complaint.handler_id], kind="complaint.decision_approved", obj=complaint, link=_link(complaint),
               text=_("%(number)s: the decision is approved; tell the customer.") % {
                   "number": complaint.tracking_number})
    return decision


@transaction.atomic
def return_decision(actor, complaint: Complaint, *, note: str, expected_version: int | None = None) -> Decision:
    workflow.require_step(actor, "return", complaint)
    if not (note or "").strip():
        raise ValidationFailed(_("Say what needs rework."), field="note")
    complaint = services.lock(actor, complaint, "return", expected_version)
    decision = _pending_decision(complaint)
    before = services.snapshot(complaint)
    decision.status, decision.reviewed_by, decision.reviewed_at = DecisionStatus.RETURNED, actor, timezone.now()
    decision.review_note = note.strip()
    decision.save()
    complaint.status = Status.REOPENED if complaint.reopen_count else Status.INVESTIGATING
    services.save_change(actor, complaint, ComplaintAction.DECISION_RETURN, before,
                         {"decision": decision.pk, "note": note.strip()})
    notify([decision.proposed_by_id], kind="complaint.decision_returned", obj=complaint, link=_link(complaint),
           text=_("%(number)s: the decision was returned: %(note)s") % {
               "number": complaint.tracking_number, "note": note.strip()})
    return decision


def decision_letter(complaint: Complaint, decision: Decision) -> bytes:
    """The decision letter (投诉处理意见告知书) in the bank's language, whatever the user's screen shows."""
    with translation.override(settings.LANGUAGE_CODE):
        return letters.render_decision_letter(letters.DecisionLetter(
            bank_name=(complaint.lead_department or complaint.unit).name, customer_name=complaint.complainant_name,
            tracking_number=complaint.tracking_number, received_on=timezone.localdate(complaint.received_at),
            summary=complaint.description, finding=decision.finding, remedies=decision.remedy_labels(),
            compensation_amount=decision.compensation_amount, conclusion=decision.closure_code.name,
            approved_by=str(decision.reviewed_by or ""), letter_date=timezone.localdate(),
            hotline=settings.BANKDESK_HOTLINE))


def decision_notice(complaint: Complaint, decision: Decision) -> str:
    """The default short notice accompanying the letter; staff may edit it before sending."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s, your complaint %(number)s has been handled: %(remedies)s. The decision letter "
                 "gives the details. We will call you within a few days to ask whether you are satisfied.") % {
            "name": complaint.complainant_name, "number": complaint.tracking_number,
            "remedies": "、".join(decision.remedy_labels())}


def letter_content(complaint: Complaint) -> bytes:
    """The letter as the customer got it once sent; until then, a preview of the approved decision's."""
    decision = current_decision(complaint)
    if decision is None or decision.status not in (DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED):
        raise NotFound(_("There is no approved decision yet."))
    if decision.letter:
        with default_storage.open(decision.letter, "rb") as stored:
            return stored.read()
    return decision_letter(complaint, decision)


def letter_path(complaint: Complaint, decision: Decision) -> str:
    return f"letters/{complaint.tracking_number}-{decision.pk}.pdf"


@transaction.atomic
def communicate_decision(actor, complaint: Complaint, *, channel: str, text: str,
                         expected_version: int | None = None) -> Decision:
    """答复: the customer is told; the decision clocks stop and the callback clock starts."""
    workflow.require_step(actor, "communicate", complaint)
    notices.check_channel(complaint, channel, field="channel")
    if not (text or "").strip():
        raise ValidationFailed(_("Write the notice to the customer."), field="text")
    language.require_clean(text, field="text")
    complaint = services.lock(actor, complaint, "communicate", expected_version)
    decision = Decision.objects.select_for_update().get(complaint=complaint, status=DecisionStatus.APPROVED)
    before = services.snapshot(complaint)
    letter = decision_letter(complaint, decision)
    decision.letter = default_storage.save(letter_path(complaint, decision), ContentFile(letter))
    decision.status, decision.communicated_at, decision.communication_channel = (
        DecisionStatus.COMMUNICATED, timezone.now(), channel)
    decision.save()
    notices.send(actor, complaint, kind="decision", channel=channel, text=text,
                 attachment=(f"{complaint.tracking_number}.pdf", letter, "application/pdf"))
    complaint.status, complaint.communicated_at, complaint.failed_callbacks = (
        Status.COMMUNICATED, decision.communicated_at, 0)
    clocks.stop(complaint, ANSWERED_CLOCKS, at=decision.communicated_at)
    clocks.end_pause(complaint, decision.communicated_at, actor)
    clocks.start(complaint, ClockKind.CALLBACK, at=decision.communicated_at)
    clocks.refresh_complaint(complaint)
    services.save_change(actor, complaint, ComplaintAction.COMMUNICATE, before,
                         {"decision": decision.pk, "channel": channel})
    return decision


def _close(actor, complaint: Complaint, before: dict, action: str, extra: dict) -> Complaint:
    complaint.status, complaint.closed_at = Status.CLOSED, timezone.now()
    services.end_clocks(complaint)
    return services.save_change(actor, complaint, action, before, extra)


def _reopen(actor, complaint: Complaint, before: dict, action: str, kind: str, reason: str) -> Complaint:
    """重新处理 / 核查: back to the handler with a clock of its own."""
    complaint.status, complaint.closed_at = Status.REOPENED, None
    complaint.reopen_count += 1
    clocks.stop(complaint)
    clocks.start(complaint, ClockKind.REVIEW)
    clocks.refresh_complaint(complaint)
    complaint = services.save_change(actor, complaint, action, before, {"kind": kind, "note": reason})
    handler = [complaint.handler_id] if complaint.handler_id else []
    notify(handler + recipients.heads(complaint.lead_department or complaint.unit),
           kind="complaint.reopened", obj=complaint, link=_link(complaint),
           text=_("%(number)s is reopened for %(kind)s: %(reason)s") % {
               "number": complaint.tracking_number, "kind": ReopenKind(kind).label, "reason": reason})
    return complaint


@transaction.atomic
def record_callback(actor, complaint: Complaint, *, reached: bool, satisfaction: str = "", reason: str = "",
                    reopen_kind: str = "", expected_version: int | None = None) -> CallbackRecord:
    """回访 with the satisfaction survey; not satisfied reopens the complaint."""
    workflow.require_step(actor, "callback", complaint)
    if reached and satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied the customer is."), field="satisfaction")
    unhappy = reached and satisfaction == Satisfaction.NOT_SATISFIED
    if unhappy and not reason.strip():
        raise ValidationFailed(_("Write why the customer is not satisfied."), field="reason")
    if unhappy and reopen_kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="reopen_kind")
    complaint = services.lock(actor, complaint, "callback", expected_version)
    before = services.snapshot(complaint)
    record = CallbackRecord.objects.create(
        complaint=complaint, reached=reached, satisfaction=satisfaction if reached else "", reason=reason.strip(),
        reopen_kind=reopen_kind if unhappy else "", staff=actor)
    extra = {"callback": record.pk, "satisfaction": record.satisfaction, "note": reason.strip()}
    if not reached:
        complaint.failed_callbacks += 1
        services.save_change(actor, complaint, ComplaintAction.CALLBACK_FAILED, before, extra)
    elif unhappy:
        _reopen(actor, complaint, before, ComplaintAction.CALLBACK, reopen_kind, reason.strip())
    else:
        _close(actor, complaint, before, ComplaintAction.CALLBACK, extra)
    return record


def may_close_unreachable(complaint: Complaint) -> bool:
    return complaint.failed_callbacks >= rules.get("complaint.callback_max_attempts")


@transaction.atomic
def close_unreachable(actor, complaint: Complaint, *, note: str = "", expected_version: int | None = None) -> Complaint:
    complaint = services.lock(actor, complaint, "close_unreachable", expected_version)
    if not may_close_unreachable(complaint):
        raise ValidationFailed(_("The customer must have been tried %(count)d times before closing without a "
                                 "callback; %(done)d so far.") % {
            "count": rules.get("complaint.callback_max_attempts"), "done": complaint.failed_callbacks},
            field="note", code="invalid_state")
    before = services.snapshot(complaint)
    return _close(actor, complaint, before, ComplaintAction.CLOSE_UNREACHABLE,
                  {"attempts": complaint.failed_callbacks, "note": note.strip()})


@transaction.atomic
def reopen_complaint(actor, complaint: Complaint, *, kind: str, reason: str,
                     expected_version: int | None = None) -> Complaint:
    """A closed complaint changes only through this audited reopen (e.g. the customer asks for 核查)."""
    workflow.require_step(actor, "reopen", complaint)
    if kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="kind")
    if not (reason or "").strip():
        raise ValidationFailed(_("Write why the complaint is reopened."), field="reason")
    complaint = services.lock(actor, complaint, "reopen", expected_version)
    before = services.snapshot(complaint)
    return _reopen(actor, complaint, before, ComplaintAction.REOPEN, kind, reason.strip())
