"""A customer calls about a complaint: the agent at the desk logs the call, the handler is told.

The call changes nothing of the complaint (no state, no clock, no version): it is a record beside it, on the
audit trail and so on the timeline, and a message in the inbox of whoever works on it."""

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.complaints import selectors, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import recipients
from bankdesk.complaints.models import CallerEnquiry, Complaint
from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify

TEXT_FIELD = CallerEnquiry._meta.get_field("text")
NOTICE_EXCERPT = 200  # characters of the call quoted in the handler's message (a message holds 500)


def told(complaint: Complaint) -> list[int]:
    """Who hears of the call: the handler, or before there is one, the consumer-protection office reviewing it."""
    return [complaint.handler_id] if complaint.handler_id else recipients.reviewers(complaint)


@transaction.atomic
def log_caller_enquiry(actor, complaint_id: int, text: str = "") -> CallerEnquiry:
    """Log that the customer called about the complaint ("asked for progress" when `text` is empty)."""
    complaint = selectors.desk_complaint(actor, complaint_id)
    archived = state_machine.archived_refusal(complaint)
    if archived is not None:
        raise archived
    text = " ".join((text or "").split()) or _("The customer asked for progress.")
    if len(text) > TEXT_FIELD.max_length:
        raise ValidationFailed(_("Write at most %(count)d characters.") % {"count": TEXT_FIELD.max_length},
                               field="text")
    enquiry = CallerEnquiry.objects.create(complaint=complaint, text=text, staff=actor)
    audit.record(ComplaintAction.CALLER_ENQUIRY, complaint, actor=actor, after={"note": text})
    notify(told(complaint), kind="complaint.caller_enquiry", obj=complaint, link=recipients.complaint_link(complaint),
           text=_("%(number)s: the customer called: %(text)s") % {"number": complaint.tracking_number, "text": text[:NOTICE_EXCERPT]})
    return enquiry
