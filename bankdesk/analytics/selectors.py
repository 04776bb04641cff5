"""Reads of the analytics app: aggregates computed by the database over the complaints the user may see
(complaints' own scope), never rows loaded into Python."""

from django.db.models import Count

from bankdesk.analytics.dimensions import DIMENSIONS
from bankdesk.analytics.periods import Period
from bankdesk.complaints.selectors import visible_complaints


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
