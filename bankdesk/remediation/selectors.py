"""Reads of remediation, always limited to what the user may see.

Payment orders and accountability records are seen over their complaint (its unit or its lead department,
`scope.complaint_q`), rectification items over their unit (and by their owner). Each list is one query for its
rows and one COUNT (core.pagination), whatever the number of rows; a detail page reads its object in one query
and each list on it in one more."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.storage import default_storage
from django.db.models import Count, Q

from bankdesk.complaints.intake.attachment_files import attachment_path
from bankdesk.core.calendar import day_start
from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.remediation import scope
from bankdesk.remediation.models import (
    OPEN_RECTIFICATION_STATUSES,
    PENDING_PAYMENT_STATUSES,
    AccountabilityRecord,
    AccountabilityStatus,
    PaymentOrder,
    RectificationItem,
    RectificationStatus,
)
from bankdesk.remediation.permissions import RemediationPermission as P


def _within(prefix: str, unit) -> Q:
    """Rows whose `prefix` path lies in `unit`'s subtree."""
    return Q(**{f"{prefix}__startswith": unit.path})


def _period(rows, field: str, date_from: date | None, date_to: date | None):
    if date_from:
        rows = rows.filter(**{f"{field}__gte": day_start(date_from)})
    if date_to:
        rows = rows.filter(**{f"{field}__lt": day_start(date_to + timedelta(days=1))})
    return rows


def _number(text: str, prefix: str) -> int | None:
    """The id in an order or record number ("FK00000012" → 12), None when `text` is not one."""
    text = text.strip().upper()
    digits = text.removeprefix(prefix)
    return int(digits) if digits.isdigit() and text.startswith(prefix) and 0 < int(digits) < 2**63 else None


# --- Payment orders ----------------------------------------------------------------------------------------------

PAYMENT_SORTS = {"proposed_at": ("proposed_at", "id"), "amount": ("amount", "id"),
                 "status": ("status", "-proposed_at", "-id"), "unit": ("unit_path", "-proposed_at", "-id")}
PAYMENT_LIST_FIELDS = ("id", "kind", "amount", "status", "approvals_needed", "proposed_at", "export_batch",
                       "payment_reference", "unit_path", "complaint__id", "complaint__tracking_number",
                       "unit__id", "unit__name", "proposed_by__id", "proposed_by__username",
                       "proposed_by__display_name")


@dataclass
class PaymentFilter:
    status: str = ""
    kind: str = ""
    unit: object = None
    number: str = ""  # a tracking number, or an order number FK…
    pending: bool = False  # awaiting an approval
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-proposed_at"


def payment_orders(user, filters: PaymentFilter | None = None):
    """The orders whose complaint the user may see with remediation.view."""
    require(user, P.VIEW)
    filters = filters or PaymentFilter()
    rows = PaymentOrder.objects.filter(scope.complaint_q(user, P.VIEW))
    if filters.status:
        rows = rows.filter(status=filters.status)
    elif filters.pending:
        rows = rows.filter(status__in=PENDING_PAYMENT_STATUSES)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.unit is not None:
        rows = rows.filter(_within("unit_path", filters.unit))
    if filters.number.strip():
        order_id = _number(filters.number, "FK")
        rows = rows.filter(pk=order_id) if order_id else rows.filter(
            complaint__tracking_number=filters.number.strip().upper())
    rows = _period(rows, "proposed_at", filters.date_from, filters.date_to)
    return (rows.select_related("complaint", "unit", "proposed_by").only(*PAYMENT_LIST_FIELDS)
            .order_by(*ordering(filters.sort, PAYMENT_SORTS, "-proposed_at")))


def payment_order(user, pk: int) -> PaymentOrder:
    require(user, P.VIEW)
    found = (PaymentOrder.objects.filter(scope.complaint_q(user, P.VIEW), pk=pk)
             .select_related("complaint__unit", "complaint__lead_department", "decision", "unit", "proposed_by",
                             "paid_by").first())
    if found is None:
        raise NotFound()
    return found


def approvals(order: PaymentOrder):
    return order.approvals.select_related("approver").order_by("decided_at", "id")


def payments_awaiting(user) -> int:
    """Orders awaiting an approval the user could give (their reach, not their own): the menu badge and tile."""
    return (PaymentOrder.objects.filter(scope.complaint_q(user, P.APPROVE_PAYMENT),
                                        status__in=PENDING_PAYMENT_STATUSES)
            .exclude(proposed_by=user).exclude(approvals__approver=user).count())


# --- Rectification items -----------------------------------------------------------------------------------------

RECTIFICATION_SORTS = {"due_on": ("due_on", "id"), "opened_at": ("opened_at", "id"),
                       "unit": ("unit_path", "due_on", "id"), "complaints": ("complaints", "due_on", "id")}


@dataclass
class RectificationFilter:
    status: str = ""
    open_only: bool = False
    overdue: bool = False
    mine: bool = False
    unit: object = None
    root_cause: object = None
    date_from: date | None = None  # opened
    date_to: date | None = None
    sort: str = "due_on"


def _items_of(user):
    require(user, P.VIEW)
    return RectificationItem.objects.filter(scope_q(user, P.VIEW, "unit_path") | Q(owner=user))


def rectification_items(user, filters: RectificationFilter | None = None):
    """Items at the user's units (and those they own), each with the number of complaints it covers."""
    filters = filters or RectificationFilter()
    rows = _items_of(user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    elif filters.open_only:
        rows = rows.filter(status__in=OPEN_RECTIFICATION_STATUSES)
    if filters.overdue:
        rows = rows.filter(is_overdue=True, status__in=OPEN_RECTIFICATION_STATUSES)
    if filters.mine:
        rows = rows.filter(owner=user)
    if filters.unit is not None:
        rows = rows.filter(_within("unit_path", filters.unit))
    if filters.root_cause is not None:
        rows = rows.filter(root_cause=filters.root_cause)
    rows = _period(rows, "opened_at", filters.date_from, filters.date_to)
    return (rows.select_related("unit", "root_cause", "owner").annotate(complaints=Count("links"))
            .order_by(*ordering(filters.sort, RECTIFICATION_SORTS, "due_on")))


def rectification_item(user, pk: int) -> RectificationItem:
    found = _items_of(user).filter(pk=pk).select_related("unit", "root_cause", "owner", "verified_by").first()
    if found is None:
        raise NotFound()
    return found


def item_complaints(item: RectificationItem):
    return item.links.select_related("complaint").only(
        "id", "linked_at", "item_id", "complaint__id", "complaint__tracking_number", "complaint__status",
        "complaint__closed_at").order_by("linked_at", "id")


def item_evidence(item: RectificationItem):
    return item.evidence.select_related("uploaded_by", "file").order_by("uploaded_at", "id")


def evidence_of(item: RectificationItem, evidence_id: int):
    """One evidence file of the item (404 when it is another item's)."""
    found = item.evidence.select_related("file").filter(pk=evidence_id).first()
    if found is None:
        raise NotFound()
    return found


def open_evidence(evidence):
    """The stored content of an evidence file, opened for reading."""
    return default_storage.open(attachment_path(evidence.file.sha256), "rb")


def rectification_to_verify(user) -> int:
    return RectificationItem.objects.filter(scope_q(user, P.VERIFY, "unit_path"),
                                            status=RectificationStatus.REPORTED).count()


def my_open_rectification(user) -> int:
    return RectificationItem.objects.filter(owner=user, status__in=OPEN_RECTIFICATION_STATUSES).count()


# --- Accountability records --------------------------------------------------------------------------------------

ACCOUNTABILITY_SORTS = {"proposed_at": ("proposed_at", "id"), "status": ("status", "-proposed_at", "-id"),
                        "unit": ("unit_path", "-proposed_at", "-id"), "penalty": ("penalty__sort_order", "id")}


@dataclass
class AccountabilityFilter:
    status: str = ""
    unit: object = None
    penalty: object = None
    staff: object = None
    number: str = ""  # a tracking number
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-proposed_at"


def accountability_records(user, filters: AccountabilityFilter | None = None):
    """The records whose complaint the user may see with remediation.view_accountability."""
    require(user, P.VIEW_ACCOUNTABILITY)
    filters = filters or AccountabilityFilter()
    rows = AccountabilityRecord.objects.filter(scope.complaint_q(user, P.VIEW_ACCOUNTABILITY))
    for name in ("status", "penalty", "staff"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.unit is not None:
        rows = rows.filter(_within("unit_path", filters.unit))
    if filters.number.strip():
        rows = rows.filter(complaint__tracking_number=filters.number.strip().upper())
    rows = _period(rows, "proposed_at", filters.date_from, filters.date_to)
    return (rows.select_related("complaint", "staff", "unit", "penalty", "proposed_by")
            .order_by(*ordering(filters.sort, ACCOUNTABILITY_SORTS, "-proposed_at")))


RECORD_RELATED = ("complaint__unit", "complaint__lead_department", "staff", "unit", "penalty", "proposed_by",
                  "decided_by", "appeal_decided_by", "original_penalty")


def accountability_record(user, pk: int) -> AccountabilityRecord:
    """A record the user may see over its complaint."""
    require(user, P.VIEW_ACCOUNTABILITY)
    found = (AccountabilityRecord.objects.filter(scope.complaint_q(user, P.VIEW_ACCOUNTABILITY), pk=pk)
             .select_related(*RECORD_RELATED).first())
    if found is None:
        raise NotFound()
    return found


def my_records(user):
    """The staff member's own records (their page): every status, newest first."""
    return (AccountabilityRecord.objects.filter(staff=user).select_related("penalty", "complaint", "staff", "unit")
            .order_by("-proposed_at", "-id"))


def my_record(user, pk: int) -> AccountabilityRecord:
    """One of the staff member's own records (their page), whatever their rights."""
    found = (AccountabilityRecord.objects.filter(pk=pk, staff=user)
             .select_related("complaint", "penalty", "original_penalty", "unit", "staff").first())
    if found is None:
        raise NotFound()
    return found


def accountability_awaiting(user) -> int:
    """Records awaiting the user's approval (their reach, not their own proposals, not about them)."""
    return (AccountabilityRecord.objects.filter(scope.complaint_q(user, P.APPROVE_ACCOUNTABILITY),
                                                status=AccountabilityStatus.PROPOSED)
            .exclude(proposed_by=user).exclude(staff=user).count())


def appeals_awaiting(user) -> int:
    return AccountabilityRecord.objects.filter(scope.complaint_q(user, P.DECIDE_APPEAL),
                                               status=AccountabilityStatus.APPEALED).exclude(staff=user).count()
