"""The customer's API, without login: the public complaint form and the progress look-up, rate-limited."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from bankdesk.complaints import selectors
from bankdesk.complaints.intake import public_limits, registration, registration_input
from bankdesk.complaints.models import Channel, ChannelKind
from bankdesk.complaints.web.progress import customer_stage
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


class PublicStatusOut(Schema):
    tracking_number: str
    received_at: datetime
    stage: str
    explanation: str


@router.post("/public/complaints", response={201: PublicReceiptOut})
def public_register(request, payload: PublicRegistrationIn):
    """The customer's own form: no login; rate-limited per address."""
    public_limits.check_rate(request, "file")
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
    complaint = selectors.public_status(payload.tracking_number, payload.phone)
    if complaint is None:
        raise NotFound()
    stage, explanation = customer_stage(complaint)
    return {"tracking_number": complaint.tracking_number, "received_at": complaint.received_at, "stage": stage,
            "explanation": explanation}
