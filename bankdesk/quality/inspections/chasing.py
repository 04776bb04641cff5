"""Chasing the follow-up actions of inspections until they are closed (the periodic job
quality.chase_follow_ups): an action past its due date is flagged overdue; its owner (or, once the fix
is reported, the inspector who must verify it) is chased again every so many days; after a number of
chases the heads and the consumer-protection office above the outlet are told too. One query finds the
actions due a chase; messages and audit events are written in bulk."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.handling import recipients
from bankdesk.core import audit, rules
from bankdesk.core.messaging import Message, notify_many
from bankdesk.orgs.models import Role
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.models import (
    OPEN_FOLLOW_UP_STATUSES,
    FollowUpAction,
    FollowUpStatus,
)

BATCH = 500


def _recipients(action: FollowUpAction, escalate: bool) -> tuple:
    chased = action.owner_id if action.status == FollowUpStatus.OPEN else action.visit.inspector_id
    if not escalate:
        return (chased,)
    return (chased, *recipients.over(action.unit, [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION]))


def _message(action: FollowUpAction, escalate: bool) -> Message:
    late = (timezone.localdate() - action.due_on).days
    text = _("Overdue by %(days)d days at %(unit)s (chase %(count)d): %(problem)s") % {
        "days": late, "unit": action.unit.name, "count": action.chase_count, "problem": action.problem[:80]}
    return Message(_recipients(action, escalate), "quality.follow_up.chase", text,
                   reverse("quality:follow_up", kwargs={"action_id": action.pk}), action)


def chase(now=None) -> dict:
    """Flag what fell overdue and chase what is due a chase; returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    flagged = FollowUpAction.objects.filter(status__in=OPEN_FOLLOW_UP_STATUSES, due_on__lt=today,
                                            is_overdue=False).update(is_overdue=True)
    since = now - timedelta(days=rules.get("quality.follow_up.chase_interval_days"))
    escalate_after = rules.get("quality.follow_up.escalate_after_chases")
    due = list(FollowUpAction.objects.filter(status__in=OPEN_FOLLOW_UP_STATUSES, is_overdue=True)
               .filter(Q(last_chased_at__isnull=True) | Q(last_chased_at__lte=since))
               .select_related("unit", "visit").order_by("due_on", "id")[:BATCH])
    messages, events = [], []
    for action in due:
        action.chase_count += 1
        action.last_chased_at = now
        escalate = action.chase_count >= escalate_after
        messages.append(_message(action, escalate))
        events.append(audit.event_for(QualityAction.FOLLOW_UP_CHASE, action,
                                      after={"chase": action.chase_count, "escalated": escalate}))
    FollowUpAction.objects.bulk_update(due, ["chase_count", "last_chased_at"])
    notify_many(messages)
    audit.save_all(events)
    return {"flagged": flagged, "chased": len(due)}
