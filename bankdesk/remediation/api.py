"""The remediation API: payment orders, rectification items and accountability records (lists with filters,
sorting and pages; one object; each step as a POST). Thin: reads through selectors, writes through the services,
which check the rights, the scope and who may not take a step; errors come as {code, message, field}."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.complaints.models import DecisionStatus
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.remediation import selectors
from bankdesk.remediation.accountability import services as accountability
from bankdesk.remediation.models import PenaltyLevel, RootCause
from bankdesk.remediation.payments import payment_file
from bankdesk.remediation.payments import services as payments
from bankdesk.remediation.rectification import services as rectification

router = Router(tags=["remediation"])


def _unit(code: str) -> OrgUnit | None:
    if not code.strip():
        return None
    unit = OrgUnit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise ValidationFailed(_("No unit with this code."), field="unit")
    return unit


def _penalty(code: str, field: str = "penalty") -> PenaltyLevel:
    penalty = PenaltyLevel.objects.filter(code=code.strip(), is_active=True).first()
    if penalty is None:
        raise ValidationFailed(_("Choose a penalty of the ladder in use."), field=field)
    return penalty


def _page(rows, query) -> dict:
    page = paginate(rows, query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


class ListQuery(InputSchema):
    unit: str = Field("", max_length=32, description="Code of a unit: its subtree")
    date_from: date | None = None
    date_to: date | None = None
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


# --- Payment orders ----------------------------------------------------------------------------------------------

class RemediationPaymentOut(Schema):
    id: int
    number: str
    complaint: str = Field(alias="complaint.tracking_number")
    kind: str
    amount: Decimal
    status: str
    approvals_needed: int
    unit: str = Field(alias="unit.name")
    proposed_by: str = Field(alias="proposed_by.username")
    proposed_at: datetime
    export_batch: str
    payment_reference: str

    @staticmethod
    def resolve_number(order) -> str:
        return str(order)


class RemediationPaymentDetailOut(RemediationPaymentOut):
    payee_name: str
    payee_account: str
    payee_bank: str
    purpose: str
    rejection_reason: str
    decided_at: datetime | None
    exported_at: datetime | None
    paid_at: datetime | None

    @staticmethod
    def resolve_payee_account(order) -> str:
        return payments.masked_account(order.payee_account)


class RemediationPaymentPageOut(Schema):
    items: list[RemediationPaymentOut]
    total: int
    page: int
    page_size: int


class RemediationPaymentQuery(ListQuery):
    status: str = Field("", max_length=20)
    kind: str = Field("", max_length=20)
    number: str = Field("", max_length=24, description="A tracking number or an order number FK…")
    pending: bool = Field(False, description="Only orders awaiting an approval")
    sort: str = Field("-proposed_at", max_length=20, description="proposed_at, amount, status, unit; - descending")


@router.get("/remediation/payment-orders", response=RemediationPaymentPageOut)
def list_payment_orders(request, query: Query[RemediationPaymentQuery]):
    filters = selectors.PaymentFilter(status=query.status, kind=query.kind, unit=_unit(query.unit),
                                      number=query.number, pending=query.pending, date_from=query.date_from,
                                      date_to=query.date_to, sort=query.sort)
    return _page(selectors.payment_orders(request.user, filters), query)


@router.get("/remediation/payment-orders/{order_id}", response=RemediationPaymentDetailOut)
def get_payment_order(request, order_id: Id):
    return selectors.payment_order(request.user, order_id)


class RemediationPaymentIn(InputSchema):
    complaint_id: Id = Field(..., description="The complaint whose approved decision the order pays")
    kind: str = Field(..., max_length=20, description="compensation or fee_refund")
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2,
                                   description="Yuan; empty: what the decision leaves of this kind")
    payee_name: str = Field(..., max_length=100)
    payee_account: str = Field(..., max_length=60)
    payee_bank: str = Field("", max_length=100)
    purpose: str = Field("", max_length=200)


@router.post("/remediation/payment-orders", response={201: RemediationPaymentDetailOut})
def propose_payment_order(request, payload: RemediationPaymentIn):
    """经办: an order paying (part of) what the complaint's approved decision grants."""
    complaint = complaint_selectors.complaint_detail(request.user, payload.complaint_id)
    decision = complaint.decisions.filter(
        status__in=[DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED]).order_by("-id").first()
    if decision is None:
        raise ValidationFailed(_("Only an approved decision is paid."), field="complaint_id")
    order = payments.propose_payment(request.user, decision, kind=payload.kind, amount=payload.amount,
                                     payee_name=payload.payee_name, payee_account=payload.payee_account,
                                     payee_bank=payload.payee_bank, purpose=payload.purpose)
    return Status(201, selectors.payment_order(request.user, order.pk))


class RemediationApproveIn(InputSchema):
    note: str = Field("", max_length=300)
    code: str = Field("", max_length=6, description="The one-time code, when the rule requires one")


@router.post("/remediation/payment-orders/{order_id}/approve", response=RemediationPaymentDetailOut)
def approve_payment_order(request, order_id: Id, payload: RemediationApproveIn):
    order = selectors.payment_order(request.user, order_id)
    payments.approve_payment(request.user, order, note=payload.note, code=payload.code)
    return selectors.payment_order(request.user, order_id)


class RemediationReasonIn(InputSchema):
    reason: str = Field(..., max_length=300)


@router.post("/remediation/payment-orders/{order_id}/reject", response=RemediationPaymentDetailOut)
def reject_payment_order(request, order_id: Id, payload: RemediationReasonIn):
    payments.reject_payment(request.user, selectors.payment_order(request.user, order_id), reason=payload.reason)
    return selectors.payment_order(request.user, order_id)


@router.post("/remediation/payment-orders/{order_id}/cancel", response=RemediationPaymentDetailOut)
def cancel_payment_order(request, order_id: Id, payload: RemediationReasonIn):
    payments.cancel_payment(request.user, selectors.payment_order(request.user, order_id), reason=payload.reason)
    return selectors.payment_order(request.user, order_id)


class RemediationPaidIn(InputSchema):
    reference: str = Field(..., max_length=64, description="The payment reference of the core-banking system")


@router.post("/remediation/payment-orders/{order_id}/paid", response=RemediationPaymentDetailOut)
def mark_payment_order_paid(request, order_id: Id, payload: RemediationPaidIn):
    payments.mark_paid(request.user, selectors.payment_order(request.user, order_id), reference=payload.reference)
    return selectors.payment_order(request.user, order_id)


class RemediationPaymentFileOut(Schema):
    batch: str
    lines: list[list[str]] = Field(..., description="The file's lines, the header first (docs/remediation.md)")


@router.post("/remediation/payment-files", response={201: RemediationPaymentFileOut})
def export_payment_file(request):
    """Every approved order in the caller's reach, exported as one core-banking payment file."""
    batch, lines = payment_file.export_payment_file(request.user)
    return Status(201, {"batch": batch, "lines": lines})


# --- Rectification items -----------------------------------------------------------------------------------------

class RemediationItemOut(Schema):
    id: int
    number: str
    unit: str = Field(alias="unit.name")
    root_cause: str | None
    summary: str
    corrective_action: str
    preventive_action: str
    owner: str | None
    due_on: date
    status: str
    is_overdue: bool
    chase_count: int
    opened_at: datetime
    reported_at: datetime | None
    verified_at: datetime | None
    verification_note: str

    @staticmethod
    def resolve_number(item) -> str:
        return str(item)

    @staticmethod
    def resolve_root_cause(item) -> str | None:
        return item.root_cause.code if item.root_cause_id else None

    @staticmethod
    def resolve_owner(item) -> str | None:
        return item.owner.username if item.owner_id else None


class RemediationEvidenceOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    content_type: str = Field(alias="file.content_type")
    size: int = Field(alias="file.size")
    uploaded_by: str = Field(alias="uploaded_by.username")
    uploaded_at: datetime


class RemediationItemDetailOut(RemediationItemOut):
    complaints: list[str]
    evidence: list[RemediationEvidenceOut]

    @staticmethod
    def resolve_complaints(item) -> list[str]:
        return [link.complaint.tracking_number for link in selectors.item_complaints(item)]

    @staticmethod
    def resolve_evidence(item) -> list:
        return list(selectors.item_evidence(item))


class RemediationItemPageOut(Schema):
    items: list[RemediationItemOut]
    total: int
    page: int
    page_size: int


class RemediationItemQuery(ListQuery):
    status: str = Field("", max_length=20)
    open_only: bool = False
    overdue: bool = False
    mine: bool = False
    root_cause: str = Field("", max_length=32, description="Code of a root cause")
    sort: str = Field("due_on", max_length=20, description="due_on, opened_at, unit, complaints; - descending")


@router.get("/remediation/rectification-items", response=RemediationItemPageOut)
def list_rectification_items(request, query: Query[RemediationItemQuery]):
    cause = RootCause.objects.filter(code=query.root_cause.strip()).first() if query.root_cause.strip() else None
    if query.root_cause.strip() and cause is None:
        raise ValidationFailed(_("Choose a root cause in use."), field="root_cause")
    filters = selectors.RectificationFilter(
        status=query.status, open_only=query.open_only, overdue=query.overdue, mine=query.mine, unit=_unit(query.unit),
        root_cause=cause, date_from=query.date_from, date_to=query.date_to, sort=query.sort)
    return _page(selectors.rectification_items(request.user, filters), query)


@router.get("/remediation/rectification-items/{item_id}", response=RemediationItemDetailOut)
def get_rectification_item(request, item_id: Id):
    return selectors.rectification_item(request.user, item_id)


class RemediationItemIn(InputSchema):
    """The fields to change; those left out stay as they are."""

    root_cause: str | None = Field(None, max_length=32, description="Code of a root cause")
    summary: str | None = Field(None, max_length=300)
    corrective_action: str | None = Field(None, max_length=5000)
    preventive_action: str | None = Field(None, max_length=5000)
    owner_id: Id | None = None
    due_on: date | None = None


@router.post("/remediation/rectification-items/{item_id}", response=RemediationItemDetailOut)
def update_rectification_item(request, item_id: Id, payload: RemediationItemIn):
    item = selectors.rectification_item(request.user, item_id)
    given = payload.model_dump(exclude_unset=True)
    changes = {name: value for name, value in given.items() if name not in ("root_cause", "owner_id")}
    if given.get("root_cause") is not None:
        changes["root_cause"] = RootCause.objects.filter(code=given["root_cause"].strip(), is_active=True).first()
        if changes["root_cause"] is None:
            raise ValidationFailed(_("Choose a root cause in use."), field="root_cause")
    if given.get("owner_id") is not None:
        changes["owner"] = User.objects.filter(pk=given["owner_id"]).first()
        if changes["owner"] is None:
            raise ValidationFailed(_("The owner must be allowed to rectify at this unit."), field="owner_id")
    if any(value is None for value in changes.values()):
        raise ValidationFailed(_("Give a value."), field=next(name for name, value in changes.items() if value is None))
    rectification.update_item(request.user, item, **changes)
    return selectors.rectification_item(request.user, item_id)


@router.post("/remediation/rectification-items/{item_id}/report", response=RemediationItemDetailOut)
def report_rectification_done(request, item_id: Id):
    rectification.report_done(request.user, selectors.rectification_item(request.user, item_id))
    return selectors.rectification_item(request.user, item_id)


@router.post("/remediation/rectification-items/{item_id}/evidence", response={201: RemediationItemDetailOut})
def add_rectification_evidence(request, item_id: Id, files: File[list[UploadedFile]]):
    """Files proving the fix (multipart field `files`, one or more), with the upload checks of the pages."""
    rectification.add_evidence(request.user, selectors.rectification_item(request.user, item_id), files)
    return Status(201, selectors.rectification_item(request.user, item_id))


@router.get("/remediation/rectification-items/{item_id}/evidence/{evidence_id}")
def get_rectification_evidence(request, item_id: Id, evidence_id: Id):
    """The evidence file as uploaded."""
    evidence = selectors.evidence_of(selectors.rectification_item(request.user, item_id), evidence_id)
    return FileResponse(selectors.open_evidence(evidence), filename=evidence.original_name,
                        content_type=evidence.file.content_type)


class RemediationVerifyIn(InputSchema):
    accepted: bool = Field(..., description="true: verified; false: sent back to the unit")
    note: str = Field(..., max_length=2000)


@router.post("/remediation/rectification-items/{item_id}/verify", response=RemediationItemDetailOut)
def verify_rectification(request, item_id: Id, payload: RemediationVerifyIn):
    rectification.verify(request.user, selectors.rectification_item(request.user, item_id),
                         accepted=payload.accepted, note=payload.note)
    return selectors.rectification_item(request.user, item_id)


class RemediationLinkIn(InputSchema):
    tracking_number: str = Field(..., max_length=24)


@router.post("/remediation/rectification-items/{item_id}/complaints", response=RemediationItemDetailOut)
def link_rectification_complaint(request, item_id: Id, payload: RemediationLinkIn):
    """Another bank-at-fault complaint of the same root cause, covered by the item."""
    item = selectors.rectification_item(request.user, item_id)
    complaint = complaint_selectors.visible_complaints(request.user).filter(
        tracking_number=payload.tracking_number.strip().upper()).first()
    if complaint is None:
        raise ValidationFailed(_("No complaint with this tracking number in your reach."), field="tracking_number")
    rectification.link_complaint(request.user, item, complaint)
    return selectors.rectification_item(request.user, item_id)


# --- Accountability records --------------------------------------------------------------------------------------

class RemediationRecordOut(Schema):
    id: int
    number: str
    complaint: str = Field(alias="complaint.tracking_number")
    staff: str = Field(alias="staff.username")
    unit: str = Field(alias="unit.name")
    penalty: str = Field(alias="penalty.code")
    penalty_name: str = Field(alias="penalty.name")
    status: str
    facts: str
    proposed_at: datetime
    decided_at: datetime | None
    decision_note: str
    appeal_text: str
    appealed_at: datetime | None
    appeal_decided_at: datetime | None
    appeal_note: str

    @staticmethod
    def resolve_number(record) -> str:
        return str(record)


class RemediationRecordPageOut(Schema):
    items: list[RemediationRecordOut]
    total: int
    page: int
    page_size: int


class RemediationRecordQuery(ListQuery):
    status: str = Field("", max_length=20)
    penalty: str = Field("", max_length=32, description="Code of a penalty level")
    number: str = Field("", max_length=24, description="A tracking number")
    sort: str = Field("-proposed_at", max_length=20, description="proposed_at, status, unit, penalty; - descending")


@router.get("/remediation/accountability-records", response=RemediationRecordPageOut)
def list_accountability_records(request, query: Query[RemediationRecordQuery]):
    penalty = _penalty(query.penalty) if query.penalty.strip() else None
    filters = selectors.AccountabilityFilter(status=query.status, unit=_unit(query.unit), penalty=penalty,
                                             number=query.number, date_from=query.date_from, date_to=query.date_to,
                                             sort=query.sort)
    return _page(selectors.accountability_records(request.user, filters), query)


@router.get("/remediation/accountability-records/{record_id}", response=RemediationRecordOut)
def get_accountability_record(request, record_id: Id):
    return selectors.accountability_record(request.user, record_id)


class RemediationRecordIn(InputSchema):
    complaint_id: Id
    staff_id: Id
    penalty: str = Field(..., max_length=32, description="Code of a penalty level")
    facts: str = Field(..., max_length=5000)


@router.post("/remediation/accountability-records", response={201: RemediationRecordOut})
def propose_accountability(request, payload: RemediationRecordIn):
    complaint = complaint_selectors.complaint_detail(request.user, payload.complaint_id)
    staff = User.objects.filter(Q(pk=payload.staff_id)).first()
    if staff is None:
        raise ValidationFailed(_("Choose the staff member held to account."), field="staff_id")
    record = accountability.propose(request.user, complaint, staff=staff, penalty=_penalty(payload.penalty),
                                    facts=payload.facts)
    return Status(201, selectors.accountability_record(request.user, record.pk))


class RemediationDecideIn(InputSchema):
    approve: bool
    note: str = Field("", max_length=300, description="Required when not approved")


@router.post("/remediation/accountability-records/{record_id}/decide", response=RemediationRecordOut)
def decide_accountability(request, record_id: Id, payload: RemediationDecideIn):
    accountability.decide(request.user, selectors.accountability_record(request.user, record_id),
                          approve=payload.approve, note=payload.note)
    return selectors.accountability_record(request.user, record_id)


class RemediationAppealDecisionIn(InputSchema):
    uphold: bool = Field(..., description="true: the penalty stays; false: replaced by `penalty`")
    note: str = Field(..., max_length=300)
    penalty: str = Field("", max_length=32, description="Code of the new penalty level, when not upheld")


@router.post("/remediation/accountability-records/{record_id}/appeal-decision", response=RemediationRecordOut)
def decide_accountability_appeal(request, record_id: Id, payload: RemediationAppealDecisionIn):
    record = selectors.accountability_record(request.user, record_id)
    penalty = None if payload.uphold else _penalty(payload.penalty)
    accountability.decide_appeal(request.user, record, uphold=payload.uphold, note=payload.note, penalty=penalty)
    return selectors.accountability_record(request.user, record_id)


@router.get("/remediation/my-accountability-records", response=list[RemediationRecordOut])
def list_my_accountability_records(request):
    """The caller's own records, every status, newest first."""
    return list(selectors.my_records(request.user))


class RemediationAppealIn(InputSchema):
    text: str = Field(..., max_length=5000)


@router.post("/remediation/my-accountability-records/{record_id}/appeal", response=RemediationRecordOut)
def appeal_accountability(request, record_id: Id, payload: RemediationAppealIn):
    """The staff member's own appeal, once, against a penalty in force."""
    accountability.appeal(request.user, selectors.my_record(request.user, record_id), text=payload.text)
    return selectors.my_record(request.user, record_id)
