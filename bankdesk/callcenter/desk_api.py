"""The agent's desk in the API: a caller's complaints (read-only, found by tracking number or phone in the body,
never in a URL), the call logged; the standard scripts. Operations on the call-center router (callcenter_*)."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Query, Schema, Status

from bankdesk.callcenter import scripts
from bankdesk.callcenter.api import router
from bankdesk.callcenter.models import CallReason
from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.complaints.handling import enquiries
from bankdesk.core.errors import NotFound
from bankdesk.core.inputs import Id, InputSchema, PageNumber, Text
from bankdesk.core.pagination import paginate
from bankdesk.knowledge import search


class CallcenterCallerIn(InputSchema):
    tracking_number: str = Field("", max_length=24)
    phone: str = Field("", max_length=30, description="Looked up by its blind index; used for nothing else")


class CallcenterCallerComplaintOut(Schema):
    id: int
    tracking_number: str
    status: str
    received_at: datetime
    business_category: str = Field(..., alias="business_category.name")
    current_deadline: datetime | None


class CallcenterDecisionOut(Schema):
    status: str
    outcome: str = Field(..., alias="closure_code.name")
    finding: str
    remedies: list[str]
    compensation_amount: Decimal | None


class CallcenterCallOut(Schema):
    text: str
    created_at: datetime
    staff: str

    @staticmethod
    def resolve_staff(call):
        return str(call.staff)


class CallcenterCallerComplaintDetailOut(CallcenterCallerComplaintOut):
    registered_at: datetime
    accepted_at: datetime | None
    routed_at: datetime | None
    communicated_at: datetime | None
    closed_at: datetime | None
    decision: CallcenterDecisionOut | None
    calls: list[CallcenterCallOut]


class CallcenterCallIn(InputSchema):
    text: str = Field("", max_length=500, description="Empty: the customer asked for progress")


class CallcenterScriptOut(Schema):
    id: int
    reason: str = Field(..., alias="reason.code")
    title: str
    body: str
    unit: str = Field(..., alias="unit.code")


@router.post("/callcenter/desk/complaints/find", response=list[CallcenterCallerComplaintOut])
def find_caller_complaints(request, body: CallcenterCallerIn):
    """The caller's complaints within your desk's reach, by tracking number, else by phone; newest first."""
    return list(complaint_selectors.desk_find(request.user, phone=body.phone, tracking_number=body.tracking_number))


def _detail(request, complaint_id: int):
    view = complaint_selectors.desk_view(request.user, complaint_id)
    view.complaint.decision, view.complaint.calls = view.decision, view.enquiries
    return view.complaint


@router.get("/callcenter/desk/complaints/{complaint_id}", response=CallcenterCallerComplaintDetailOut)
def get_caller_complaint(request, complaint_id: Id):
    """Read-only: status, stage dates, the approved decision, the next deadline and earlier calls."""
    return _detail(request, complaint_id)


@router.post("/callcenter/desk/complaints/{complaint_id}/calls", response={201: CallcenterCallOut})
def log_caller_call(request, complaint_id: Id, body: CallcenterCallIn):
    """Log the customer's call about the complaint; the handler is told."""
    return Status(201, enquiries.log_caller_enquiry(request.user, complaint_id, body.text))


@router.get("/callcenter/scripts", response=list[CallcenterScriptOut])
def list_scripts(request, q: Text = Query("", max_length=200), reason: Text = "", page: PageNumber = 1):
    """Scripts in use, by call reason code; with `q`, those matching its words, best first."""
    chosen = CallReason.objects.filter(code=reason).first() if reason else None
    if reason and chosen is None:
        raise NotFound()
    if q.strip():
        hits = search.search(request.user, q, kinds=[scripts.SEARCH_KIND], group=reason, limit=50).hits
        found = {item.pk: item for item in scripts.scripts(request.user).filter(pk__in=[hit.id for hit in hits])}
        return [found[hit.id] for hit in hits if hit.id in found]
    return paginate(scripts.scripts(request.user, reason=chosen), page).items


@router.get("/callcenter/scripts/{script_id}", response=CallcenterScriptOut)
def get_script(request, script_id: Id):
    return scripts.script(request.user, script_id)
