"""Reads of the early warnings: in the user's scope (the unit's path), one query per page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from bankdesk.analytics.warnings.models import EarlyWarning, WarningStatus
from bankdesk.analytics.warnings.permissions import WarningPermission as P
from bankdesk.complaints.models import Complaint
from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.orgs.models import OrgUnit, next_path

SORTS = {"day": ("day", "id"), "kind": ("kind", "-day", "id"), "unit": ("unit_path", "-day", "id"),
         "figure": ("figure", "id"), "status": ("status", "-day", "id")}
DEFAULT_SORT = "-day"


@dataclass
class WarningFilter:
    kind: str = ""
    status: str = ""
    unit: OrgUnit | None = None  # its subtree
    day_from: date | None = None
    day_to: date | None = None
    sort: str = DEFAULT_SORT


def _in_scope(user):
    require(user, P.VIEW_WARNINGS)
    return EarlyWarning.objects.filter(scope_q(user, P.VIEW_WARNINGS, "unit_path"))


def warnings(user, filters: WarningFilter):
    rows = _in_scope(user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit is not None:
        rows = rows.filter(unit_path__gte=filters.unit.path, unit_path__lt=next_path(filters.unit.path))
    if filters.day_from:
        rows = rows.filter(day__gte=filters.day_from)
    if filters.day_to:
        rows = rows.filter(day__lte=filters.day_to)
    return (rows.select_related("unit", "business_category", "cause", "handled_by")
            .annotate(complaint_count=Count("links")).order_by(*ordering(filters.sort, SORTS, DEFAULT_SORT)))


def warning(user, pk: int) -> EarlyWarning:
    found = _in_scope(user).select_related("unit", "business_category", "cause", "handled_by").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def complaints_behind(warning: EarlyWarning):
    """The complaints behind a warning (they lie at the warning's unit, so in the viewer's scope), oldest first."""
    return (Complaint.objects.filter(pk__in=warning.links.values("complaint_id"))
            .select_related("business_category", "cause", "unit")
            .only("pk", "tracking_number", "received_at", "status", "severity", "business_category__name",
                  "business_category__code", "cause__name", "cause__code", "unit__name", "unit__code")
            .order_by("received_at", "pk"))


def open_count(user) -> int:
    return _in_scope(user).filter(status=WarningStatus.OPEN).count()
