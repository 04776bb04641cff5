"""The early-warning API (mounted by analytics/api.py; operation ids `analytics_<function>`)."""

from datetime import date, datetime
from enum import StrEnum

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bankdesk.analytics.warnings import check, selectors, services
from bankdesk.analytics.warnings.models import WarningKind, WarningStatus
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit

router = Router(tags=["analytics"])

Kind = StrEnum("Kind", {value.upper(): value for value in WarningKind.values})
State = StrEnum("State", {value.upper(): value for value in WarningStatus.values})
Sort = StrEnum("Sort", {name.upper().replace("-", "DESC_"): name for key in selectors.SORTS
                        for name in (key, f"-{key}")})


class WarningQuery(InputSchema):
    kind: Kind | None = Field(None, description="rise, customer_cluster, cause_cluster or overdue_share")
    status: State | None = Field(None, description="open or handled")
    unit: str = Field("", max_length=32, description="Code of a unit: its subtree only")
    day_from: date | None = Field(None, description="Days checked from (YYYY-MM-DD)")
    day_to: date | None = Field(None, description="Days checked to, inclusive (YYYY-MM-DD)")
    sort: Sort = Field(Sort(selectors.DEFAULT_SORT), description="day, kind, unit, figure or status; - descending")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


class WarningOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: str = Field(description="Code of the unit concerned")
    unit_name: str
    business_category: str | None = Field(description="Code of the business category (unusual rise)")
    cause: str | None = Field(description="Code of the cause (cause cluster)")
    subject: str = Field(description="The category, cause or customer the warning is about, as staff read it")
    day: date = Field(description="The day checked (China time)")
    period_start: date
    period_end: date
    figure: float = Field(description="The count (rise, clusters) or the overdue share in percent")
    baseline: float | None = Field(description="Rise: the daily mean of the history; overdue: the earlier share")
    threshold: float = Field(description="The smallest figure that is flagged")
    complaint_count: int
    status: str
    raised_at: datetime
    handled_by: str | None
    handled_at: datetime | None
    note: str


class WarningPageOut(Schema):
    items: list[WarningOut]
    total: int
    page: int
    page_size: int


class WarningComplaintOut(Schema):
    id: int
    tracking_number: str
    received_at: datetime
    status: str
    business_category: str
    cause: str


class WarningDetailOut(WarningOut):
    complaints: list[WarningComplaintOut]


def _out(warning, complaint_count: int | None = None) -> dict:
    return {
        "id": warning.pk, "kind": warning.kind, "kind_label": warning.get_kind_display(), "unit": warning.unit.code,
        "unit_name": warning.unit.name,
        "business_category": warning.business_category.code if warning.business_category_id else None,
        "cause": warning.cause.code if warning.cause_id else None, "subject": check.subject_label(warning),
        "day": warning.day, "period_start": warning.period_start, "period_end": warning.period_end,
        "figure": float(warning.figure), "baseline": None if warning.baseline is None else float(warning.baseline),
        "threshold": float(warning.threshold),
        "complaint_count": warning.complaint_count if complaint_count is None else complaint_count,
        "status": warning.status, "raised_at": warning.raised_at,
        "handled_by": warning.handled_by.username if warning.handled_by_id else None,
        "handled_at": warning.handled_at, "note": warning.note}


def _detail(warning) -> dict:
    complaints = [{"id": complaint.pk, "tracking_number": complaint.tracking_number,
                   "received_at": complaint.received_at, "status": complaint.status,
                   "business_category": complaint.business_category.code, "cause": complaint.cause.code}
                  for complaint in selectors.complaints_behind(warning)]
    return {**_out(warning, len(complaints)), "complaints": complaints}


@router.get("/analytics/warnings", response=WarningPageOut)
def list_warnings(request, query: Query[WarningQuery]):
    """Early warnings of the units in your scope, newest day first by default."""
    unit = None
    if query.unit.strip():
        unit = OrgUnit.objects.filter(code=query.unit.strip()).first()
        if unit is None:
            raise ValidationFailed(_("No unit with this code."), field="unit")
    filters = selectors.WarningFilter(kind=query.kind or "", status=query.status or "", unit=unit,
                                      day_from=query.day_from, day_to=query.day_to, sort=str(query.sort))
    page = paginate(selectors.warnings(request.user, filters), query.page, query.page_size)
    return {"items": [_out(warning) for warning in page.items], "total": page.total, "page": page.number,
            "page_size": page.size}


@router.get("/analytics/warnings/{warning_id}", response=WarningDetailOut)
def get_warning(request, warning_id: Id):
    """One warning with the complaints behind it."""
    return _detail(selectors.warning(request.user, warning_id))


class HandleIn(InputSchema):
    note: str = Field(..., max_length=services.NOTE_MAX_LENGTH, description="What was done about it")


@router.post("/analytics/warnings/{warning_id}/handle", response=WarningDetailOut)
def handle_warning(request, warning_id: Id, payload: HandleIn):
    """Mark the warning handled with a note (the consumer-protection office over its unit)."""
    warning = selectors.warning(request.user, warning_id)
    services.handle_warning(request.user, warning, payload.note)
    return _detail(selectors.warning(request.user, warning_id))
