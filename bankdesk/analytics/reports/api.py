"""The regulatory statistics through the API (operation ids `analytics_<function>`): the same reports, tables,
frozen copies and differences as the pages. Thin: services write, selectors read."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from bankdesk.analytics.reports import selectors, services
from bankdesk.analytics.reports.models import ReportKind
from bankdesk.analytics.reports.permissions import ReportPermission as P
from bankdesk.core.errors import NotFound
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate

router = Router(tags=["analytics"])


class ReportRowOut(Schema):
    key: str = Field(description="The stable code: taxonomy code, unit code; empty for 'none' / 'not yet closed'")
    label: str
    label_en: str
    count: int = Field(description="Complaints received in the period")
    closed: int = Field(description="Of them, closed when the table was computed")
    share: float = Field(description="Share of the section's total, percent")


class ReportSectionOut(Schema):
    key: str = Field(description="business_category, cause, channel, region (units one level under the report's "
                                 "unit, each with its subtree) or outcome (closure code)")
    total: int
    closed: int
    rows: list[ReportRowOut]


class ReportTableOut(Schema):
    total: int = 0
    closed: int = 0
    sections: list[ReportSectionOut] = []


class FrozenCopyOut(Schema):
    table: ReportTableOut
    computed_at: datetime
    frozen_at: datetime
    frozen_by: str


class ReportOut(Schema):
    id: int
    kind: ReportKind
    period_first: date
    period_last: date
    period_label: str
    unit: str = Field(description="Code of the unit whose subtree the report covers")
    status: str = Field(description="queued, running, succeeded or failed")
    progress: int = Field(description="Percent of the computation done")
    error: str
    due_date: date
    computed_at: datetime | None
    computed_by: str | None
    submitted: bool
    frozen_at: datetime | None
    frozen_by: str | None


class ReportDetailOut(ReportOut):
    table: ReportTableOut | None = Field(description="The latest computation (null before the first)")
    frozen_copy: FrozenCopyOut | None = Field(description="The table as submitted, never changed (null: not frozen)")
    differing_cells: int | None = Field(description="Cells where the latest computation differs from the frozen copy")


class ReportPageOut(Schema):
    items: list[ReportOut]
    total: int
    page: int
    page_size: int


class DifferenceOut(Schema):
    section: str
    key: str = Field(description="The row's code; __total__ for the section's total")
    label: str
    label_en: str
    column: str = Field(description="count, closed or share")
    frozen: float
    current: float
    change: float


class DifferencesOut(Schema):
    frozen_at: datetime
    cells: list[DifferenceOut]


class ReportListQuery(InputSchema):
    kind: ReportKind | None = None
    year: int | None = Field(None, ge=services.FIRST_YEAR, le=2100)
    unit: str = Field("", max_length=32, description="Code of a unit: reports of its subtree")
    submitted: bool | None = None
    page: PageNumber = 1
    page_size: int = Field(25, ge=1, le=200)


class ReportRequestIn(InputSchema):
    kind: ReportKind
    year: int = Field(ge=services.FIRST_YEAR, le=2100)
    number: int = Field(1, ge=1, le=12, description="Month 1–12, quarter 1–4, half-year 1–2; 1 for a year")
    unit: str = Field(max_length=32, description="Code of the unit whose subtree the report covers")


def _name(user) -> str | None:
    return str(user) if user is not None else None


def _report(item) -> dict:
    return {"id": item.pk, "kind": item.kind, "period_first": item.period_first, "period_last": item.period_last,
            "period_label": item.period_label, "unit": item.unit.code, "status": item.status,
            "progress": item.progress, "error": item.error, "due_date": selectors.due_date(item),
            "computed_at": item.computed_at, "computed_by": _name(item.computed_by), "submitted": item.submitted,
            "frozen_at": item.frozen_at, "frozen_by": _name(item.frozen_by)}


def _detail(item) -> dict:
    copy = selectors.frozen_copy(item)
    changed = selectors.differences(item) if item.computed_at else None
    return {**_report(item), "table": item.rows if item.computed_at else None,
            "frozen_copy": None if copy is None else {"table": copy.rows, "computed_at": copy.computed_at,
                                                      "frozen_at": copy.frozen_at, "frozen_by": str(copy.frozen_by)},
            "differing_cells": None if changed is None else len(changed)}


@router.get("/analytics/reports", response=ReportPageOut)
def list_reports(request, query: Query[ReportListQuery]):
    """Regulatory reports of units in your scope, newest period first."""
    unit = selectors.unit_by_code(request.user, query.unit) if query.unit.strip() else None
    filters = selectors.ReportFilter(kind=query.kind or "", year=query.year, unit=unit, submitted=query.submitted)
    result = paginate(selectors.reports(request.user, filters), query.page, query.page_size)
    return {"items": [_report(item) for item in result.items], "total": result.total, "page": result.number,
            "page_size": result.size}


@router.get("/analytics/reports/{report_id}", response=ReportDetailOut)
def get_report(request, report_id: Id):
    """One report: its latest table, its frozen copy and how many cells differ between them."""
    return _detail(selectors.report(request.user, report_id))


@router.post("/analytics/reports", response={202: ReportDetailOut})
def request_report(request, payload: ReportRequestIn):
    """Compute the report of `kind` for the `number`th period of `year` under `unit` in the background (a report
    already there is computed again; its frozen copy stays). Poll GET /api/analytics/reports/{id}."""
    unit = selectors.unit_by_code(request.user, payload.unit, P.RUN)
    item = services.request_report(request.user, payload.kind, payload.year, payload.number, unit)
    return Status(202, _detail(selectors.report(request.user, item.pk)))


@router.post("/analytics/reports/{report_id}/recompute", response={202: ReportDetailOut})
def recompute_report(request, report_id: Id):
    """Compute the report again with the complaints as they are now; a frozen copy stays as it was."""
    item = services.recompute(request.user, selectors.report(request.user, report_id))
    return Status(202, _detail(selectors.report(request.user, item.pk)))


@router.post("/analytics/reports/{report_id}/freeze", response=ReportDetailOut)
def freeze_report(request, report_id: Id):
    """Freeze the report as submitted: its table is kept as it is, with who froze it and when."""
    item = services.freeze(request.user, selectors.report(request.user, report_id))
    return _detail(selectors.report(request.user, item.pk))


@router.get("/analytics/reports/{report_id}/differences", response=DifferencesOut)
def report_differences(request, report_id: Id):
    """Cell by cell, where the latest computation differs from the frozen copy (404 for a report not frozen)."""
    item = selectors.report(request.user, report_id)
    copy = selectors.frozen_copy(item)
    if copy is None:
        raise NotFound()
    return {"frozen_at": copy.frozen_at, "cells": selectors.differences(item)}
