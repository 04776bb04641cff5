"""Pages of payment orders: the list (filters, sorting, pages, export), proposing from a complaint's approved
decision, the order with its approvals and the forms of its next steps (approve with the one-time code when the
rule asks for it, reject, cancel, enter the payment reference), the payment file, and the approver's
authenticator. Thin: reads through selectors, every change through the services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.complaints.models import DecisionStatus
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.exports import Column, local
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, csv_download, page_of
from bankdesk.remediation import scope, selectors
from bankdesk.remediation.models import (
    PENDING_PAYMENT_STATUSES,
    ApproverDevice,
    PaymentOrder,
    PaymentStatus,
)
from bankdesk.remediation.payments import codes, payment_file, services
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.web.exports import export
from bankdesk.remediation.web.forms import (
    ApprovePaymentForm,
    CodeForm,
    PaidForm,
    PaymentFilterForm,
    ProposePaymentForm,
    ReasonForm,
)

PAGE_SIZE = 50


def _filters(request) -> tuple[PaymentFilterForm, selectors.PaymentFilter]:
    form = PaymentFilterForm(request.GET or None, user=request.user)
    return form, selectors.PaymentFilter(**{"sort": "-proposed_at", **form.values()})


@require_GET
def payment_list(request):
    form, filters = _filters(request)
    user = request.user
    return render(request, "remediation/payment_list.html", {
        "form": form, "page": page_of(request, selectors.payment_orders(user, filters), size=PAGE_SIZE),
        "sort": filters.sort, "can_export": has_permission(user, P.EXPORT), "can_pay": has_permission(user, P.PAY)})


COLUMNS = [
    Column(gettext_lazy("Order"), str),
    Column(gettext_lazy("Complaint"), lambda order: order.complaint.tracking_number),
    Column(gettext_lazy("Kind"), lambda order: order.get_kind_display()),
    Column(gettext_lazy("Amount (yuan)"), lambda order: f"{order.amount:.2f}"),
    Column(gettext_lazy("Status"), lambda order: order.get_status_display()),
    Column(gettext_lazy("Unit"), lambda order: order.unit.name),
    Column(gettext_lazy("Proposed by"), lambda order: str(order.proposed_by)),
    Column(gettext_lazy("Proposed at"), lambda order: local(order.proposed_at)),
    Column(gettext_lazy("Payment file"), lambda order: order.export_batch),
    Column(gettext_lazy("Payment reference"), lambda order: order.payment_reference),
]


@require_GET
def payment_export(request):
    _form, filters = _filters(request)
    return export(request, "payment-orders", COLUMNS, selectors.payment_orders(request.user, filters), vars(filters))


def _approved_decision(complaint):
    return complaint.decisions.filter(status__in=[DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED]).order_by(
        "-id").first()


def payment_new(request, complaint_id):
    """经办: an order paying what the complaint's approved decision grants."""
    complaint = complaint_selectors.complaint_detail(request.user, complaint_id)
    if not scope.over_complaint(request.user, P.PROPOSE_PAYMENT, complaint):
        raise Http404()
    decision = _approved_decision(complaint)
    form = ProposePaymentForm(request.POST or None)
    if decision is not None and request.method == "POST" and form.is_valid():
        order = call_service(form, lambda: services.propose_payment(request.user, decision, **form.cleaned_data))
        if order is not None:
            messages.success(request, _("The payment order is proposed and awaits approval."))
            return redirect("remediation:payment", order_id=order.pk)
    return render(request, "remediation/payment_form.html", {"complaint": complaint, "decision": decision,
                                                             "form": form})


def _context(request, order: PaymentOrder, **forms) -> dict:
    user = request.user
    pending = order.status in PENDING_PAYMENT_STATUSES
    may_approve = pending and scope.over_complaint(user, P.APPROVE_PAYMENT, order.complaint)
    refusal = services.payment_refusal(user, order) if may_approve else None
    code_required = bool(rules.get("remediation.payment.require_code"))
    return {
        "order": order, "approvals": selectors.approvals(order),
        "masked_account": services.masked_account(order.payee_account),
        "refusal": refusal, "code_required": code_required,
        "approve_form": forms.get("approve_form") or (
            ApprovePaymentForm(code_required=code_required) if may_approve and refusal is None else None),
        "reject_form": forms.get("reject_form") or (
            ReasonForm(auto_id="reject_%s") if may_approve and (refusal is None or refusal.code == "over_limit")
            else None),
        "cancel_form": forms.get("cancel_form") or (
            ReasonForm(auto_id="cancel_%s") if pending and scope.over_complaint(user, P.PROPOSE_PAYMENT,
                                                                                  order.complaint) else None),
        "paid_form": forms.get("paid_form") or (
            PaidForm() if order.status == PaymentStatus.EXPORTED and scope.over_complaint(user, P.PAY, order.complaint)
            else None),
    }


@require_GET
def payment_detail(request, order_id):
    order = selectors.payment_order(request.user, order_id)
    return render(request, "remediation/payment_detail.html", _context(request, order))


def _step(request, order_id, form_name: str, form, step, done: str):
    order = selectors.payment_order(request.user, order_id)
    if form.is_valid() and call_service(form, lambda: step(order, form.cleaned_data), conflict_on_form=True):
        messages.success(request, done)
        return redirect("remediation:payment", order_id=order.pk)
    return render(request, "remediation/payment_detail.html", _context(request, order, **{form_name: form}))


@require_POST
def payment_approve(request, order_id):
    form = ApprovePaymentForm(request.POST, code_required=bool(rules.get("remediation.payment.require_code")))
    return _step(request, order_id, "approve_form", form,
                 lambda order, data: services.approve_payment(request.user, order, note=data.get("note", ""),
                                                              code=data.get("code", "")),
                 _("Your approval is recorded."))


@require_POST
def payment_reject(request, order_id):
    return _step(request, order_id, "reject_form", ReasonForm(request.POST, auto_id="reject_%s"),
                 lambda order, data: services.reject_payment(request.user, order, reason=data["reason"]),
                 _("The payment order is rejected."))


@require_POST
def payment_cancel(request, order_id):
    return _step(request, order_id, "cancel_form", ReasonForm(request.POST, auto_id="cancel_%s"),
                 lambda order, data: services.cancel_payment(request.user, order, reason=data["reason"]),
                 _("The payment order is cancelled."))


@require_POST
def payment_paid(request, order_id):
    return _step(request, order_id, "paid_form", PaidForm(request.POST),
                 lambda order, data: services.mark_paid(request.user, order, reference=data["reference"]),
                 _("The payment reference is entered: the order is paid."))


@require_POST
def payment_file_export(request):
    """Every approved order in the user's reach, exported as one core-banking payment file (CSV)."""
    try:
        batch, rows = payment_file.export_payment_file(request.user)
    except ValidationFailed as failure:
        messages.error(request, failure.message)
        return redirect("remediation:payments")
    return csv_download(f"{batch}.csv", rows)


@require_GET
def payment_file_download(request, batch):
    return csv_download(f"{batch}.csv", payment_file.download_batch(request.user, batch))


def authenticator(request):
    """The approver's authenticator for one-time codes: set up (a new secret) and confirmed with a code."""
    user = request.user
    device = ApproverDevice.objects.filter(user=user).first()
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if "enrol" in request.POST:
            codes.enrol(user)
            messages.success(request, _("Add the key to your authenticator app, then enter the code it shows."))
            return redirect("remediation:authenticator")
        if form.is_valid() and call_service(form, lambda: codes.confirm(user, form.cleaned_data["code"])):
            messages.success(request, _("Your authenticator is confirmed."))
            return redirect("remediation:authenticator")
    return render(request, "remediation/authenticator.html", {
        "device": device, "form": form, "uri": codes.provisioning_uri(device) if device and not device.confirmed
        else "", "code_required": bool(rules.get("remediation.payment.require_code"))})
