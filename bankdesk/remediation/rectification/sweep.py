"""The rectification sweep (periodic job remediation.rectification_sweep, the complaints sweeper's pattern):
1. every complaint closed as the bank's fault and covered by no item gets one (so complaints need not know
   this app: the sweep looks for such closures, one NOT EXISTS query on indexed columns);
2. open items past their due date are flagged overdue, and their owner (or, with no owner, the heads of the
   unit; once reported done, the consumer-protection office that verifies) is chased every so many days;
   after a number of chases the heads and the consumer-protection office above the unit are told too.
Messages and audit events are written in bulk."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.handling import recipients
from bankdesk.complaints.models import Complaint, Status
from bankdesk.core import audit, rules
from bankdesk.core.messaging import Message, notify_many
from bankdesk.orgs.models import Role
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import (
    OPEN_RECTIFICATION_STATUSES,
    RectificationItem,
    RectificationLink,
    RectificationStatus,
)
from bankdesk.remediation.rectification import services

BATCH = 500


def open_missing_items() -> int:
    """Items for the bank-at-fault closures that have none; returns how many were opened."""
    unlinked = (Complaint.objects.filter(status=Status.CLOSED, closure_code__code=services.BANK_AT_FAULT)
                .filter(~Exists(RectificationLink.objects.filter(complaint=OuterRef("pk"))))
                .select_related("unit", "closure_code").order_by("closed_at", "id")[:BATCH])
    opened = 0
    for complaint in unlinked:
        services.open_for_complaint(None, complaint)
        opened += 1
    return opened


def _chased(item: RectificationItem, escalate: bool) -> tuple:
    if item.status == RectificationStatus.REPORTED:
        chased = recipients.over(item.unit, [Role.CONSUMER_PROTECTION])
    else:
        chased = [item.owner_id] if item.owner_id else recipients.heads(item.unit)
    if escalate:
        chased = [*chased, *recipients.over(item.unit, [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION])]
    return tuple(dict.fromkeys(chased))


def _message(item: RectificationItem, escalate: bool, today) -> Message:
    text = _("Rectification %(item)s at %(unit)s is overdue by %(days)d days (chase %(count)d): %(summary)s") % {
        "item": item, "unit": item.unit.name, "days": (today - item.due_on).days, "count": item.chase_count,
        "summary": item.summary[:80]}
    return Message(_chased(item, escalate), "remediation.rectification.chase", text, "", item)


def chase(now=None) -> dict:
    """Flag what fell overdue and chase what is due a chase; returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    flagged = RectificationItem.objects.filter(status__in=OPEN_RECTIFICATION_STATUSES, due_on__lt=today,
                                               is_overdue=False).update(is_overdue=True)
    since = now - timedelta(days=rules.get("remediation.rectification.chase_interval_days"))
    escalate_after = rules.get("remediation.rectification.escalate_after_chases")
    due = list(RectificationItem.objects.filter(status__in=OPEN_RECTIFICATION_STATUSES, is_overdue=True)
               .filter(Q(last_chased_at__isnull=True) | Q(last_chased_at__lte=since))
               .select_related("unit").order_by("due_on", "id")[:BATCH])
    messages, events = [], []
    for item in due:
        item.chase_count += 1
        item.last_chased_at = now
        escalate = item.chase_count >= escalate_after
        messages.append(_message(item, escalate, today))
        events.append(audit.event_for(RemediationAction.RECTIFICATION_CHASE, item,
                                      after={"chase": item.chase_count, "escalated": escalate}))
    RectificationItem.objects.bulk_update(due, ["chase_count", "last_chased_at"])
    notify_many(messages)
    audit.save_all(events)
    return {"flagged": flagged, "chased": len(due)}


def sweep(now=None) -> dict:
    return {"opened": open_missing_items(), **chase(now)}
