"""The regulatory statistics' pages: thin, the work is in services, the reads in selectors."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bankdesk.analytics.reports import exports, selectors, services
from bankdesk.analytics.reports.forms import ReportFilterForm, ReportRequestForm
from bankdesk.analytics.reports.permissions import ReportPermission as P
from bankdesk.analytics.reports.tables import COLUMNS, SECTIONS
from bankdesk.core.errors import Conflict, NotFound
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import XLSX_TYPE, call_service, csv_download, page_of
from bankdesk.core.web import report as report_outcome


def report_filters(user, data) -> tuple[ReportFilterForm, selectors.ReportFilter]:
    """The report list's filter form and filters for a query string's values (the page's and its export's); a unit
    code outside the user's scope is the form's error, and shows nothing."""
    form = ReportFilterForm(data or None)
    values = form.cleaned_data if form.is_valid() else {}
    unit = None
    if values.get("unit"):
        try:
            unit = selectors.unit_by_code(user, values["unit"])
        except NotFound:
            form.add_error("unit", _("No unit of this code in your scope."))
            return form, selectors.ReportFilter(kind="__none__")
    submitted = {"yes": True, "no": False}.get(values.get("submitted") or "")
    return form, selectors.ReportFilter(kind=values.get("kind", ""), year=values.get("year"), unit=unit,
                                        submitted=submitted, sort=values.get("sort") or selectors.DEFAULT_SORT)


def _request_form(request, data=None):
    top = selectors.top_unit(request.user)
    year, number = services.default_year_number("monthly")
    return ReportRequestForm(data, initial={"kind": "monthly", "year": year, "number": number,
                                            "unit": top.code if top else ""})


def _list_page(request, request_form=None, status=200):
    form, filters = report_filters(request.user, request.GET)
    page = page_of(request, selectors.reports(request.user, filters))
    for item in page.items:
        item.due = selectors.due_date(item)
        item.overdue = selectors.is_overdue(item)
    may_run = has_permission(request.user, P.RUN)
    return render(request, "analytics/reports/list.html", {
        "form": form, "page": page, "sort": filters.sort, "may_run": may_run,
        "request_form": request_form or (_request_form(request) if may_run else None),
        "calendar": selectors.monthly_calendar(request.user, selectors.top_unit(request.user)),
    }, status=status)


@require_GET
def report_list(request):
    return _list_page(request)


@require_POST
def report_request(request):
    form = _request_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = selectors.unit_by_code(request.user, data["unit"], P.RUN)
        except NotFound:
            form.add_error("unit", _("No unit of this code in your scope."))
        else:
            try:
                report = call_service(form, lambda: services.request_report(
                    request.user, data["kind"], data["year"], data["number"], unit))
            except Conflict as conflict:
                form.add_error(None, conflict.message)
                report = None
            if report is not None:
                messages.success(request, _("The report is being computed; this page shows its progress."))
                return redirect("analytics_reports:detail", report.pk)
    return _list_page(request, request_form=form, status=400)


def _table_for_page(table: dict) -> list[dict]:
    """The sections with their titles, for the template."""
    return [{**section, "title": SECTIONS[section["key"]].title} for section in (table or {}).get("sections", [])]


@require_GET
def report_detail(request, report_id):
    item = selectors.report(request.user, report_id)
    copy = selectors.frozen_copy(item)
    context = {"report": item, "status_url": reverse("analytics_reports:detail", args=[item.pk])}
    if request.htmx:
        return render(request, "analytics/reports/_status.html", context)
    show_frozen = request.GET.get("copy") == "frozen" and copy is not None
    changed = selectors.differences(item) if copy is not None and not item.is_active else None
    context.update(
        frozen=copy, show_frozen=show_frozen, columns=COLUMNS,
        sections=_table_for_page(copy.rows if show_frozen else item.rows),
        table=copy.rows if show_frozen else item.rows,
        changed_count=None if changed is None else len(changed), due=selectors.due_date(item),
        overdue=selectors.is_overdue(item),
        export_query=urlencode({"report": item.pk, **({"copy": "frozen"} if show_frozen else {})}),
        may_run=has_permission(request.user, P.RUN, item.unit),
        may_freeze=has_permission(request.user, P.FREEZE, item.unit) and not item.is_frozen
        and item.status == "succeeded")
    return render(request, "analytics/reports/detail.html", context)


@require_POST
def report_recompute(request, report_id):
    item = selectors.report(request.user, report_id)
    report_outcome(request, lambda: services.recompute(request.user, item),
                   _("The report is being computed again; a frozen copy stays as it was."))
    return redirect("analytics_reports:detail", item.pk)


@require_POST
def report_freeze(request, report_id):
    item = selectors.report(request.user, report_id)
    report_outcome(request, lambda: services.freeze(request.user, item),
                   _("The report is frozen as submitted; later computations are compared with this copy."))
    return redirect("analytics_reports:detail", item.pk)


@require_GET
def report_differences(request, report_id):
    item = selectors.report(request.user, report_id)
    copy = selectors.frozen_copy(item)
    changed = selectors.differences(item)
    for cell in changed or []:
        cell["section_title"] = SECTIONS[cell["section"]].title if cell["section"] in SECTIONS else cell["section"]
        cell["column_title"] = COLUMNS[cell["column"]]
        cell["is_total"] = cell["key"] == "__total__"
    return render(request, "analytics/reports/differences.html", {
        "report": item, "frozen": copy, "changed": changed})


def _export(request, report_id):
    item = selectors.report(request.user, report_id)
    if item.computed_at is None:
        raise Http404()
    copy = "frozen" if request.GET.get("copy") == "frozen" else "current"
    frozen = selectors.frozen_copy(item)
    if copy == "frozen" and frozen is None:
        raise Http404()
    table = frozen.rows if copy == "frozen" else item.rows
    return item, copy, table


@require_GET
def export_csv(request, report_id):
    item, copy, table = _export(request, report_id)
    services.trace_export(request.user, item, "csv", copy)
    return csv_download(exports.filename(item, "csv", copy), exports.csv_rows(item, table, copy))


@require_GET
def export_xlsx(request, report_id):
    item, copy, table = _export(request, report_id)
    services.trace_export(request.user, item, "xlsx", copy)
    response = HttpResponse(exports.xlsx_bytes(item, table, copy), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(item, "xlsx", copy)}"'
    return response



