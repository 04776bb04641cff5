"""Payment orders (compensation and fee refunds) under maker-checker.

The handler proposes an order from an approved decision (经办): a compensation or a fee refund up to what
the decision granted of it. Approvers whose authority limit covers the
amount approve or reject it with a reason (授权); `payment_refusal` is the one place that decides who may
(not the proposer, not the staff the complaint is about, one vote each, the limit). Amounts above a rule's
threshold need two approvals by different people; a rule may require a one-time code with each approval.
Approved orders go out in the payment file (payment_file.py) and are paid when the reference is entered.
Every state change locks the order's row and writes its audit event."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.decisions.approval import MONEY_REMEDIES
from bankdesk.complaints.handling import recipients
from bankdesk.complaints.models import Decision, DecisionStatus, Remedy
from bankdesk.core import audit, rules
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.remediation import scope
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import (
    LIVE_PAYMENT_STATUSES,
    PENDING_PAYMENT_STATUSES,
    PaymentApproval,
    PaymentKind,
    PaymentOrder,
    PaymentStatus,
)
from bankdesk.remediation.payments import authority, codes
from bankdesk.remediation.permissions import RemediationPermission as P

CENT = Decimal("0.01")
DECIDED = (DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED)
KIND_REMEDY = {PaymentKind.COMPENSATION: Remedy.COMPENSATION, PaymentKind.FEE_REFUND: Remedy.FEE_REFUND}
ORDER_FIELDS = ["kind", "amount", "payee_bank", "purpose", "status", "approvals_needed"]


def masked_account(account: str) -> str:
    """The account as the trail and the lists show it: the last four characters."""
    return f"****{account[-4:]}" if account else ""


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(_("Give the amount in yuan."), field="amount")
    if amount <= 0:
        raise ValidationFailed(_("Give the amount in yuan."), field="amount")
    return amount


def _remaining(decision: Decision, kind: str) -> Decimal:
    """What the decision granted of this kind (complaints' MONEY_REMEDIES names its amount field), less the
    orders of the kind not rejected or cancelled."""
    granted = getattr(decision, MONEY_REMEDIES[KIND_REMEDY[kind]]) or Decimal(0)
    ordered = (decision.payment_orders.filter(kind=kind, status__in=LIVE_PAYMENT_STATUSES)
               .aggregate(total=Sum("amount"))["total"] or Decimal(0))
    return granted - ordered


def _order_amount(decision: Decision, kind: str, amount) -> Decimal:
    """The amount of a new order: what is left of the decision's grant of the kind when none is given."""
    if kind not in PaymentKind.values:
        raise ValidationFailed(_("Choose compensation or fee refund."), field="kind")
    if KIND_REMEDY[kind] not in decision.remedies:
        raise ValidationFailed(_("The approved decision grants no %(kind)s.") % {"kind": PaymentKind(kind).label},
                               field="kind")
    remaining = _remaining(decision, kind)
    amount = remaining if amount in (None, "") else _amount(amount)
    if amount <= 0 or amount > remaining:
        raise ValidationFailed(_("The decision leaves %(amount)s yuan of %(kind)s to order.")
                               % {"amount": max(remaining, Decimal(0)), "kind": PaymentKind(kind).label},
                               field="amount")
    return amount


def _payee(name: str, account: str) -> tuple[str, str]:
    name, account = (name or "").strip(), "".join((account or "").split())
    if not name or len(name) > 100:
        raise ValidationFailed(_("Give the payee's name (at most 100 characters)."), field="payee_name")
    if not (6 <= len(account) <= 34 and account.isalnum() and account.isascii()):
        raise ValidationFailed(_("Give the payee's account number (6 to 34 letters or digits)."),
                               field="payee_account")
    return name, account


def _locked_decision(decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update(of=("self",)).select_related(
        "complaint__unit", "complaint__lead_department").get(pk=decision.pk)
    if decision.status not in DECIDED:
        raise Conflict(_("Only an approved decision is paid."))
    return decision


@transaction.atomic
def propose_payment(actor, decision: Decision, *, kind: str, payee_name: str, payee_account: str,
                    amount=None, payee_bank: str = "", purpose: str = "") -> PaymentOrder:
    """经办: an order paying (part of) what the approved decision grants."""
    scope.require_over_complaint(actor, P.PROPOSE_PAYMENT, decision.complaint)
    decision = _locked_decision(decision)
    complaint = decision.complaint
    amount = _order_amount(decision, kind, amount)
    name, account = _payee(payee_name, payee_account)
    two = amount > rules.get("remediation.payment.two_approvals_above_yuan")
    order = PaymentOrder.objects.create(
        complaint=complaint, decision=decision, unit=complaint.unit, unit_path=complaint.unit_path, kind=kind,
        amount=amount, payee_name=name, payee_account=account, payee_bank=(payee_bank or "").strip()[:100],
        purpose=((purpose or "").strip() or f"{complaint.tracking_number} {PaymentKind(kind).label}")[:200],
        approvals_needed=2 if two else 1, proposed_by=actor)
    audit.record(RemediationAction.PAYMENT_PROPOSE, order, actor=actor, after={
        **audit.snapshot(order, ORDER_FIELDS), "complaint": complaint.tracking_number,
        "payee_account": masked_account(account)})
    notify(recipients.heads(complaint.lead_department or complaint.unit), kind="remediation.payment_proposed",
           obj=order, link=recipients.complaint_link(complaint),
           text=_("%(number)s: a payment of %(amount)s yuan awaits your approval.") % {
               "number": complaint.tracking_number, "amount": amount})
    return order


def payment_refusal(user, order: PaymentOrder) -> ValidationFailed | None:
    """Why `user` may not approve `order` now, or None when they may: the one place this is decided.
    Nobody approves their own order or one about their own conduct, nobody votes twice, and the approver's
    authority limit must cover the amount. (Rights and scope are asked before, by the caller.)"""
    if order.proposed_by_id == user.pk:
        return ValidationFailed(_("Nobody approves their own payment order."), field="note", code="self_approval")
    if user.pk in scope.concerned_user_ids(order.complaint):
        return ValidationFailed(_("The complaint is about your own conduct: someone else approves its payment."),
                                field="note", code="concerned")
    if order.approvals.filter(approver=user).exists():
        return ValidationFailed(_("You have already decided on this order; a second approver is needed."),
                                field="note", code="second_approver")
    limit = authority.limit_of(user, order.complaint)
    if order.amount > limit:
        return ValidationFailed(_("%(amount)s yuan is above your authority limit of %(limit)s yuan; a holder of a "
                                  "higher limit must approve it.") % {"amount": order.amount, "limit": limit},
                                field="note", code="over_limit")
    return None


def _lock(actor, order: PaymentOrder, permission: str, *statuses) -> PaymentOrder:
    order = PaymentOrder.objects.select_for_update(of=("self",)).select_related(
        "complaint__unit", "complaint__lead_department").get(pk=order.pk)
    scope.require_over_complaint(actor, permission, order.complaint)
    if order.status not in statuses:
        raise Conflict(_("This payment order is %(status)s.") % {"status": order.get_status_display()})
    return order


def _tell_proposer(order: PaymentOrder, text: str) -> None:
    notify([order.proposed_by_id], kind="remediation.payment_decided", obj=order,
           link=recipients.complaint_link(order.complaint), text=text)


@transaction.atomic
def approve_payment(actor, order: PaymentOrder, *, note: str = "", code: str = "") -> PaymentOrder:
    """授权: one approval; the order is approved when it has as many as it needs."""
    order = _lock(actor, order, P.APPROVE_PAYMENT, *PENDING_PAYMENT_STATUSES)
    refusal = payment_refusal(actor, order)
    if refusal is not None:
        raise refusal
    confirmed = bool(rules.get("remediation.payment.require_code"))
    if confirmed:
        codes.check(actor, code)
    PaymentApproval.objects.create(order=order, approver=actor, approved=True, note=(note or "").strip()[:300],
                                   confirmed_by_code=confirmed, limit_yuan=authority.limit_of(actor, order.complaint))
    before = order.status
    given = order.approvals.filter(approved=True).count()
    order.status = PaymentStatus.APPROVED if given >= order.approvals_needed else PaymentStatus.PARTLY_APPROVED
    order.decided_at = timezone.now() if order.status == PaymentStatus.APPROVED else None
    order.save(update_fields=["status", "decided_at"])
    audit.record(RemediationAction.PAYMENT_APPROVE, order, actor=actor, before={"status": before}, after={
        "status": order.status, "approval": given, "of": order.approvals_needed, "code": confirmed,
        "note": (note or "").strip()})
    if order.status == PaymentStatus.APPROVED:
        _tell_proposer(order, _("%(order)s of %(amount)s yuan is approved.") % {"order": order, "amount": order.amount})
    return order


@transaction.atomic
def reject_payment(actor, order: PaymentOrder, *, reason: str) -> PaymentOrder:
    """An approver refuses the order, saying why; it is closed (a new one may be proposed)."""
    order = _lock(actor, order, P.APPROVE_PAYMENT, *PENDING_PAYMENT_STATUSES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the order is rejected."), field="reason")
    refusal = payment_refusal(actor, order)
    if refusal is not None and refusal.code != "over_limit":  # refusing needs no limit
        raise refusal
    PaymentApproval.objects.create(order=order, approver=actor, approved=False, note=reason[:300],
                                   limit_yuan=authority.limit_of(actor, order.complaint))
    before = order.status
    order.status, order.rejection_reason, order.decided_at = PaymentStatus.REJECTED, reason[:300], timezone.now()
    order.save(update_fields=["status", "rejection_reason", "decided_at"])
    audit.record(RemediationAction.PAYMENT_REJECT, order, actor=actor, before={"status": before},
                 after={"status": order.status, "reason": reason})
    _tell_proposer(order, _("%(order)s was rejected: %(reason)s") % {"order": order, "reason": reason})
    return order


@transaction.atomic
def cancel_payment(actor, order: PaymentOrder, *, reason: str) -> PaymentOrder:
    """The proposing side withdraws an order not yet approved."""
    order = _lock(actor, order, P.PROPOSE_PAYMENT, *PENDING_PAYMENT_STATUSES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the order is cancelled."), field="reason")
    before = order.status
    order.status, order.rejection_reason = PaymentStatus.CANCELLED, reason[:300]
    order.save(update_fields=["status", "rejection_reason"])
    audit.record(RemediationAction.PAYMENT_CANCEL, order, actor=actor, before={"status": before},
                 after={"status": order.status, "reason": reason})
    return order


@transaction.atomic
def mark_paid(actor, order: PaymentOrder, *, reference: str) -> PaymentOrder:
    """The core-banking payment reference of an exported order: only then is it paid."""
    order = _lock(actor, order, P.PAY, PaymentStatus.EXPORTED)
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise ValidationFailed(_("Enter the payment reference of the core-banking system (at most 64 characters)."),
                               field="reference")
    order.status, order.payment_reference, order.paid_at, order.paid_by = (
        PaymentStatus.PAID, reference, timezone.now(), actor)
    order.save(update_fields=["status", "payment_reference", "paid_at", "paid_by"])
    audit.record(RemediationAction.PAYMENT_PAID, order, actor=actor, before={"status": PaymentStatus.EXPORTED},
                 after={"status": order.status, "reference": reference})
    return order

