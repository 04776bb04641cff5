"""Reads of complaints, always limited to what the user may see."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from bankdesk.complaints.models import OPEN_STATUSES, Complaint, Status
from bankdesk.core.errors import NotFound
from bankdesk.core.models import AuditEvent
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import Permission, require, scope_q
from bankdesk.core.pii import blind_index
from bankdesk.orgs.models import OrgUnit, next_path

SORTS = {"received_at": ("received_at", "id"), "severity": ("severity", "received_at"),
         "acceptance_deadline": ("acceptance_deadline", "id"), "tracking_number": ("tracking_number",)}
LIST_RELATED = ("channel", "unit", "business_category", "business_category__parent", "cause", "handler",
                "lead_department")


@dataclass
class ComplaintFilter:
    status: str = ""
    channel: int | None = None
    business_category: int | None = None
    severity: int | None = None
    unit: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    search: str = ""
    sort: str = "-received_at"


def visible_complaints(user, permission: Permission = Permission.VIEW_COMPLAINTS):
    """Complaints about a unit in the user's scope, led by a department in it, or handled by the user."""
    require(user, permission)
    visible = scope_q(user, permission, "unit_path") | scope_q(user, permission, "lead_department_path")
    return Complaint.objects.filter(visible | Q(handler=user))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def complaint_list(user, filters: ComplaintFilter):
    complaints = visible_complaints(user)
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.channel:
        complaints = complaints.filter(channel_id=filters.channel)
    if filters.business_category:
        complaints = complaints.filter(Q(business_category_id=filters.business_category)
                                       | Q(business_category__parent_id=filters.business_category))
    if filters.severity:
        complaints = complaints.filter(severity=filters.severity)
    if filters.unit:
        unit = OrgUnit.objects.filter(pk=filters.unit).first()
        complaints = complaints.filter(unit_path__gte=unit.path, unit_path__lt=next_path(unit.path)) if unit \
            else complaints.none()
    if filters.received_from:
        complaints = complaints.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        complaints = complaints.filter(received_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    if filters.overdue:
        complaints = complaints.filter(status=Status.REGISTERED, acceptance_deadline__lt=timezone.now())
    if filters.search:
        complaints = _search(complaints, filters.search.strip())
    return complaints.select_related(*LIST_RELATED).order_by(*ordering(filters.sort, SORTS, "-received_at"))


def _search(complaints, term: str):
    """A tracking number, a regulator's reference, or a phone number (through its blind index)."""
    digits = "".join(c for c in term if c.isdigit())
    condition = Q(tracking_number=term.upper()) | Q(external_reference=term)
    if len(digits) >= 7:
        condition |= Q(phone_index=blind_index(term, "phone"))
    return complaints.filter(condition)


def intake_queue(user, filters: ComplaintFilter):
    """Registered complaints awaiting acceptance review, and accepted ones awaiting routing by hand."""
    require(user, Permission.REVIEW_COMPLAINTS)
    queue = complaint_list(user, filters).filter(status__in=[Status.REGISTERED, Status.ACCEPTED])
    if not filters.sort or filters.sort == "-received_at":
        queue = queue.order_by("acceptance_deadline", "id")
    return queue


def customer_history(user, phone: str, limit: int = 20):
    """Earlier complaints from a phone number, bank-wide, for whoever registers a new one.

    Only the tracking number, dates, status and category are shown: enough to spot a repeat or a
    duplicate without opening records outside the user's scope.
    """
    require(user, Permission.REGISTER_COMPLAINT)
    return (Complaint.objects.filter(phone_index=blind_index(phone, "phone"))
            .select_related("business_category", "unit").order_by("-received_at")
            .only("id", "tracking_number", "received_at", "status", "business_category__name", "unit__name",
                  "unit_path", "lead_department_path", "handler_id")[:limit])


def possible_duplicates(complaint: Complaint):
    """Open complaints from the same phone in the same business category: candidates to merge."""
    return (Complaint.objects.filter(phone_index=complaint.phone_index, business_category=complaint.business_category,
                                     status__in=OPEN_STATUSES).exclude(pk=complaint.pk)
            .order_by("received_at"))


def complaint_detail(user, complaint_id: int) -> Complaint:
    complaint = (visible_complaints(user).select_related(*LIST_RELATED, "registered_by", "staff_concerned",
                                                         "merged_into", "repeat_of", "non_acceptance_reason")
                 .filter(pk=complaint_id).first())
    if complaint is None:
        raise NotFound()
    return complaint


def timeline(complaint: Complaint):
    return AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).order_by(
        "occurred_at", "id")


def public_status(tracking_number: str, phone: str) -> Complaint | None:
    """For the customer's tracking page: the complaint only when number and phone belong together."""
    return (Complaint.objects.filter(tracking_number=tracking_number.strip().upper(),
                                     phone_index=blind_index(phone, "phone"))
            .select_related("business_category").first())
