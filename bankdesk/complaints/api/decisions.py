"""The decision steps over the API (docs/domain-rules.md §2): propose, approve, return, communicate, the letter,
the callback, closure without a callback, reopening and the feedback to the regulator; one thin endpoint per step, as in `api.handling`."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from bankdesk.complaints.api.schemas import ComplaintDetailOut, RecordOut, VersionIn, complaint_in_scope, username_of
from bankdesk.complaints.api.schemas import RegulatorFeedbackOut
from bankdesk.complaints.decisions import approval, callback, communication, regulator_feedback
from bankdesk.complaints.models import ClosureCode
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id

router = Router(tags=["complaint handling"])

PREFIX = "/complaints/{complaint_id}"


class DecisionIn(VersionIn):
    finding: str = Field(..., description="What was checked and found (调查核实情况)")
    basis: str = Field(description="The basis and reasons for the decision (处理依据及理由), shown on the letter")
    remedies: list[str] = Field(..., description="apology, fee_refund, compensation, record_correction, explanation")
    fee_refund_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2,
                                              description="Yuan; only with the remedy fee_refund")
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
    reopen_kind: str = Field("", description="When not satisfied, what the customer asks for: rehandle or review "
                                             "(optional; the screening decides)")


class ScreeningIn(VersionIn):
    outcome: str = Field(..., description="reopen (handled wrongly) or uphold (handled properly: close, the "
                                          "customer still dissatisfied)")
    reason: str
    reopen_kind: str = Field("", description="rehandle or review; with reopen")
    notice_channel: str = Field("", description="With uphold: phone, sms, email or letter")
    notice_text: str = Field("", description="With uphold; left empty: the standard notice naming mediation and "
                                             "the regulator")


class CloseUnreachableIn(VersionIn):
    note: str = ""


class ReopenIn(VersionIn):
    kind: str = Field(..., description="rehandle or review")
    reason: str


class DecisionOut(RecordOut):
    id: int
    status: str
    finding: str
    basis: str
    remedies: list[str]
    fee_refund_amount: Decimal | None
    compensation_amount: Decimal | None
    closure_code: str = Field(alias="closure_code.code")
    proposed_by: str | None
    proposed_at: datetime

    @staticmethod
    def resolve_proposed_by(decision):
        return username_of(decision.proposed_by)


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
        return username_of(callback.staff)


class ScreeningOut(RecordOut):
    id: int
    outcome: str
    reopen_kind: str
    reason: str
    notice_text: str | None = Field(None, alias="notice.text")
    screened_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_screened_by(screening):
        return username_of(screening.screened_by)


@router.post(f"{PREFIX}/decision", response={201: DecisionOut})
def propose_decision(request, complaint_id: Id, payload: DecisionIn):
    complaint = complaint_in_scope(request, complaint_id)
    closure_code = ClosureCode.objects.filter(code=payload.closure_code.strip()).first()
    if closure_code is None:
        raise ValidationFailed(_("No such closure code."), field="closure_code")
    return Status(201, approval.propose_decision(
        request.user, complaint, finding=payload.finding, basis=payload.basis, remedies=payload.remedies,
        closure_code=closure_code, fee_refund_amount=payload.fee_refund_amount,
        compensation_amount=payload.compensation_amount, expected_version=payload.version))


@router.post(f"{PREFIX}/decision/approve", response=ComplaintDetailOut)
def approve_decision(request, complaint_id: Id, payload: ReviewNoteIn):
    approval.approve_decision(request.user, complaint_in_scope(request, complaint_id), note=payload.note,
                              expected_version=payload.version)
    return complaint_in_scope(request, complaint_id)


@router.post(f"{PREFIX}/decision/return", response=ComplaintDetailOut)
def return_decision(request, complaint_id: Id, payload: ReturnIn):
    approval.return_decision(request.user, complaint_in_scope(request, complaint_id), note=payload.note,
                             expected_version=payload.version)
    return complaint_in_scope(request, complaint_id)


@router.post(f"{PREFIX}/communicate", response=ComplaintDetailOut)
def communicate(request, complaint_id: Id, payload: CommunicateIn):
    complaint = complaint_in_scope(request, complaint_id)
    text = payload.text
    if not text.strip():
        decision = approval.current_decision(complaint)
        if decision is not None:  # without one, the service refuses the step
            text = communication.decision_notice(complaint, decision)
    communication.communicate_decision(request.user, complaint, channel=payload.channel, text=text,
                                       expected_version=payload.version)
    return complaint_in_scope(request, complaint_id)


@router.get(f"{PREFIX}/decision/letter", openapi_extra={"responses": {200: {
    "description": "The letter", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def decision_letter(request, complaint_id: Id):
    """The decision letter (投诉处理意见告知书) of the approved or communicated decision, as PDF."""
    complaint = complaint_in_scope(request, complaint_id)
    response = HttpResponse(communication.letter_content(complaint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.tracking_number}.pdf"'
    return response


@router.post(f"{PREFIX}/callbacks", response={201: CallbackOut})
def record_callback(request, complaint_id: Id, payload: CallbackIn):
    return Status(201, callback.record_callback(
        request.user, complaint_in_scope(request, complaint_id), reached=payload.reached,
        satisfaction=payload.satisfaction, reason=payload.reason, reopen_kind=payload.reopen_kind,
        expected_version=payload.version))


@router.post(f"{PREFIX}/screening", response={201: ScreeningOut})
def screen_dissatisfaction(request, complaint_id: Id, payload: ScreeningIn):
    """复核 of a "not satisfied" callback by the consumer-protection office."""
    return Status(201, callback.screen_dissatisfaction(
        request.user, complaint_in_scope(request, complaint_id), outcome=payload.outcome, reason=payload.reason,
        reopen_kind=payload.reopen_kind, notice_channel=payload.notice_channel, notice_text=payload.notice_text,
        expected_version=payload.version))


@router.post(f"{PREFIX}/close-unreachable", response=ComplaintDetailOut)
def close_unreachable(request, complaint_id: Id, payload: CloseUnreachableIn):
    return callback.close_unreachable(request.user, complaint_in_scope(request, complaint_id), note=payload.note,
                                      expected_version=payload.version)


@router.post(f"{PREFIX}/reopen", response=ComplaintDetailOut)
def reopen(request, complaint_id: Id, payload: ReopenIn):
    return callback.reopen_complaint(request.user, complaint_in_scope(request, complaint_id), kind=payload.kind,
                                     reason=payload.reason, expected_version=payload.version)


class RegulatorFeedbackIn(VersionIn):
    content: str = Field(..., description="What was reported to the regulator (申诉反馈)")
    sent_at: datetime | None = Field(None, description="When it was sent; left empty: now")


class RegulatorFeedbackRecordOut(RecordOut, RegulatorFeedbackOut):
    pass


@router.post(f"{PREFIX}/regulator-feedback", response={201: RegulatorFeedbackRecordOut})
def record_regulator_feedback(request, complaint_id: Id, payload: RegulatorFeedbackIn):
    """申诉反馈: the feedback sent to the regulator that transferred the complaint; the first stops its clock."""
    return Status(201, regulator_feedback.record_regulator_feedback(
        request.user, complaint_in_scope(request, complaint_id), content=payload.content, sent_at=payload.sent_at,
        expected_version=payload.version))
