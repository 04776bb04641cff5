"""Dispatch (派单): the department concerned signs for (签收) a routed complaint, and the dispatch clock
(docs/domain-rules.md §2, 10 minutes) stops then, not at routing. Who is told on assignment: the handler and
every assisting department, each in their inbox."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, recipients
from bankdesk.complaints.models import ClockKind, ClockState, Complaint
from bankdesk.core import rules
from bankdesk.core.messaging import Message, notify_many


def sign(complaint: Complaint, actor) -> None:
    """Record the sign-for on the (locked) complaint and stop its dispatch clock; the caller saves."""
    complaint.signed_for_at, complaint.signed_for_by = timezone.now(), actor
    clocks.stop(complaint, [ClockKind.DISPATCH], at=complaint.signed_for_at)
    clocks.refresh_complaint(complaint)


def sign_on_first_work(complaint: Complaint, actor) -> None:
    """Handling work on a complaint nobody signed for yet is its department taking it: the sign-for."""
    if complaint.routed_at is not None and complaint.signed_for_at is None:
        sign(complaint, actor)


@transaction.atomic
def sign_for(actor, complaint: Complaint, expected_version: int | None = None) -> Complaint:
    """签收: the lead department takes the routed complaint (state_machine.sign_for_refusal says who may)."""
    complaint = saving.lock(actor, complaint, "sign_for", expected_version)
    refusal = state_machine.sign_for_refusal(actor, complaint)
    if refusal is not None:
        raise refusal
    before = saving.snapshot(complaint)
    sign(complaint, actor)
    return saving.save_change(actor, complaint, ComplaintAction.SIGN_FOR, before,
                              {"signed_for_at": complaint.signed_for_at.isoformat()})


def await_sign_for(complaint: Complaint, department_changed: bool) -> None:
    """After routing: the department routed to must sign for it. A new department signs anew, on a dispatch
    clock of its own when the first one had stopped."""
    if department_changed:
        complaint.signed_for_at = complaint.signed_for_by = None
    if complaint.signed_for_at is None and not complaint.clocks.filter(
            kind=ClockKind.DISPATCH, state__in=[ClockState.RUNNING, ClockState.PAUSED]).exists():
        clocks.start(complaint, ClockKind.DISPATCH)


def tell_assigned(complaint: Complaint, new_handler: bool, new_assisting: list) -> None:
    """The inbox messages of an assignment: the handler (when newly assigned) and each assisting department
    newly named, in one batch."""
    link, number = recipients.complaint_link(complaint), complaint.tracking_number
    messages = []
    if new_handler and complaint.handler_id:
        messages.append(Message((complaint.handler_id,), "complaint.assigned", _(
            "%(number)s is assigned to you: sign for it within %(minutes)s minutes.") % {
            "number": number, "minutes": rules.get("complaint.dispatch_minutes")}, link, complaint))
    lead = complaint.lead_department.name if complaint.lead_department_id else ""
    for unit in new_assisting:
        messages.append(Message(tuple(recipients.department_staff(unit)), "complaint.assisting", _(
            "%(number)s: your department assists %(lead)s in handling it.") % {"number": number, "lead": lead},
            link, complaint))
    notify_many(messages)
