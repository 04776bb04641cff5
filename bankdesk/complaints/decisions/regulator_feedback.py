"""申诉反馈: the feedback the bank sends back to the regulator that transferred a complaint (监管转办).

A regulator's transfer runs, from its receipt, a clock of its own (`ClockKind.REGULATOR_FEEDBACK`): due at the
regulator's deadline entered at registration, or, where the transfer names none, after the working days of the
rule `complaint.regulator_feedback_working_days`. The consumer-protection office over the unit concerned owns it
(warned, chased and escalated by the sweep like any clock), at any stage of the complaint and after it has ended,
until the feedback is recorded here: what was reported, when it was sent and by whom. Records are never changed;
a later report (the final result after an interim one) is a new record.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks
from bankdesk.complaints.models import Complaint, RegulatorFeedback
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed

MAX_CONTENT = 5000


def _checked(complaint: Complaint, content: str, sent_at: datetime | None) -> tuple[str, datetime]:
    content = (content or "").strip()
    if not content:
        raise ValidationFailed(_("Write what was reported to the regulator."), field="content")
    if len(content) > MAX_CONTENT:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": MAX_CONTENT}, field="content")
    now = timezone.now()
    sent_at = sent_at or now
    tolerance = rules.get("complaint.received_future_tolerance_minutes")
    if (sent_at - now).total_seconds() > tolerance * 60:
        raise ValidationFailed(_("The feedback cannot have been sent in the future."), field="sent_at")
    if sent_at < complaint.received_at:
        raise ValidationFailed(_("The feedback cannot have been sent before the complaint was received."),
                               field="sent_at")
    return content, sent_at


@transaction.atomic
def record_regulator_feedback(actor, complaint: Complaint, *, content: str, sent_at: datetime | None = None,
                              expected_version: int | None = None) -> RegulatorFeedback:
    """Record the feedback sent to the regulator; the first one stops the regulator-feedback clock."""
    state_machine.require_step(actor, "regulator_feedback", complaint)
    refusal = state_machine.regulator_feedback_refusal(actor, complaint)
    if refusal is not None:
        raise refusal
    content, sent_at = _checked(complaint, content, sent_at)
    complaint = saving.lock(actor, complaint, "regulator_feedback", expected_version)
    before = saving.snapshot(complaint)
    feedback = RegulatorFeedback.objects.create(complaint=complaint, content=content, sent_at=sent_at, sent_by=actor)
    clocks.stop(complaint, clocks.OWED_TO_REGULATOR, at=sent_at)
    feedback.complaint = saving.save_change(actor, complaint, ComplaintAction.REGULATOR_FEEDBACK, before, {
        "sent_at": sent_at.isoformat(), "reference": complaint.external_reference, "note": content[:500]})
    return feedback
