"""The handling steps of a routed complaint over the API (domain.md §2), one thin endpoint per step.

Each endpoint finds the complaint in the user's scope (404 outside it), turns codes into objects
(400 with the field for an unknown code) and calls exactly one service of `handling` or `decisions`;
the service checks the right, the state and the version. Steps answer the complaint; steps that create
a record answer the record with the complaint's new version and status, for the next step's `version`.
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from bankdesk.complaints import clocks, decisions, handling, selectors
from bankdesk.complaints.api import ComplaintDetailOut, VersionIn
from bankdesk.complaints.models import (
    AssistRequest,
    ClockKind,
    ClosureCode,
    Complaint,
    PauseReason,
)
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.inputs import Id, InputSchema
from bankdesk.orgs.models import OrgUnit

router = Router(tags=["complaint handling"])

PREFIX = "/complaints/{complaint_id}"


def _complaint(request, complaint_id: int) -> Complaint:
    return selectors.complaint_detail(request.user, complaint_id)


def _username(user) -> str | None:
    return user.username if user is not None else None


# --- Bodies ---------------------------------------------------------------------------------------------------------


class NoteIn(InputSchema):
    text: str


class ContactIn(InputSchema):
    channel: str = Field(..., description="call, sms, letter, email or in_person")
    summary: str
    contacted_at: datetime | None = Field(None, description="Left empty: now")


class AssistIn(InputSchema):
    department: str = Field(..., description="Unit code of the assisting department")
    question: str


class AnswerIn(InputSchema):
    findings: str
    actions_taken: str = ""


class PauseIn(VersionIn):
    reason: str = Field(..., description="Code of a reason to pause the clock, e.g. customer_material")
    note: str = ""


class ExtensionIn(VersionIn):
    reason: str
    notice_channel: str = Field(..., description="letter, email or sms: the customer is told in writing")
    notice_text: str


class ExtensionDecisionIn(VersionIn):
    approve: bool
    note: str = Field("", description="Required when refusing")


class DecisionIn(VersionIn):
    finding: str
    remedies: list[str] = Field(..., description="apology, fee_refund, compensation, record_correction, explanation")
    compensation_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2,
                                                description="Yuan; only with the remedy compensation")
    closure_code: str = Field(..., description="Code of the conclusion, e.g. bank_at_fault")


class ReviewNoteIn(VersionIn):
    note: str = ""


class ReturnIn(VersionIn):
    note: str


class CommunicateIn(VersionIn):
    channel: str = Field(..., description="phone, sms, email or letter")
    text: str = Field("", description="Left empty: the standard notice accompanying the decision letter")


class CallbackIn(VersionIn):
    reached: bool
    satisfaction: str = Field("", description="satisfied, basically_satisfied or not_satisfied; when reached")
    reason: str = Field("", description="Why the customer is not satisfied")
    reopen_kind: str = Field("", description="rehandle or review; when not satisfied")


class CloseUnreachableIn(VersionIn):
    note: str = ""


class ReopenIn(VersionIn):
    kind: str = Field(..., description="rehandle or review")
    reason: str


class EscalateIn(VersionIn):
    reason: str


# --- Answers --------------------------------------------------------------------------------------------------------


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


class NoteOut(RecordOut):
    id: int
    text: str
    author: str | None
    created_at: datetime

    @staticmethod
    def resolve_author(note):
        return _username(note.author)


class ContactOut(RecordOut):
    id: int
    channel: str
    summary: str
    contacted_at: datetime
    staff: str | None

    @staticmethod
    def resolve_staff(contact):
        return _username(contact.staff)


class AssistOut(RecordOut):
    id: int
    department: str = Field(alias="department.code")
    question: str
    requested_by: str | None
    requested_at: datetime
    due_at: datetime | None
    findings: str
    actions_taken: str
    answered_by: str | None
    answered_at: datetime | None

    @staticmethod
    def resolve_requested_by(assist):
        return _username(assist.requested_by)

    @staticmethod
    def resolve_answered_by(assist):
        return _username(assist.answered_by)

    @staticmethod
    def resolve_due_at(assist):
        return assist.clocks.filter(kind=ClockKind.ASSIST).order_by("-id").values_list("due_at", flat=True).first()


class ExtensionOut(RecordOut):
    id: int
    kind: str
    reason: str
    notice_channel: str
    notice_text: str
    status: str
    requested_by: str | None
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_requested_by(extension):
        return _username(extension.requested_by)

    @staticmethod
    def resolve_decided_by(extension):
        return _username(extension.decided_by)


class DecisionOut(RecordOut):
    id: int
    status: str
    finding: str
    remedies: list[str]
    compensation_amount: Decimal | None
    closure_code: str = Field(alias="closure_code.code")
    proposed_by: str | None
    proposed_at: datetime

    @staticmethod
    def resolve_proposed_by(decision):
        return _username(decision.proposed_by)


class CallbackOut(RecordOut):
    id: int
    reached: bool
    satisfaction: str
    reason: str
    reopen_kind: str
    staff: str | None
    created_at: datetime

    @staticmethod
    def resolve_staff(callback):
        return _username(callback.staff)


class ClockOut(Schema):
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    length: str
    started_at: datetime
    warn_at: datetime | None
    due_at: datetime
    state: str
    provisional: bool
    is_external: bool
    warned_at: datetime | None
    overdue_at: datetime | None
    stopped_at: datetime | None
    met: bool | None
    status: str = Field(description="ok, warned, overdue, paused, met or late")

    @staticmethod
    def resolve_status(clock):
        return clocks.clock_state(clock)


# --- Handling -------------------------------------------------------------------------------------------------------


@router.post(f"{PREFIX}/start", response=ComplaintDetailOut)
def start(request, complaint_id: Id, payload: VersionIn):
    return handling.start_handling(request.user, _complaint(request, complaint_id), payload.version)


@router.post(f"{PREFIX}/notes", response={201: NoteOut})
def add_note(request, complaint_id: Id, payload: NoteIn):
    return Status(201, handling.add_note(request.user, _complaint(request, complaint_id), payload.text))


@router.post(f"{PREFIX}/contacts", response={201: ContactOut})
def log_contact(request, complaint_id: Id, payload: ContactIn):
    return Status(201, handling.log_contact(request.user, _complaint(request, complaint_id), channel=payload.channel,
                                            summary=payload.summary, contacted_at=payload.contacted_at))


@router.post(f"{PREFIX}/assist-requests", response={201: AssistOut})
def request_assistance(request, complaint_id: Id, payload: AssistIn):
    complaint = _complaint(request, complaint_id)
    department = OrgUnit.objects.filter(code=payload.department.strip()).first()
    if department is None:
        raise ValidationFailed(_("No such department."), field="department")
    return Status(201, handling.request_assistance(request.user, complaint, department=department,
                                                   question=payload.question))


@router.post(f"{PREFIX}/assist-requests/{{request_id}}/answer", response=AssistOut)
def answer_assistance(request, complaint_id: Id, request_id: Id, payload: AnswerIn):
    """Answered by the assisting department, whose staff need not see the complaint otherwise;
    the service refuses anyone outside that department (404)."""
    assist = (AssistRequest.objects.select_related("department", "complaint")
              .filter(pk=request_id, complaint_id=complaint_id).first())
    if assist is None:
        raise NotFound()
    return handling.answer_assistance(request.user, assist, findings=payload.findings,
                                      actions_taken=payload.actions_taken)


@router.post(f"{PREFIX}/pause", response=ComplaintDetailOut)
def pause(request, complaint_id: Id, payload: PauseIn):
    complaint = _complaint(request, complaint_id)
    reason = PauseReason.objects.filter(code=payload.reason.strip()).first()
    if reason is None:
        raise ValidationFailed(_("No such reason to pause the clock."), field="reason")
    return handling.pause_clock(request.user, complaint, reason=reason, note=payload.note,
                                expected_version=payload.version)


@router.post(f"{PREFIX}/resume", response=ComplaintDetailOut)
def resume(request, complaint_id: Id, payload: VersionIn):
    return handling.resume_clock(request.user, _complaint(request, complaint_id), payload.version)


@router.post(f"{PREFIX}/extensions", response={201: ExtensionOut})
def request_extension(request, complaint_id: Id, payload: ExtensionIn):
    return Status(201, handling.request_extension(
        request.user, _complaint(request, complaint_id), reason=payload.reason,
        notice_channel=payload.notice_channel, notice_text=payload.notice_text, expected_version=payload.version))


@router.post(f"{PREFIX}/extensions/{{request_id}}/decide", response=ExtensionOut)
def decide_extension(request, complaint_id: Id, request_id: Id, payload: ExtensionDecisionIn):
    extension = _complaint(request, complaint_id).extension_requests.filter(pk=request_id).first()
    if extension is None:
        raise NotFound()
    return handling.decide_extension(request.user, extension, approve=payload.approve, note=payload.note,
                                     expected_version=payload.version)


@router.post(f"{PREFIX}/escalate", response=ComplaintDetailOut)
def escalate(request, complaint_id: Id, payload: EscalateIn):
    return handling.escalate(request.user, _complaint(request, complaint_id), reason=payload.reason,
                             expected_version=payload.version)


# --- Decision, callback, closure ------------------------------------------------------------------------------------


@router.post(f"{PREFIX}/decision", response={201: DecisionOut})
def propose_decision(request, complaint_id: Id, payload: DecisionIn):
    complaint = _complaint(request, complaint_id)
    closure_code = ClosureCode.objects.filter(code=payload.closure_code.strip()).first()
    if closure_code is None:
        raise ValidationFailed(_("No such closure code."), field="closure_code")
    return Status(201, decisions.propose_decision(
        request.user, complaint, finding=payload.finding, remedies=payload.remedies, closure_code=closure_code,
        compensation_amount=payload.compensation_amount, expected_version=payload.version))


@router.post(f"{PREFIX}/decision/approve", response=ComplaintDetailOut)
def approve_decision(request, complaint_id: Id, payload: ReviewNoteIn):
    decisions.approve_decision(request.user, _complaint(request, complaint_id), note=payload.note,
                               expected_version=payload.version)
    return _complaint(request, complaint_id)


@router.post(f"{PREFIX}/decision/return", response=ComplaintDetailOut)
def return_decision(request, complaint_id: Id, payload: ReturnIn):
    decisions.return_decision(request.user, _complaint(request, complaint_id), note=payload.note,
                              expected_version=payload.version)
    return _complaint(request, complaint_id)


@router.post(f"{PREFIX}/communicate", response=ComplaintDetailOut)
def communicate(request, complaint_id: Id, payload: CommunicateIn):
    complaint = _complaint(request, complaint_id)
    text = payload.text
    if not text.strip():
        decision = decisions.current_decision(complaint)
        if decision is not None:  # without one, the service refuses the step
            text = decisions.decision_notice(complaint, decision)
    decisions.communicate_decision(request.user, complaint, channel=payload.channel, text=text,
                                   expected_version=payload.version)
    return _complaint(request, complaint_id)


@router.get(f"{PREFIX}/decision/letter", openapi_extra={"responses": {200: {
    "description": "The letter", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def decision_letter(request, complaint_id: Id):
    """The decision letter (投诉处理意见告知书) of the approved or communicated decision, as PDF."""
    complaint = _complaint(request, complaint_id)
    response = HttpResponse(decisions.letter_content(complaint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.tracking_number}.pdf"'
    return response


@router.post(f"{PREFIX}/callbacks", response={201: CallbackOut})
def record_callback(request, complaint_id: Id, payload: CallbackIn):
    return Status(201, decisions.record_callback(
        request.user, _complaint(request, complaint_id), reached=payload.reached, satisfaction=payload.satisfaction,
        reason=payload.reason, reopen_kind=payload.reopen_kind, expected_version=payload.version))


@router.post(f"{PREFIX}/close-unreachable", response=ComplaintDetailOut)
def close_unreachable(request, complaint_id: Id, payload: CloseUnreachableIn):
    return decisions.close_unreachable(request.user, _complaint(request, complaint_id), note=payload.note,
                                       expected_version=payload.version)


@router.post(f"{PREFIX}/reopen", response=ComplaintDetailOut)
def reopen(request, complaint_id: Id, payload: ReopenIn):
    return decisions.reopen_complaint(request.user, _complaint(request, complaint_id), kind=payload.kind,
                                      reason=payload.reason, expected_version=payload.version)


# --- Clocks ---------------------------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/clocks", response=list[ClockOut])
def complaint_clocks(request, complaint_id: Id):
    """Every deadline of the complaint, running or not, with how it reads on screen."""
    return list(_complaint(request, complaint_id).clocks.all())
