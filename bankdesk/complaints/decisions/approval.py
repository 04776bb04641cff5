"""The decision (处理意见): proposed by the handler, approved by someone else within their limit
(`state_machine.approval_refusal`) or returned for rework."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import dispatch, recipients
from bankdesk.complaints.models import Complaint, Decision, DecisionStatus, Remedy, Status
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify


def current_decision(complaint: Complaint) -> Decision | None:
    return complaint.decisions.exclude(status=DecisionStatus.RETURNED).order_by("-proposed_at", "-id").first()


# A remedy that pays the customer, and the amount field it needs.
MONEY_REMEDIES = {Remedy.FEE_REFUND: "fee_refund_amount", Remedy.COMPENSATION: "compensation_amount"}


def _clean_amount(remedies: list[str], remedy: str, amount) -> Decimal | None:
    """The amount of a paying remedy: required with it (over zero), refused without it."""
    field = MONEY_REMEDIES[remedy]
    if remedy not in remedies:
        if amount:
            raise ValidationFailed(_("An amount needs the remedy “%(remedy)s”.") % {"remedy": Remedy(remedy).label},
                                   field=field)
        return None
    if amount is None or amount <= 0:
        raise ValidationFailed(_("Give the amount of the “%(remedy)s” in yuan.") % {"remedy": Remedy(remedy).label},
                               field=field)
    return Decimal(amount).quantize(Decimal("0.01"))


def _clean_remedies(remedies, amounts: dict) -> tuple[list[str], dict]:
    """The remedies and their amounts ({field: Decimal | None}); the amounts together within the highest limit."""
    remedies = [code for code in dict.fromkeys(remedies or []) if code]
    if not remedies:
        raise ValidationFailed(_("Choose at least one remedy."), field="remedies")
    unknown = [code for code in remedies if code not in Remedy.values]
    if unknown:
        raise ValidationFailed(_("Unknown remedy: %(codes)s") % {"codes": ", ".join(unknown)}, field="remedies")
    cleaned = {field: _clean_amount(remedies, remedy, amounts.get(field)) for remedy, field in MONEY_REMEDIES.items()}
    highest = state_machine.highest_approval_limit()
    if sum(amount or 0 for amount in cleaned.values()) > highest:
        field = "compensation_amount" if cleaned["compensation_amount"] else "fee_refund_amount"
        raise ValidationFailed(_("The amount paid is above the highest approval limit of %(limit)s yuan: "
                                 "nobody could approve it.") % {"limit": highest}, field=field)
    return remedies, cleaned


@transaction.atomic
def propose_decision(actor, complaint: Complaint, *, finding: str, remedies, closure_code,
                     compensation_amount: Decimal | None = None, fee_refund_amount: Decimal | None = None,
                     basis: str, expected_version: int | None = None) -> Decision:
    """经办: the handler proposes the finding, its basis and reasons, the remedies and the conclusion."""
    state_machine.require_step(actor, "propose", complaint)
    if not (finding or "").strip():
        raise ValidationFailed(_("Write what the investigation found."), field="finding")
    remedies, amounts = _clean_remedies(remedies, {"compensation_amount": compensation_amount,
                                                   "fee_refund_amount": fee_refund_amount})
    if closure_code is None or not closure_code.is_active:
        raise ValidationFailed(_("Choose the conclusion (closure code)."), field="closure_code")
    if not (basis or "").strip():  # the letter states them to the customer
        raise ValidationFailed(_("Write the basis and reasons for the decision (rules, contract terms)."),
                               field="basis")
    complaint = saving.lock(actor, complaint, "propose", expected_version)
    before = saving.snapshot(complaint)
    decision = Decision.objects.create(complaint=complaint, finding=finding.strip(), basis=(basis or "").strip(),
                                       remedies=remedies, closure_code=closure_code, proposed_by=actor, **amounts)
    dispatch.sign_on_first_work(complaint, actor)
    complaint.status = Status.DECISION_PROPOSED
    saving.save_change(actor, complaint, ComplaintAction.DECISION_PROPOSE, before, {
        "decision": decision.pk, "remedies": remedies, "amount": str(amounts["compensation_amount"] or ""),
        "fee_refund": str(amounts["fee_refund_amount"] or ""), "closure": closure_code.code})
    notify(recipients.heads(complaint.lead_department or complaint.unit), kind="complaint.decision_proposed",
           obj=complaint, link=recipients.complaint_link(complaint),
           text=_("%(number)s: a decision awaits your approval.") % {"number": complaint.tracking_number})
    return decision


def _pending_decision(complaint: Complaint) -> Decision:
    return Decision.objects.select_for_update().get(complaint=complaint, status=DecisionStatus.PROPOSED)


@transaction.atomic
def approve_decision(actor, complaint: Complaint, *, note: str = "", expected_version: int | None = None) -> Decision:
    """授权: whoever state_machine.approval_refusal lets approve (not the proposer, a limit covering the compensation)."""
    complaint = saving.lock(actor, complaint, "approve", expected_version)
    decision = _pending_decision(complaint)
    refusal = state_machine.approval_refusal(actor, complaint, decision)
    if refusal is not None:
        raise refusal
    before = saving.snapshot(complaint)
    decision.status, decision.reviewed_by, decision.reviewed_at = DecisionStatus.APPROVED, actor, timezone.now()
    decision.review_note = note.strip()
    decision.save()
    complaint.status, complaint.closure_code = Status.DECISION_APPROVED, decision.closure_code
    saving.save_change(actor, complaint, ComplaintAction.DECISION_APPROVE, before,
                       {"decision": decision.pk, "note": note.strip()})
    if complaint.handler_id:
        notify([complaint.handler_id], kind="complaint.decision_approved", obj=complaint,
               link=recipients.complaint_link(complaint), text=_("%(number)s: the decision is approved; tell the customer.") % {
                   "number": complaint.tracking_number})
    return decision


@transaction.atomic
def return_decision(actor, complaint: Complaint, *, note: str, expected_version: int | None = None) -> Decision:
    state_machine.require_step(actor, "return", complaint)
    if not (note or "").strip():
        raise ValidationFailed(_("Say what needs rework."), field="note")
    complaint = saving.lock(actor, complaint, "return", expected_version)
    decision = _pending_decision(complaint)
    before = saving.snapshot(complaint)
    decision.status, decision.reviewed_by, decision.reviewed_at = DecisionStatus.RETURNED, actor, timezone.now()
    decision.review_note = note.strip()
    decision.save()
    complaint.status = Status.REOPENED if complaint.reopen_count else Status.INVESTIGATING
    saving.save_change(actor, complaint, ComplaintAction.DECISION_RETURN, before,
                       {"decision": decision.pk, "note": note.strip()})
    notify([decision.proposed_by_id], kind="complaint.decision_returned", obj=complaint,
           link=recipients.complaint_link(complaint), text=_("%(number)s: the decision was returned: %(note)s") % {
               "number": complaint.tracking_number, "note": note.strip()})
    return decision
