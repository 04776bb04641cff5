import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.complaints import intake, public, selectors, services
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, ChannelKind, Complaint, NonAcceptanceReason
from bankdesk.complaints.progress import customer_stage
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.core.pii import mask_phone
from bankdesk.orgs.models import OrgUnit, User

router = Router(tags=["complaints"])
public_router = Router(tags=["public"], auth=None)


class RepresentativeIn(InputSchema):
    name: str = Field(..., max_length=100)
    phone: str = Field("", max_length=30)


class RegistrationIn(InputSchema):
    complainant_name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=30)
    channel: str = Field(..., description="Channel code, e.g. hotline, outlet, nfra")
    unit: str = Field(..., description="Code of the outlet or department concerned")
    business_category: str = Field(..., description="Code of a sub-category, e.g. card_fees")
    cause: str
    description: str
    demand: str = ""
    received_at: datetime | None = None
    id_type: str = ""
    id_number: str = Field("", max_length=40)
    account_number: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    staff_concerned_name: str = Field("", max_length=100)
    staff_concerned_id: Id | None = None
    amount_involved: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    is_group: bool = False
    group_size: int | None = None
    representatives: list[RepresentativeIn] = []
    external_reference: str = Field("", max_length=64)
    external_deadline: datetime | None = None
    disputed_act_approver_ids: list[Id] = []


class ComplaintOut(Schema):
    id: int
    tracking_number: str
    status: str
    status_display: str = Field(alias="get_status_display")
    severity: int
    version: int
    complainant_name: str
    phone_masked: str
    channel: str = Field(alias="channel.code")
    unit: str = Field(alias="unit.code")
    business_category: str = Field(alias="business_category.code")
    cause: str = Field(alias="cause.code")
    received_at: datetime
    acceptance_deadline: datetime
    acceptance_deadline_provisional: bool
    is_repeat: bool
    external_reference: str
    external_deadline: datetime | None
    lead_department: str | None = None
    handler: str | None = None
    current_deadline: datetime | None = Field(None, description="The nearest running deadline")
    deadline_state: int = Field(0, description="0 on time, 1 due soon (warned), 2 overdue")
    escalation_level: int = 0
    paused_since: datetime | None = None

    @staticmethod
    def resolve_phone_masked(complaint):
        return mask_phone(complaint.phone)

    @staticmethod
    def resolve_lead_department(complaint):
        return complaint.lead_department.code if complaint.lead_department_id else None

    @staticmethod
    def resolve_handler(complaint):
        return complaint.handler.username if complaint.handler_id else None


class ComplaintDetailOut(ComplaintOut):
    description: str
    demand: str
    amount_involved: Decimal | None
    is_group: bool
    merged_into: str | None = None

    @staticmethod
    def resolve_merged_into(complaint):
        if not complaint.merged_into_id:
            return None
        # complaint_detail reads the number alone; a complaint a step has just merged holds merged_into itself
        return getattr(complaint, "merged_into_number", None) or complaint.merged_into.tracking_number


class ComplaintPageOut(Schema):
    items: list[ComplaintOut]
    total: int
    page: int
    page_size: int


class ComplaintQuery(InputSchema):
    status: str = ""
    channel: Id | None = None
    business_category: Id | None = None
    severity: int | None = Field(None, ge=1, le=3)
    unit: Id | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    deadline_state: int | None = Field(None, ge=0, le=2, description="0 on time, 1 due soon, 2 overdue")
    search: str = ""
    sort: str = "-received_at"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


def _request_hash(payload: Schema) -> str:
    return hashlib.sha256(json.dumps(payload.dict(), sort_keys=True, default=str).encode()).hexdigest()


@router.post("/complaints", response={201: ComplaintDetailOut, 200: ComplaintDetailOut})
def register(request, payload: RegistrationIn):
    """Register a complaint. Send an `Idempotency-Key` header so that a retried POST never makes two."""
    data = intake.build_registration(payload.dict())
    key = request.headers.get("Idempotency-Key", "").strip()
    if key:
        complaint, created = services.register_once(request.user, key, _request_hash(payload), data)
        return Status(201 if created else 200, complaint)
    return Status(201, services.register_complaint(request.user, data))


def _page(complaints, query) -> dict:
    page = paginate(complaints, query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


@router.get("/complaints", response=ComplaintPageOut)
def list_complaints(request, query: Query[ComplaintQuery]):
    filters = selectors.ComplaintFilter(**query.dict(exclude={"page", "page_size"}))
    return _page(selectors.complaint_list(request.user, filters), query)


class WorkQuery(InputSchema):
    state: int | None = Field(None, ge=0, le=2, description="0 on time, 1 due soon, 2 overdue")
    status: str = ""
    sort: str = Field("current_deadline", description="current_deadline, received_at, severity (- for descending)")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


@router.get("/complaints/my-work", response=ComplaintPageOut)
def my_work(request, query: Query[WorkQuery]):
    """The caller's open complaints, what is due first on top."""
    filters = selectors.WorkFilter(state=query.state, status=query.status, sort=query.sort)
    return _page(selectors.my_work(request.user, filters), query)


@router.get("/complaints/team", response=ComplaintPageOut)
def team_work(request, query: Query[WorkQuery]):
    """The open complaints of the departments the caller approves for."""
    filters = selectors.WorkFilter(state=query.state, status=query.status, sort=query.sort)
    return _page(selectors.team_work(request.user, filters), query)


class HistoryOut(Schema):
    tracking_number: str
    received_at: datetime
    status: str
    business_category: str = Field(alias="business_category.name")


class LookupIn(InputSchema):
    phone: str = Field(..., max_length=30)


@router.post("/complaints/lookup", response=list[HistoryOut])
def customer_history(request, payload: LookupIn):
    """A caller's earlier complaints, bank-wide, for the person registering a new one.

    POST, so that the phone number travels in the body, never in a URL that access logs keep.
    """
    return selectors.customer_history(request.user, payload.phone)


@router.get("/complaints/{complaint_id}", response=ComplaintDetailOut)
def get_complaint(request, complaint_id: Id):
    return selectors.complaint_detail(request.user, complaint_id)


class EventOut(Schema):
    occurred_at: datetime
    actor: str = Field(alias="actor_label")
    action: str
    before: dict | None
    after: dict | None


@router.get("/complaints/{complaint_id}/timeline", response=list[EventOut])
def complaint_timeline(request, complaint_id: Id):
    return selectors.timeline(selectors.complaint_detail(request.user, complaint_id))


class VersionIn(InputSchema):
    version: int | None = Field(None, description="The version you saw; a newer one answers 409")


class RefuseIn(VersionIn):
    reason: str = Field(..., description="Code of the reason for not accepting")
    notice_channel: str = Field(..., description="phone, sms, email or letter")
    notice_text: str = Field("", description="Left empty: the standard wording with the reason")


class MergeIn(VersionIn):
    into: str = Field(..., description="Tracking number of the earlier complaint")
    note: str = ""


class WithdrawIn(VersionIn):
    note: str


class RouteIn(VersionIn):
    lead_department: str = Field(..., description="Unit code")
    assisting_departments: list[str] = []
    handler: str | None = Field(None, description="User name; empty: the least-loaded eligible handler")


def _complaint_for_review(request, complaint_id: int) -> Complaint:
    return selectors.complaint_detail(request.user, complaint_id)


@router.post("/complaints/{complaint_id}/accept", response=ComplaintDetailOut)
def accept(request, complaint_id: Id, payload: VersionIn):
    return services.accept_complaint(request.user, _complaint_for_review(request, complaint_id), payload.version)


@router.post("/complaints/{complaint_id}/refuse", response=ComplaintDetailOut)
def refuse(request, complaint_id: Id, payload: RefuseIn):
    complaint = _complaint_for_review(request, complaint_id)
    reason = NonAcceptanceReason.objects.filter(code=payload.reason, is_active=True).first()
    text = payload.notice_text or (services.non_acceptance_notice(complaint, reason) if reason else "")
    return services.refuse_complaint(request.user, complaint, reason=reason, notice_channel=payload.notice_channel,
                                     notice_text=text, expected_version=payload.version)


@router.post("/complaints/{complaint_id}/merge", response=ComplaintDetailOut)
def merge(request, complaint_id: Id, payload: MergeIn):
    complaint = _complaint_for_review(request, complaint_id)
    into = selectors.visible_complaints(request.user).filter(tracking_number=payload.into.strip().upper()).first()
    if into is None:
        raise ValidationFailed(_("No complaint with this tracking number in your scope."), field="into")
    return services.merge_complaint(request.user, complaint, into, payload.note, payload.version)


@router.post("/complaints/{complaint_id}/withdraw", response=ComplaintDetailOut)
def withdraw(request, complaint_id: Id, payload: WithdrawIn):
    return services.withdraw_complaint(request.user, _complaint_for_review(request, complaint_id), payload.note,
                                       payload.version)


@router.post("/complaints/{complaint_id}/route", response=ComplaintDetailOut)
def route(request, complaint_id: Id, payload: RouteIn):
    complaint = _complaint_for_review(request, complaint_id)
    lead = OrgUnit.objects.filter(code=payload.lead_department).first()
    if lead is None:
        raise ValidationFailed(_("Unknown unit code."), field="lead_department")
    assisting = list(OrgUnit.objects.filter(code__in=payload.assisting_departments))
    handler = None
    if payload.handler:
        handler = User.objects.filter(username=payload.handler).first()
        if handler is None:
            raise ValidationFailed(_("Unknown user name."), field="handler")
    return services.route_complaint(request.user, complaint, lead_department=lead, assisting=assisting,
                                    handler=handler, expected_version=payload.version)


class TaxonomyOut(Schema):
    code: str
    name: str
    name_en: str


class CategoryOut(TaxonomyOut):
    parent: str | None = None

    @staticmethod
    def resolve_parent(category):
        return category.parent.code if category.parent_id else None


class TaxonomiesOut(Schema):
    channels: list[TaxonomyOut]
    business_categories: list[CategoryOut]
    causes: list[TaxonomyOut]
    non_acceptance_reasons: list[TaxonomyOut]


@router.get("/complaints-taxonomies", response=TaxonomiesOut)
def taxonomies(request):
    return {
        "channels": Channel.objects.filter(is_active=True),
        "business_categories": BusinessCategory.objects.filter(is_active=True).select_related("parent"),
        "causes": Cause.objects.filter(is_active=True),
        "non_acceptance_reasons": NonAcceptanceReason.objects.filter(is_active=True),
    }


class PublicRegistrationIn(InputSchema):
    complainant_name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=30)
    unit: str = Field(..., description="Code of the outlet concerned")
    business_category: str
    cause: str = "other"
    description: str
    demand: str = ""
    email: str = Field("", max_length=254)


class PublicReceiptOut(Schema):
    tracking_number: str


class PublicStatusOut(Schema):
    tracking_number: str
    received_at: datetime
    stage: str
    explanation: str


@public_router.post("/public/complaints", response={201: PublicReceiptOut})
def public_register(request, payload: PublicRegistrationIn):
    """The customer's own form: no login; rate-limited per address."""
    public.check_rate(request, "file")
    channel = Channel.objects.filter(kind=ChannelKind.PUBLIC, is_active=True).first()
    data = intake.build_registration({**payload.dict(), "channel": channel.code if channel else ""})
    return Status(201, services.register_complaint(None, data))


class PublicStatusIn(InputSchema):
    tracking_number: str = Field(..., max_length=24)
    phone: str = Field(..., max_length=30)


@public_router.post("/public/complaints/status", response=PublicStatusOut)
def public_status(request, payload: PublicStatusIn):
    """Tracking number and phone in the body (never in a logged URL); a miss never says which was wrong."""
    public.check_rate(request, "track")
    complaint = selectors.public_status(payload.tracking_number, payload.phone)
    if complaint is None:
        raise NotFound()
    stage, explanation = customer_stage(complaint)
    return {"tracking_number": complaint.tracking_number, "received_at": complaint.received_at, "stage": stage,
            "explanation": explanation}
