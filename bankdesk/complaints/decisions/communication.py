"""Telling the customer the decision: the letter (投诉处理意见告知书) with its default notice, and
the communication step that stops the answered clocks and starts the callback clock."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.decisions import approval, letter_pdf
from bankdesk.complaints.handling import clocks, notices
from bankdesk.complaints.models import ClockKind, Complaint, Decision, DecisionStatus, Status
from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.knowledge import language

ANSWERED_CLOCKS = [ClockKind.MAJOR_REPLY, ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION,
                   ClockKind.REVIEW, ClockKind.BECOMES_MAJOR]


def decision_letter(complaint: Complaint, decision: Decision) -> bytes:
    """The decision letter (投诉处理意见告知书) in the bank's language, whatever the user's screen shows."""
    with translation.override(settings.LANGUAGE_CODE):
        return letter_pdf.render_decision_letter(letter_pdf.DecisionLetter(
            bank_name=(complaint.lead_department or complaint.unit).name, customer_name=complaint.complainant_name,
            tracking_number=complaint.tracking_number, received_on=timezone.localdate(complaint.received_at),
            summary=complaint.description, finding=decision.finding, basis=decision.basis,
            remedies=decision.remedy_labels(), fee_refund_amount=decision.fee_refund_amount,
            compensation_amount=decision.compensation_amount, conclusion=decision.closure_code.customer_text,
            approved_by=str(decision.reviewed_by or ""), letter_date=timezone.localdate(),
            hotline=settings.BANKDESK_HOTLINE, review_days=rules.get("complaint.customer_review_calendar_days"),
            regulator_contact=settings.BANKDESK_REGULATOR_CONTACT))


def decision_notice(complaint: Complaint, decision: Decision) -> str:
    """The default short notice accompanying the letter; staff may edit it before sending."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s, your complaint %(number)s has been handled: %(remedies)s. The decision letter "
                 "gives the details. We will call you within a few days to ask whether you are satisfied.") % {
            "name": complaint.complainant_name, "number": complaint.tracking_number,
            "remedies": "、".join(decision.remedy_labels())}


def letter_content(complaint: Complaint) -> bytes:
    """The letter as the customer got it once sent; until then, a preview of the approved decision's."""
    decision = approval.current_decision(complaint)
    if decision is None or decision.status not in (DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED):
        raise NotFound(_("There is no approved decision yet."))
    if decision.letter:
        with default_storage.open(decision.letter, "rb") as stored:
            return stored.read()
    return decision_letter(complaint, decision)


def letter_path(complaint: Complaint, decision: Decision) -> str:
    return f"letters/{complaint.tracking_number}-{decision.pk}.pdf"


@transaction.atomic
def communicate_decision(actor, complaint: Complaint, *, channel: str, text: str,
                         expected_version: int | None = None) -> Decision:
    """答复: the customer is told; the decision clocks stop and the callback clock starts."""
    state_machine.require_step(actor, "communicate", complaint)
    notices.check_channel(complaint, channel, field="channel")
    if not (text or "").strip():
        raise ValidationFailed(_("Write the notice to the customer."), field="text")
    language.require_clean(text, field="text")
    complaint = saving.lock(actor, complaint, "communicate", expected_version)
    decision = Decision.objects.select_for_update().get(complaint=complaint, status=DecisionStatus.APPROVED)
    before = saving.snapshot(complaint)
    letter = decision_letter(complaint, decision)
    decision.letter = default_storage.save(letter_path(complaint, decision), ContentFile(letter))
    decision.status, decision.communicated_at, decision.communication_channel = (
        DecisionStatus.COMMUNICATED, timezone.now(), channel)
    decision.save()
    notices.send(actor, complaint, kind="decision", channel=channel, text=text,
                 attachment=(f"{complaint.tracking_number}.pdf", letter, "application/pdf"))
    complaint.status, complaint.communicated_at, complaint.failed_callbacks = (
        Status.COMMUNICATED, decision.communicated_at, 0)
    clocks.stop(complaint, ANSWERED_CLOCKS, at=decision.communicated_at)
    clocks.end_pause(complaint, decision.communicated_at, actor)
    clocks.start(complaint, ClockKind.CALLBACK, at=decision.communicated_at)
    clocks.refresh_complaint(complaint)
    saving.save_change(actor, complaint, ComplaintAction.COMMUNICATE, before,
                       {"decision": decision.pk, "channel": channel})
    return decision
