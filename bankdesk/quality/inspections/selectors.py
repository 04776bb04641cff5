"""Reads of inspection visits and follow-up actions, limited to the units where the user holds quality.view."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.quality.models import (
    METHOD_KINDS,
    OPEN_FOLLOW_UP_STATUSES,
    FollowUpAction,
    Visit,
    VisitStatus,
)
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.registers.selectors import in_subtree
from bankdesk.scorecards import selectors as scorecard_selectors

VISIT_SORTS = {"scheduled_for": ("scheduled_for", "id"), "unit": ("unit_path", "-scheduled_for", "id"),
               "score": ("score", "id"), "method": ("method", "-scheduled_for", "id")}
FOLLOW_UP_SORTS = {"due_on": ("due_on", "id"), "unit": ("unit_path", "due_on", "id"),
                   "created_at": ("created_at", "id")}


@dataclass
class VisitFilter:
    unit: object = None
    method: str = ""
    status: str = ""
    inspector: object = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-scheduled_for"


def visits(user, filters: VisitFilter):
    require(user, P.VIEW)
    rows = Visit.objects.filter(scope_q(user, P.VIEW, "unit_path"))
    if filters.unit is not None:
        rows = rows.filter(in_subtree("unit_path", filters.unit))
    for field in ("method", "status", "inspector"):
        if getattr(filters, field):
            rows = rows.filter(**{field: getattr(filters, field)})
    if filters.date_from:
        rows = rows.filter(scheduled_for__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(scheduled_for__lte=filters.date_to)
    return rows.select_related("unit", "inspector", "version__scorecard").order_by(
        *ordering(filters.sort, VISIT_SORTS, "-scheduled_for"))


def visit(user, pk: int) -> Visit:
    require(user, P.VIEW)
    found = Visit.objects.filter(scope_q(user, P.VIEW, "unit_path"), pk=pk).select_related(
        "unit", "inspector", "created_by", "version__scorecard", "evaluation").first()
    if found is None:
        raise NotFound()
    return found


def checklists_for(user):
    """The published checklists of outlet kinds the user may score visits on."""
    return scorecard_selectors.scorable_versions(user, kinds=set(METHOD_KINDS.values()))


def outlet_scorecards(user):
    """The scorecards of outlet kinds the user may see (the checklists page)."""
    require(user, P.VIEW_INSPECTIONS)
    return scorecard_selectors.scorecards(user).filter(kind__in=set(METHOD_KINDS.values())).order_by("kind", "code")


@dataclass
class FollowUpFilter:
    unit: object = None
    status: str = ""
    open_only: bool = True
    overdue: bool = False
    owner: object = None
    sort: str = "due_on"


def follow_ups(user, filters: FollowUpFilter):
    require(user, P.VIEW)
    rows = FollowUpAction.objects.filter(scope_q(user, P.VIEW, "unit_path") | Q(owner=user))
    if filters.unit is not None:
        rows = rows.filter(in_subtree("unit_path", filters.unit))
    if filters.status:
        rows = rows.filter(status=filters.status)
    elif filters.open_only:
        rows = rows.filter(status__in=OPEN_FOLLOW_UP_STATUSES)
    if filters.overdue:
        rows = rows.filter(is_overdue=True)
    if filters.owner is not None:
        rows = rows.filter(owner=filters.owner)
    return rows.select_related("unit", "owner", "visit", "item").order_by(
        *ordering(filters.sort, FOLLOW_UP_SORTS, "due_on"))


def follow_up(user, pk: int) -> FollowUpAction:
    found = follow_ups(user, FollowUpFilter(open_only=False)).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def open_count(user, *, mine: bool = False, overdue: bool = False) -> int:
    """Open follow-ups (the user's own, or in their scope), for the menu badge and the home tiles."""
    rows = FollowUpAction.objects.filter(status__in=OPEN_FOLLOW_UP_STATUSES)
    rows = rows.filter(owner=user) if mine else rows.filter(scope_q(user, P.VIEW, "unit_path"))
    return rows.filter(is_overdue=True).count() if overdue else rows.count()


def upcoming(user, inspector=None, limit: int = 10) -> list[Visit]:
    """Scheduled and open visits, the soonest first (the inspector's own when named)."""
    rows = visits(user, VisitFilter(inspector=inspector, sort="scheduled_for")).filter(
        status__in=[VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS])
    return list(rows[:limit])
