"""The handling steps of a routed complaint over the API (docs/domain-rules.md §2), one thin endpoint per step.

Each endpoint finds the complaint in the user's scope (404 outside it), turns codes into objects
(400 with the field for an unknown code) and calls exactly one service of `handling`; the service
checks the right, the state and the version. Steps answer the complaint; steps that create a record
answer the record with the complaint's new version and status, for the next step's `version`.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from bankdesk.complaints.api.schemas import ComplaintDetailOut, RecordOut, VersionIn, complaint_in_scope, username_of
from bankdesk.complaints.handling import clocks, dispatch, investigation
from bankdesk.complaints.models import AssistRequest, ClockKind, PauseReason
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.inputs import Id, InputSchema
from bankdesk.orgs.models import OrgUnit

router = Router(tags=["complaint handling"])

PREFIX = "/complaints/{complaint_id}"


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
    reason: str = Field(..., description="Code of a reason to pause the clock, e.g. customer_material, "
                                         "external_assessment")
    note: str = ""
    notice_channel: str = Field("", description="phone, sms, email or letter: required when the reason requires "
                                                "telling the customer")
    notice_text: str = Field("", description="The notice to the customer, where the reason requires one")


class ExtensionIn(VersionIn):
    reason: str
    notice_channel: str = Field(..., description="letter, email or sms: the customer is told in writing")
    notice_text: str


class ExtensionDecisionIn(VersionIn):
    approve: bool
    note: str = Field("", description="Required when refusing")


class EscalateIn(VersionIn):
    reason: str


class NoteOut(RecordOut):
    id: int
    text: str
    author: str | None
    created_at: datetime

    @staticmethod
    def resolve_author(note):
        return username_of(note.author)


class ContactOut(RecordOut):
    id: int
    channel: str
    summary: str
    contacted_at: datetime
    staff: str | None

    @staticmethod
    def resolve_staff(contact):
        return username_of(contact.staff)


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
        return username_of(assist.requested_by)

    @staticmethod
    def resolve_answered_by(assist):
        return username_of(assist.answered_by)

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
        return username_of(extension.requested_by)

    @staticmethod
    def resolve_decided_by(extension):
        return username_of(extension.decided_by)


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


@router.post(f"{PREFIX}/sign-for", response=ComplaintDetailOut)
def sign_for(request, complaint_id: Id, payload: VersionIn):
    """签收: the lead department takes the routed complaint; the dispatch clock stops."""
    return dispatch.sign_for(request.user, complaint_in_scope(request, complaint_id), payload.version)


@router.post(f"{PREFIX}/start", response=ComplaintDetailOut)
def start(request, complaint_id: Id, payload: VersionIn):
    return investigation.start_handling(request.user, complaint_in_scope(request, complaint_id), payload.version)


@router.post(f"{PREFIX}/notes", response={201: NoteOut})
def add_note(request, complaint_id: Id, payload: NoteIn):
    return Status(201, investigation.add_note(request.user, complaint_in_scope(request, complaint_id), payload.text))


@router.post(f"{PREFIX}/contacts", response={201: ContactOut})
def log_contact(request, complaint_id: Id, payload: ContactIn):
    complaint = complaint_in_scope(request, complaint_id)
    return Status(201, investigation.log_contact(request.user, complaint, channel=payload.channel,
                                                 summary=payload.summary, contacted_at=payload.contacted_at))


@router.post(f"{PREFIX}/assist-requests", response={201: AssistOut})
def request_assistance(request, complaint_id: Id, payload: AssistIn):
    complaint = complaint_in_scope(request, complaint_id)
    department = OrgUnit.objects.filter(code=payload.department.strip()).first()
    if department is None:
        raise ValidationFailed(_("No such department."), field="department")
    return Status(201, investigation.request_assistance(request.user, complaint, department=department,
                                                        question=payload.question))


@router.post(f"{PREFIX}/assist-requests/{{request_id}}/answer", response=AssistOut)
def answer_assistance(request, complaint_id: Id, request_id: Id, payload: AnswerIn):
    """Answered by the assisting department, whose staff need not see the complaint otherwise;
    the service refuses anyone outside that department (404)."""
    assist = (AssistRequest.objects.select_related("department", "complaint")
              .filter(pk=request_id, complaint_id=complaint_id).first())
    if assist is None:
        raise NotFound()
    return investigation.answer_assistance(request.user, assist, findings=payload.findings,
                                           actions_taken=payload.actions_taken)


@router.post(f"{PREFIX}/pause", response=ComplaintDetailOut)
def pause(request, complaint_id: Id, payload: PauseIn):
    complaint = complaint_in_scope(request, complaint_id)
    reason = PauseReason.objects.filter(code=payload.reason.strip()).first()
    if reason is None:
        raise ValidationFailed(_("No such reason to pause the clock."), field="reason")
    return investigation.pause_clock(request.user, complaint, reason=reason, note=payload.note,
                                     notice_channel=payload.notice_channel, notice_text=payload.notice_text,
                                     expected_version=payload.version)


@router.post(f"{PREFIX}/resume", response=ComplaintDetailOut)
def resume(request, complaint_id: Id, payload: VersionIn):
    return investigation.resume_clock(request.user, complaint_in_scope(request, complaint_id), payload.version)


@router.post(f"{PREFIX}/extensions", response={201: ExtensionOut})
def request_extension(request, complaint_id: Id, payload: ExtensionIn):
    return Status(201, investigation.request_extension(
        request.user, complaint_in_scope(request, complaint_id), reason=payload.reason,
        notice_channel=payload.notice_channel, notice_text=payload.notice_text, expected_version=payload.version))


@router.post(f"{PREFIX}/extensions/{{request_id}}/decide", response=ExtensionOut)
def decide_extension(request, complaint_id: Id, request_id: Id, payload: ExtensionDecisionIn):
    extension = complaint_in_scope(request, complaint_id).extension_requests.filter(pk=request_id).first()
    if extension is None:
        raise NotFound()
    return investigation.decide_extension(request.user, extension, approve=payload.approve, note=payload.note,
                                          expected_version=payload.version)


@router.post(f"{PREFIX}/escalate", response=ComplaintDetailOut)
def escalate(request, complaint_id: Id, payload: EscalateIn):
    return investigation.escalate(request.user, complaint_in_scope(request, complaint_id), reason=payload.reason,
                                  expected_version=payload.version)


@router.get(f"{PREFIX}/clocks", response=list[ClockOut])
def complaint_clocks(request, complaint_id: Id):
    """Every deadline of the complaint, running or not, with how it reads on screen."""
    return list(complaint_in_scope(request, complaint_id).clocks.all())
