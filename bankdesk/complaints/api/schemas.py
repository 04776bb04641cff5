"""What the complaint routers share: the complaint as the API answers it, the version a step sends, the
record a handling step answers, and the complaint a step acts on."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from bankdesk.complaints import selectors
from bankdesk.complaints.models import Complaint
from bankdesk.core.inputs import InputSchema
from bankdesk.core.pii import mask_address, mask_phone


def _code_of(relation: str) -> staticmethod:
    return staticmethod(lambda complaint: getattr(complaint, relation).code)


class ComplaintOut(Schema):
    id: int
    tracking_number: str
    status: str
    status_display: str = Field(alias="get_status_display")
    severity: int
    version: int
    complainant_name: str
    phone_masked: str
    channel: str
    unit: str
    business_category: str
    cause: str
    received_at: datetime
    acceptance_deadline: datetime
    acceptance_deadline_provisional: bool
    is_repeat: bool
    external_reference: str
    external_deadline: datetime | None
    lead_department: str | None = None
    handler: str | None = None
    signed_for_at: datetime | None = Field(None, description="When the lead department signed for it (签收)")
    current_deadline: datetime | None = Field(None, description="The nearest running deadline")
    deadline_state: int = Field(0, description="0 on time, 1 due soon (warned), 2 overdue")
    escalation_level: int = 0
    paused_since: datetime | None = None
    archived_at: datetime | None = Field(None, description="When the closed complaint was archived: read-only since")

    # The codes by resolvers, not dotted aliases: ninja tried each alias as an attribute, then parsed it as a
    # template variable, about 20 µs a field and complaint (four fields, 25 complaints a page).
    resolve_channel = _code_of("channel")
    resolve_unit = _code_of("unit")
    resolve_business_category = _code_of("business_category")
    resolve_cause = _code_of("cause")

    @staticmethod
    def resolve_phone_masked(complaint):
        return mask_phone(complaint.phone)

    @staticmethod
    def resolve_lead_department(complaint):
        return complaint.lead_department.code if complaint.lead_department_id else None

    @staticmethod
    def resolve_handler(complaint):
        return complaint.handler.username if complaint.handler_id else None


class RegulatorFeedbackOut(Schema):
    """申诉反馈: what was reported to the regulator, when and by whom."""

    id: int
    content: str
    sent_at: datetime
    sent_by: str | None

    @staticmethod
    def resolve_sent_by(feedback):
        return feedback.sent_by.username if feedback.sent_by_id else None


class ComplaintDetailOut(ComplaintOut):
    description: str
    demand: str
    amount_involved: Decimal | None
    is_group: bool
    merged_into: str | None = None
    incident_at: datetime | None = None
    incident_place: str = ""
    postal_address_masked: str = ""
    resolved_on_the_spot: bool = False
    regulator_feedback: list[RegulatorFeedbackOut] = Field(
        [], description="A regulator's transfer: the feedback sent back to the regulator (申诉反馈), oldest first")

    @staticmethod
    def resolve_regulator_feedback(complaint):
        if not complaint.is_regulator_transfer:  # only a transfer has any: no query for the others
            return []
        return list(complaint.regulator_feedback.select_related("sent_by").order_by("sent_at", "id"))

    @staticmethod
    def resolve_postal_address_masked(complaint):
        return mask_address(complaint.postal_address)

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


class VersionIn(InputSchema):
    version: int | None = Field(None, description="The version you saw; a newer one answers 409")


def complaint_in_scope(request, complaint_id: int) -> Complaint:
    """The complaint a step acts on, read within the user's scope (404 outside it)."""
    return selectors.complaint_detail(request.user, complaint_id)


def username_of(user) -> str | None:
    return user.username if user is not None else None


class RecordOut(Schema):
    """What every created record answers besides its own fields: where the complaint now stands."""

    complaint_version: int
    complaint_status: str

    @staticmethod
    def resolve_complaint_version(record):
        return record.complaint.version

    @staticmethod
    def resolve_complaint_status(record):
        return record.complaint.status
