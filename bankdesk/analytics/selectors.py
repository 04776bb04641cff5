"""Reads of the analytics app: aggregates computed by the database over the complaints the user may see
(complaints' own scope), never rows loaded into Python."""

from django.db.models import Count

from bankdesk.analytics.dimensions import DIMENSIONS
from bankdesk.analytics.periods import Period
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.selectors import visible_complaints
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import scope_paths
from bankdesk.orgs.models import OrgUnit


def complaints_received(user, period: Period):
    """The complaints received in `period` that the user may see: the same set as the complaint list's
    received_from / received_to filter gives for these days."""
    return visible_complaints(user).filter(period.received_q())


def volume(user, period: Period, by: str) -> dict:
    """Complaints received in `period` per value of dimension `by`, in one GROUP BY query with the
    labels joined; `total` is their sum."""
    dimension = DIMENSIONS[by]
    grouped = (complaints_received(user, period).values(**dimension.values())
               .annotate(count=Count("id")).order_by("-count", "key"))
    rows = [{"key": dimension.key_of(row), "label": dimension.label_of(row), "count": row["count"],
             "row_id": row["row_id"]} for row in grouped]
    return {"rows": rows, "total": sum(row["count"] for row in rows), "dimension": dimension}


def unit_in_scope(user, code: str = ""):
    """The unit a figure is limited to: the one named by `code` if the user sees complaints there (else
    NotFound), or else the top of the user's scope (None when it has several separate tops)."""
    paths = scope_paths(user, ComplaintPermission.VIEW_COMPLAINTS)
    if code:
        unit = OrgUnit.objects.filter(code=code.strip()).first()
        if unit is None or not any(unit.path.startswith(path) for path in paths):
            raise NotFound()
        return unit
    return OrgUnit.objects.filter(path=paths[0]).first() if len(paths) == 1 else None
