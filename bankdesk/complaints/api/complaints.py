"""The complaint record over the API: registration (with an Idempotency-Key) and the list on the same
path, the work lists, the customer's history, one complaint, its timeline and the taxonomies."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Header, Query, Router, Schema, Status

from bankdesk.complaints import selectors
from bankdesk.complaints.api.schemas import ComplaintDetailOut, ComplaintPageOut
from bankdesk.complaints.intake import registration, registration_input
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, NonAcceptanceReason
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate

router = Router(tags=["complaints"])


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
    incident_at: datetime | None = Field(None, description="When the incident happened")
    incident_place: str = Field("", max_length=200, description="Where the incident happened")
    postal_address: str = Field("", max_length=300, description="Needed to answer by letter; stored encrypted")
    resolved_on_the_spot: bool = Field(False, description="当场办结: a minor complaint answered at once by staff; "
                                                          "registered as answered, awaiting the callback")
    on_the_spot_answer: str = Field("", max_length=5000, description="What the customer was told or what was done")


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
    archived: bool | None = Field(None, description="true: archived complaints only; false: not archived; empty: both")
    search: str = ""
    sort: str = "-received_at"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


IdempotencyKeyHeader = Annotated[str, Header(alias="Idempotency-Key", description=(
    "A key the client makes once per complaint (e.g. a UUID) and sends again with every retry; at most 100 "
    "characters."))]


def _request_hash(payload: Schema) -> str:
    return hashlib.sha256(json.dumps(payload.dict(), sort_keys=True, default=str).encode()).hexdigest()


@router.post("/complaints", response={201: ComplaintDetailOut, 200: ComplaintDetailOut})
def register(request, payload: RegistrationIn, idempotency_key: IdempotencyKeyHeader = ""):
    """Register a complaint. Send an `Idempotency-Key` header so that a retried POST never makes two:
    the retry answers 200 with the complaint the first POST made."""
    data = registration_input.build_registration(payload.dict())
    key = idempotency_key.strip()
    if key:
        complaint, created = registration.register_once(request.user, key, _request_hash(payload), data)
        return Status(201 if created else 200, complaint)
    return Status(201, registration.register_complaint(request.user, data))


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
