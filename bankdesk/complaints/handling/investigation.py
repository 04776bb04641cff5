"""Handling a routed complaint: investigation, assisting departments, customer contacts, pauses,
extensions and escalation (docs/domain-rules.md §2). Every step locks the complaint and goes on its audit trail."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import authority, clocks, dispatch, notices, recipients
from bankdesk.complaints.models import (
    AssistRequest,
    ClockKind,
    ClockState,
    Complaint,
    ContactChannel,
    CustomerContact,
    ExtensionKind,
    ExtensionRequest,
    HandlingNote,
    NoticeChannel,
    RequestStatus,
    Status,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import audit
from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.core.permissions import has_permission, require
from bankdesk.knowledge import language

WRITTEN_CHANNELS = [NoticeChannel.LETTER, NoticeChannel.EMAIL, NoticeChannel.SMS]
NOTICE_KINDS = {ExtensionKind.EXTENSION: "extension", ExtensionKind.FURTHER: "further_extension"}


def _required(text: str, field: str, message: str) -> str:
    if not (text or "").strip():
        raise ValidationFailed(message, field=field)
    return text.strip()


def _begin(actor, complaint: Complaint, step: str, expected_version: int | None = None):
    complaint = saving.lock(actor, complaint, step, expected_version)
    return complaint, saving.snapshot(complaint)


def _investigating(complaint: Complaint, actor) -> None:
    """Any handling work on a routed complaint means it is being investigated, and signed for."""
    if complaint.status == Status.ROUTED:
        complaint.status = Status.INVESTIGATING
        dispatch.sign_on_first_work(complaint, actor)


@transaction.atomic
def start_handling(actor, complaint: Complaint, expected_version: int | None = None) -> Complaint:
    complaint, before = _begin(actor, complaint, "start", expected_version)
    _investigating(complaint, actor)
    return saving.save_change(actor, complaint, ComplaintAction.START, before)


@transaction.atomic
def add_note(actor, complaint: Complaint, text: str) -> HandlingNote:
    state_machine.require_step(actor, "note", complaint)
    text = _required(text, "text", _("Write the note."))
    complaint, before = _begin(actor, complaint, "note")
    note = HandlingNote.objects.create(complaint=complaint, text=text, author=actor)
    _investigating(complaint, actor)
    saving.save_change(actor, complaint, ComplaintAction.NOTE, before, {"note": text[:500]})
    return note


@transaction.atomic
def log_contact(actor, complaint: Complaint, *, channel: str, summary: str, contacted_at=None) -> CustomerContact:
    state_machine.require_step(actor, "contact", complaint)
    if channel not in ContactChannel.values:
        raise ValidationFailed(_("Choose how the customer was contacted."), field="channel")
    summary = _required(summary, "summary", _("Write what was said."))
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now():
        raise ValidationFailed(_("A contact cannot lie in the future."), field="contacted_at")
    if contacted_at < complaint.received_at:
        raise ValidationFailed(_("A contact cannot lie before the complaint was received."), field="contacted_at")
    complaint, before = _begin(actor, complaint, "contact")
    contact = CustomerContact.objects.create(complaint=complaint, channel=channel, summary=summary,
                                             contacted_at=contacted_at, staff=actor)
    clocks.stop(complaint, [ClockKind.MAJOR_REPLY], at=contacted_at)  # the clear reply a major complaint needs
    clocks.refresh_complaint(complaint)
    _investigating(complaint, actor)
    saving.save_change(actor, complaint, ComplaintAction.CONTACT, before,
                       {"channel": channel, "note": summary[:500]})
    return contact


@transaction.atomic
def request_assistance(actor, complaint: Complaint, *, department, question: str) -> AssistRequest:
    state_machine.require_step(actor, "assist", complaint)
    if department is None or not department.is_active:
        raise ValidationFailed(_("Choose the assisting department."), field="department")
    question = _required(question, "question", _("Write what the department is asked."))
    complaint, before = _begin(actor, complaint, "assist")
    if department.pk == complaint.lead_department_id:
        raise ValidationFailed(_("The lead department cannot assist itself; choose another."), field="department")
    request = AssistRequest.objects.create(complaint=complaint, department=department, question=question,
                                           requested_by=actor)
    complaint.assisting_departments.add(department)
    clock = clocks.start(complaint, ClockKind.ASSIST, assist_request=request)
    _investigating(complaint, actor)
    saving.save_change(actor, complaint, ComplaintAction.ASSIST_REQUEST, before,
                       {"department": department.code, "note": question[:500]})
    notify(recipients.department_staff(department), kind="complaint.assist_request", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("%(number)s: your department is asked to assist; answer by %(due)s.") % {
               "number": complaint.tracking_number,
               "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")})
    return request


@transaction.atomic
def answer_assistance(actor, request: AssistRequest, *, findings: str, actions_taken: str = "") -> AssistRequest:
    """责任部门处理情况表: the assisting department's staff answer what they found and did."""
    require(actor, ComplaintPermission.HANDLE_COMPLAINTS)
    if not has_permission(actor, ComplaintPermission.HANDLE_COMPLAINTS, request.department):
        raise NotFound(_("Not found."))
    findings = _required(findings, "findings", _("Write what the department found."))
    request = AssistRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationFailed(_("This request is already answered."), field="findings", code="invalid_state")
    complaint = request.complaint
    if complaint.is_closed:
        raise ValidationFailed(_("The complaint is closed; no answer is needed any more."), field="findings",
                               code="invalid_state")
    request.findings, request.actions_taken = findings, actions_taken.strip()
    request.answered_by, request.answered_at = actor, timezone.now()
    request.save()
    clocks.stop(complaint, [ClockKind.ASSIST], assist_request=request)
    audit.record(ComplaintAction.ASSIST_ANSWER, complaint, actor=actor,
                 after={"department": request.department.code, "note": findings[:500]})
    if complaint.handler_id:
        notify([complaint.handler_id], kind="complaint.assist_answer", obj=complaint,
               link=recipients.complaint_link(complaint),
               text=_("%(number)s: %(unit)s has answered your request.") % {
                   "number": complaint.tracking_number, "unit": request.department.name})
    return request


@transaction.atomic
def pause_clock(actor, complaint: Complaint, *, reason, note: str = "", notice_channel: str = "",
                notice_text: str = "", expected_version: int | None = None) -> Complaint:
    """A clock stands still only for a reason an administrator allows (the customer's material, an external
    appraisal, test or assessment); a reason that requires it is told to the customer as the pause starts."""
    state_machine.require_step(actor, "pause", complaint)
    if reason is None or not reason.is_active:
        raise ValidationFailed(_("Choose a reason the rules allow for pausing."), field="reason")
    if reason.requires_notice:
        _check_pause_notice(complaint, notice_channel, notice_text)
    complaint, before = _begin(actor, complaint, "pause", expected_version)
    if complaint.paused_since is not None:
        raise ValidationFailed(_("The clock is already paused."), field="reason", code="invalid_state")
    notice = notices.send(actor, complaint, kind="pause", channel=notice_channel, text=notice_text) \
        if reason.requires_notice else None
    clocks.pause(complaint, timezone.now(), reason=reason, note=note.strip(), actor=actor, notice=notice)
    clocks.refresh_complaint(complaint)
    return saving.save_change(actor, complaint, ComplaintAction.PAUSE, before,
                              {"reason": reason.name, "note": note.strip(),
                               "notice": notice.get_channel_display() if notice else ""})


def _check_pause_notice(complaint: Complaint, channel: str, text: str) -> None:
    notices.check_channel(complaint, channel)
    _required(text, "notice_text", _("This reason for pausing requires telling the customer: write the notice."))
    language.require_clean(text, field="notice_text")


@transaction.atomic
def resume_clock(actor, complaint: Complaint, expected_version: int | None = None) -> Complaint:
    complaint, before = _begin(actor, complaint, "resume", expected_version)
    if complaint.paused_since is None:
        raise ValidationFailed(_("The clock is not paused."), field="status", code="invalid_state")
    clocks.resume(complaint, timezone.now(), actor)
    clocks.refresh_complaint(complaint)
    return saving.save_change(actor, complaint, ComplaintAction.RESUME, before)


def _next_extension_kind(complaint: Complaint) -> str:
    if complaint.external_deadline:
        raise ValidationFailed(_("The regulator's deadline applies to this complaint; only the regulator can "
                                 "extend it."), field="reason", code="invalid_state")
    if complaint.extension_level >= 2:
        raise ValidationFailed(_("Both extensions have been used; no further extension is possible."),
                               field="reason", code="invalid_state")
    return ExtensionKind.EXTENSION if complaint.extension_level == 0 else ExtensionKind.FURTHER


@transaction.atomic
def request_extension(actor, complaint: Complaint, *, reason: str, notice_channel: str, notice_text: str,
                      expected_version: int | None = None) -> ExtensionRequest:
    """延期: the customer must be told in writing, with the new limit and the reason, before the limit runs out."""
    state_machine.require_step(actor, "extend", complaint)
    reason = _required(reason, "reason", _("Write why the case needs more time."))
    if notice_channel not in WRITTEN_CHANNELS:
        raise ValidationFailed(_("The customer must be told in writing: letter, e-mail or SMS."),
                               field="notice_channel")
    notice_text = _required(notice_text, "notice_text", _("Write the notice to the customer."))
    language.require_clean(notice_text, field="notice_text")
    complaint, before = _begin(actor, complaint, "extend", expected_version)
    kind = _next_extension_kind(complaint)
    if complaint.extension_requests.filter(status=RequestStatus.PENDING).exists():
        raise ValidationFailed(_("An extension request is already awaiting approval."), field="reason",
                               code="invalid_state")
    _check_before_decision_deadline(complaint)
    request = ExtensionRequest.objects.create(complaint=complaint, kind=kind, reason=reason,
                                              notice_channel=notice_channel, notice_text=notice_text,
                                              requested_by=actor)
    saving.save_change(actor, complaint, ComplaintAction.EXTENSION_REQUEST, before, {"kind": kind, "note": reason})
    approvers = recipients.further_extension_approvers(complaint) if kind == ExtensionKind.FURTHER else \
        recipients.heads(complaint.lead_department or complaint.unit)
    notify(approvers, kind="complaint.extension_request", obj=complaint, link=recipients.complaint_link(complaint),
           text=_("%(number)s: an extension awaits your approval.") % {"number": complaint.tracking_number})
    return request


def _check_before_decision_deadline(complaint: Complaint) -> None:
    clock = complaint.clocks.filter(kind=ClockKind.DECISION).exclude(state=ClockState.STOPPED).first()
    if clock is None or timezone.now() >= clock.due_at:
        raise ValidationFailed(_("The limit has already run out; an extension had to be agreed before it."),
                               field="reason", code="too_late")


def _require_superior(actor, complaint: Complaint) -> None:
    """The further extension is approved above the handling institution (上级机构) or by head-office management."""
    require(actor, ComplaintPermission.APPROVE_FURTHER_EXTENSION)
    if not authority.may_approve_further_extension(actor, complaint):
        raise PermissionDenied(_("The further extension is approved only by the superior institution's "
                                 "consumer-protection office or by head-office senior management."))


@transaction.atomic
def decide_extension(actor, request: ExtensionRequest, *, approve: bool, note: str = "",
                     expected_version: int | None = None) -> ExtensionRequest:
    complaint, before = _begin(actor, request.complaint, "decide_extension", expected_version)
    if request.kind == ExtensionKind.FURTHER:
        _require_superior(actor, complaint)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationFailed(_("This request has already been decided."), field="approve", code="invalid_state")
    if request.requested_by_id == actor.pk:
        raise ValidationFailed(_("Nobody approves their own request."), field="approve", code="self_approval")
    if not approve and not note.strip():
        raise ValidationFailed(_("Say why the extension is refused."), field="note")
    if approve:
        _check_before_decision_deadline(complaint)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
    request.save()
    if approve:
        complaint.extension_level += 1
        clocks.extend(complaint, [ClockKind.DECISION, ClockKind.INTERNAL])
        clocks.refresh_complaint(complaint)
        notices.send(actor, complaint, kind=NOTICE_KINDS[request.kind], channel=request.notice_channel,
                     text=request.notice_text)
    action = ComplaintAction.EXTENSION_APPROVED if approve else ComplaintAction.EXTENSION_REFUSED
    saving.save_change(actor, complaint, action, before,
                       {"kind": request.kind, "note": note.strip()})
    notify([request.requested_by_id], kind="complaint.extension_decided", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("%(number)s: your extension request was %(outcome)s.") % {
               "number": complaint.tracking_number, "outcome": request.get_status_display()})
    return request


@transaction.atomic
def escalate(actor, complaint: Complaint, *, reason: str, expected_version: int | None = None) -> Complaint:
    """升级 by hand: the level above the lead department is told and the complaint carries the mark."""
    state_machine.require_step(actor, "escalate", complaint)
    reason = _required(reason, "reason", _("Write why the complaint is escalated."))
    complaint, before = _begin(actor, complaint, "escalate", expected_version)
    complaint.escalation_level += 1
    complaint = saving.save_change(actor, complaint, ComplaintAction.ESCALATE, before, {"note": reason})
    unit = complaint.lead_department or complaint.unit
    notify(recipients.heads(unit) + recipients.reviewers(complaint), kind="complaint.escalated", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("%(number)s is escalated to you: %(reason)s") % {"number": complaint.tracking_number,
                                                                   "reason": reason})
    return complaint
