"""The customer's API, without login: the public complaint form and the progress look-up, rate-limited."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse

from ninja import Field, Router, Schema, Status

from bankdesk.complaints import selectors
from bankdesk.complaints.intake import public_limits, registration, registration_input
from bankdesk.complaints.models import Channel, ChannelKind
from bankdesk.complaints.decisions import customer_review
from bankdesk.complaints.web import tracking
from bankdesk.core.errors import NotFound
from bankdesk.core.inputs import InputSchema

router = Router(tags=["public"], auth=None)


class PublicRegistrationIn(InputSchema):
    complainant_name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=30)
    unit: str = Field(..., description="Code of the outlet concerned")
    business_category: str
    cause: str = "other"
    description: str
    demand: str = ""
    email: str = Field("", max_length=254)
    incident_at: datetime | None = Field(None, description="When it happened")
    incident_place: str = Field("", max_length=200, description="Where it happened")
    postal_address: str = Field("", max_length=300, description="To be answered by letter")


class PublicReceiptOut(Schema):
    tracking_number: str


class StageOut(Schema):
    label: str
    at: datetime | None = Field(None, description="When it was reached; null: not yet")


class DecisionSummaryOut(Schema):
    conclusion: str = Field(..., description="The decision in words for the customer (never an internal code)")
    remedies: list[str]
    fee_refund_amount: Decimal | None
    compensation_amount: Decimal | None
    communicated_at: datetime | None
    has_letter: bool


class PublicStatusOut(Schema):
    tracking_number: str
    received_at: datetime
    stage: str
    explanation: str
    decision_due: date | None = Field(None, description="The last day the decision is due (statutory clock)")
    stages: list[StageOut] = []
    decision: DecisionSummaryOut | None = None
    on_the_spot_answer: str = ""
    review_until: date | None = Field(None, description="The last day a review (核查) may be asked for; null: "
                                                        "not (or no longer) possible")
    review_requested_at: datetime | None = None


@router.post("/public/complaints", response={201: PublicReceiptOut})
def public_register(request, payload: PublicRegistrationIn):
    """The customer's own form: no login; rate-limited per address."""
    public_limits.check_rate(request, "file", phone=payload.phone)
    channel = Channel.objects.filter(kind=ChannelKind.PUBLIC, is_active=True).first()
    data = registration_input.build_registration({**payload.dict(), "channel": channel.code if channel else ""})
    return Status(201, registration.register_complaint(None, data))


class PublicStatusIn(InputSchema):
    tracking_number: str = Field(..., max_length=24)
    phone: str = Field(..., max_length=30)


@router.post("/public/complaints/status", response=PublicStatusOut)
def public_status(request, payload: PublicStatusIn):
    """Tracking number and phone in the body (never in a logged URL); a miss never says which was wrong."""
    public_limits.check_rate(request, "track")
    return tracking.progress(_tracked(payload))


def _tracked(payload: PublicStatusIn):
    """The complaint number and phone open, counted as a look-up; 404 when they do not belong together."""
    complaint = selectors.public_status(payload.tracking_number, payload.phone)
    if complaint is None:
        raise NotFound()
    return complaint


@router.post("/public/complaints/letter", openapi_extra={"responses": {200: {
    "description": "The decision letter as sent",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def public_letter(request, payload: PublicStatusIn):
    """The decision letter (PDF) as it was sent; number and phone in the body; 404 until one was sent."""
    public_limits.check_rate(request, "track")
    complaint = _tracked(payload)
    content = tracking.stored_letter(complaint)
    if content is None:
        raise NotFound()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{complaint.tracking_number}.pdf"'
    return response


class PublicReviewIn(PublicStatusIn):
    reason: str = Field(..., max_length=2000, description="What the customer disagrees with")


@router.post("/public/complaints/review", response={201: PublicStatusOut})
def public_review(request, payload: PublicReviewIn):
    """核查: the customer asks for a review of the answer, within the time the rules allow (once per answer)."""
    public_limits.check_rate(request, "track")
    complaint = _tracked(payload)
    customer_review.request_review(complaint, payload.reason)
    return Status(201, tracking.progress(complaint))
