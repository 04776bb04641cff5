"""Reads of the core app."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from bankdesk.core.audit_display import describe
from bankdesk.core.errors import NotFound
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import CorePermission, covers_whole_bank, require, scope_q

AUDIT_SORTS = {"occurred_at": ("occurred_at", "id"), "action": ("action", "-occurred_at"),
               "actor": ("actor_label", "-occurred_at")}


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    object_name: str = ""  # what the object is called on the trail: a tracking number, a user's or unit's name
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-occurred_at"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(user, filters: AuditFilter):
    """Audit events in the user's scope; bank-wide events only for those who see the whole bank."""
    require(user, CorePermission.VIEW_AUDIT)
    visible = scope_q(user, CorePermission.VIEW_AUDIT, "unit_path")
    if covers_whole_bank(user, CorePermission.VIEW_AUDIT):
        visible |= Q(unit_path="")
    events = AuditEvent.objects.filter(visible).select_related(None)
    if filters.actor:
        events = events.filter(actor_label=filters.actor)
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.object_name:
        name = filters.object_name.strip()
        events = events.filter(object_repr__in={name, name.upper()})  # tracking numbers typed in lower case
    if filters.source:
        events = events.filter(source=filters.source)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return events.order_by(*ordering(filters.sort, AUDIT_SORTS, "-occurred_at"))


def audit_event(user, event_id: int) -> AuditEvent:
    """One event of the user's trail (404 outside their scope, as for the list)."""
    event = audit_events(user, AuditFilter()).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def latest_changes(user, count: int = 8) -> dict:
    """The newest events of the user's trail, as lines of it (for the home page)."""
    return {"lines": describe(audit_events(user, AuditFilter())[:count])}


def user_notifications(user, unread_only: bool = True):
    """The user's own notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_notification_count(user) -> int:
    return user_notifications(user).count()
