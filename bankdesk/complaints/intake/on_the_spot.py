"""当场办结: a simple complaint answered at once where it was made (the counter, the hotline).

The complaint is registered as usual, then accepted and answered in the same transaction: its clocks
stop, met, what the customer was told is logged as a contact, and the callback clock starts, so the
complaint post still calls the customer back before it closes (docs/domain-rules.md §2).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks
from bankdesk.complaints.models import (
    ChannelKind,
    ClockKind,
    Complaint,
    ContactChannel,
    CustomerContact,
    Severity,
    Status,
)
from bankdesk.core.errors import ValidationFailed
from bankdesk.knowledge import language

FIELD = "resolved_on_the_spot"
# The channels where staff face the customer, and how the answer reached them (codes of the default channels)
FACE_TO_FACE = {"hotline": ContactChannel.CALL, "outlet": ContactChannel.IN_PERSON}


def check(actor, data) -> None:
    """Before anything is written: only staff, only a single customer's complaint, with the answer given."""
    if not data.resolved_on_the_spot:
        return
    if actor is None or data.channel.kind != ChannelKind.STAFF or data.channel.code not in FACE_TO_FACE:
        raise ValidationFailed(_("Only a complaint made to staff at the counter or on the phone can be resolved "
                                 "on the spot."), field=FIELD)
    if data.is_group:
        raise ValidationFailed(_("A group complaint is never resolved on the spot."), field=FIELD)
    if not data.on_the_spot_answer.strip():
        raise ValidationFailed(_("Write what the customer was told or what was done on the spot."),
                               field="on_the_spot_answer")
    if len(data.on_the_spot_answer) > 5000:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": 5000}, field="on_the_spot_answer")
    language.require_clean(data.on_the_spot_answer, field="on_the_spot_answer")


def close(actor, complaint: Complaint, answer: str) -> Complaint:
    """Accept and answer the just-registered `complaint`; its callback clock starts. Runs inside the
    registration's transaction, so a refusal here leaves nothing registered."""
    if complaint.severity != Severity.MINOR:
        raise ValidationFailed(_("Only a minor complaint can be resolved on the spot; this one is “%(severity)s” "
                                 "and goes through acceptance review.") % {"severity": complaint.get_severity_display()},
                               field=FIELD)
    now = timezone.now()
    before = saving.snapshot(complaint)
    contact = CustomerContact.objects.create(complaint=complaint, channel=FACE_TO_FACE[complaint.channel.code],
                                             summary=answer.strip(),
                                             contacted_at=now, staff=actor)
    complaint.status, complaint.reviewed_by = Status.COMMUNICATED, actor
    complaint.accepted_at = complaint.communicated_at = now
    clocks.stop(complaint, at=now)
    clocks.start(complaint, ClockKind.CALLBACK, at=now)
    clocks.refresh_complaint(complaint)
    return saving.save_change(actor, complaint, ComplaintAction.RESOLVE_ON_THE_SPOT, before,
                              {"contact": contact.pk, "note": answer.strip()})
