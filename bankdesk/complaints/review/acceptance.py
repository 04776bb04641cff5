"""The acceptance review (受理审核): accept, refuse with a notice to the customer, merge a duplicate,
record a withdrawal. Acceptance starts the handling clocks and routes the complaint by the rules."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, notices, reports
from bankdesk.complaints.models import ClockKind, Complaint, Severity, Status
from bankdesk.complaints.review import classification as classification_rules
from bankdesk.complaints.review import routing
from bankdesk.complaints.review.classification import Classification
from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.knowledge import language


@transaction.atomic
def accept_complaint(actor, complaint: Complaint, expected_version: int | None = None, *,
                     classification: Classification | None = None, confirm_other_cause: bool = False) -> Complaint:
    """受理: the complaint is valid, classified (the reviewer sets or corrects category, cause and severity); it is
    routed at once by the routing rules."""
    classification = classification or Classification()
    classification_rules.check(classification)
    complaint = saving.lock(actor, complaint, "accept", expected_version)
    before = saving.snapshot(complaint)
    changes = classification_rules.apply(complaint, classification)
    classification_rules.require_cause_confirmed(complaint, confirm_other_cause)
    complaint.status, complaint.accepted_at, complaint.reviewed_by = Status.ACCEPTED, timezone.now(), actor
    complaint = saving.save_change(actor, complaint, ComplaintAction.ACCEPT, before,
                                   classification_rules.classification_record(complaint, changes))
    _start_handling_clocks(complaint)
    if classification_rules.severity_raised(changes):
        reports.report_by_severity(complaint)
    if changes:
        saving.index_for_search(complaint)
    return routing.route_by_rules(actor, complaint)


def _start_handling_clocks(complaint: Complaint) -> None:
    """Acceptance ends the review clock and starts the handling clocks of docs/domain-rules.md §2 (the statutory
    decision clock runs since receipt)."""
    clocks.stop(complaint, [ClockKind.ACCEPTANCE], at=complaint.accepted_at)
    kinds = [ClockKind.DISPATCH, ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.BECOMES_MAJOR]
    if complaint.severity == Severity.MAJOR:
        kinds.append(ClockKind.MAJOR_REPLY)
    for kind in kinds:
        clocks.start(complaint, kind, at=complaint.accepted_at)
    clocks.refresh_complaint(complaint)


@transaction.atomic
def refuse_complaint(actor, complaint: Complaint, *, reason, notice_channel: str, notice_text: str,
                     expected_version: int | None = None) -> Complaint:
    """不予受理: the customer is told, with the reason, by the channel chosen."""
    state_machine.require_step(actor, "refuse", complaint)
    if reason is None or not reason.is_active:
        raise ValidationFailed(_("Choose the reason for not accepting."), field="reason")
    notices.check_channel(complaint, notice_channel)
    if not notice_text.strip():
        raise ValidationFailed(_("Write the notice to the customer."), field="notice_text")
    language.require_clean(notice_text, field="notice_text")
    complaint = saving.lock(actor, complaint, "refuse", expected_version)
    before = saving.snapshot(complaint)
    complaint.status, complaint.reviewed_by, complaint.non_acceptance_reason = Status.NOT_ACCEPTED, actor, reason
    notice = notices.send(actor, complaint, kind="non_acceptance", channel=notice_channel, text=notice_text)
    clocks.end_clocks(complaint)
    return saving.save_change(actor, complaint, ComplaintAction.REFUSE, before,
                              {"notice": notice.pk, "channel": notice_channel})


def non_acceptance_notice(complaint: Complaint, reason) -> str:
    """The default wording of the non-acceptance notice, which the reviewer may edit; always in the
    bank's language, whatever the reviewer's screen is set to."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s, your complaint %(number)s received on %(date)s cannot be accepted. Reason: "
                 "%(reason)s. If you have questions, please call our customer service hotline.") % {
            "name": complaint.complainant_name, "number": complaint.tracking_number,
            "date": timezone.localtime(complaint.received_at).strftime("%Y-%m-%d"), "reason": reason.name}


@transaction.atomic
def merge_complaint(actor, complaint: Complaint, into: Complaint, note: str = "",
                    expected_version: int | None = None) -> Complaint:
    """A duplicate is merged into an earlier complaint; both stay, linked."""
    state_machine.require_step(actor, "merge", complaint)
    state_machine.require_step(actor, "merge", into)
    if into.pk == complaint.pk or into.status in (Status.MERGED,):
        raise ValidationFailed(_("Choose another, open complaint to merge into."), field="into")
    complaint = saving.lock(actor, complaint, "merge", expected_version)
    before = saving.snapshot(complaint)
    complaint.status, complaint.merged_into = Status.MERGED, into
    clocks.end_clocks(complaint)
    complaint = saving.save_change(actor, complaint, ComplaintAction.MERGE, before,
                                   {"into": into.tracking_number, "note": note})
    audit.record(ComplaintAction.MERGED_IN, into, actor=actor, after={"merged": complaint.tracking_number, "note": note})
    return complaint


@transaction.atomic
def withdraw_complaint(actor, complaint: Complaint, note: str, expected_version: int | None = None) -> Complaint:
    """撤诉: the customer withdraws; the clock ends."""
    state_machine.require_step(actor, "withdraw", complaint)
    if not note.strip():
        raise ValidationFailed(_("Record how the customer withdrew (call, letter, in person)."), field="note")
    complaint = saving.lock(actor, complaint, "withdraw", expected_version)
    before = saving.snapshot(complaint)
    complaint.status = Status.WITHDRAWN
    clocks.end_clocks(complaint)
    return saving.save_change(actor, complaint, ComplaintAction.WITHDRAW, before, {"note": note.strip()})
