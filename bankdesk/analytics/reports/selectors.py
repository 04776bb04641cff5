"""Reads of the regulatory statistics, always limited to the reports of units in the user's scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from bankdesk.analytics import periods
from bankdesk.analytics.reports import kinds, tables
from bankdesk.analytics.reports.models import FrozenReport, RegulatoryReport, ReportKind
from bankdesk.analytics.reports.permissions import ReportPermission as P
from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_paths, scope_q
from bankdesk.orgs.models import OrgUnit, next_path

SORTS = {"period": ("period_first", "kind", "unit_path"), "kind": ("kind", "-period_first", "unit_path"),
         "unit": ("unit_path", "-period_first", "kind"), "computed": ("computed_at", "id")}
DEFAULT_SORT = "-period"


@dataclass
class ReportFilter:
    kind: str = ""
    year: int | None = None
    unit: OrgUnit | None = None  # its subtree
    submitted: bool | None = None
    sort: str = DEFAULT_SORT


def reports(user, filters: ReportFilter | None = None):
    require(user, P.VIEW)
    filters = filters or ReportFilter()
    found = RegulatoryReport.objects.filter(scope_q(user, P.VIEW, "unit_path")).select_related(
        "unit", "computed_by", "frozen_by")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.year:
        found = found.filter(period_first__year=filters.year)
    if filters.unit is not None:
        found = found.filter(unit_path__gte=filters.unit.path, unit_path__lt=next_path(filters.unit.path))
    if filters.submitted is not None:
        found = found.filter(submitted=filters.submitted)
    return found.order_by(*ordering(filters.sort, SORTS, DEFAULT_SORT))


def report(user, report_id: int) -> RegulatoryReport:
    """One report of the user's scope (NotFound otherwise), with its frozen copy if it has one."""
    found = list(reports(user).select_related("frozen_copy", "frozen_copy__frozen_by", "frozen_copy__computed_by",
                                              "requested_by").filter(pk=report_id))
    if not found:
        raise NotFound()
    return found[0]


def frozen_copy(report: RegulatoryReport) -> FrozenReport | None:
    try:
        return report.frozen_copy
    except FrozenReport.DoesNotExist:
        return None


def differences(report: RegulatoryReport) -> list[dict] | None:
    """The cells where the latest computation differs from the frozen copy; None for a report not frozen."""
    copy = frozen_copy(report)
    return None if copy is None else tables.differences(copy.rows, report.rows)


def due_date(report: RegulatoryReport) -> date:
    return kinds.due_date(report.kind, report.period_last)


def is_overdue(report: RegulatoryReport, today: date | None = None) -> bool:
    return not report.submitted and due_date(report) < (today or timezone.localdate())


def top_unit(user) -> OrgUnit | None:
    """The unit a new report is for by default: the top of the user's scope (None with several tops)."""
    paths = scope_paths(user, P.VIEW)
    return OrgUnit.objects.filter(path=paths[0]).first() if len(paths) == 1 else None


def unit_by_code(user, code: str, permission: str = P.VIEW) -> OrgUnit:
    """The unit of `code` if it lies in the user's scope for `permission`, else NotFound."""
    unit = OrgUnit.objects.filter(code=(code or "").strip()).first()
    if unit is None or not any(unit.path.startswith(path) for path in scope_paths(user, permission)):
        raise NotFound()
    return unit


@dataclass
class MonthDue:
    first: date
    label: str
    due: date
    report: RegulatoryReport | None
    overdue: bool


def monthly_calendar(user, unit: OrgUnit | None, months: int = 12) -> list[MonthDue]:
    """The last `months` ended months, newest first, with each one's due date and the monthly report of
    `unit` if there is one (one query)."""
    today = timezone.localdate()
    ended = periods.series("month", periods.previous("month", periods.containing("month", today)), months)
    found = {}
    if unit is not None:
        found = {item.period_first: item for item in reports(user).filter(
            Q(kind=ReportKind.MONTHLY, unit=unit, period_first__in=[period.first for period in ended]))}
    rows = []
    for period in reversed(ended):
        item = found.get(period.first)
        due = kinds.due_date(ReportKind.MONTHLY, period.last)
        rows.append(MonthDue(period.first, kinds.period_label(ReportKind.MONTHLY, period.first), due, item,
                             overdue=(item is None or not item.submitted) and due < today))
    return rows
