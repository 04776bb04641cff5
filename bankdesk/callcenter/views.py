"""The call-center pages; thin: selectors read, services and the import write."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bankdesk.callcenter import acd_import, kpis, selectors
from bankdesk.callcenter.forms import KpiFilterForm, UploadForm
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core import rules
from bankdesk.core.permissions import require
from bankdesk.core.web import csv_download, import_errors_download, import_job_page, import_upload_page, page_of


# --- Wallboard and indicators ----------------------------------------------------------------------------------

@require_GET
def wallboard(request):
    boards = kpis.wallboard(request.user)
    context = {"boards": boards, "combined": kpis.combined(boards), "now": timezone.now(),
               "refresh_seconds": rules.get("callcenter.wallboard_refresh_seconds")}
    template = "callcenter/_wallboard.html" if request.htmx else "callcenter/wallboard.html"
    return render(request, template, context)


@require_GET
def kpi_report(request):
    form = KpiFilterForm(request.GET or None, queues=kpis.queues(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    period = filters.get("period") or "day"
    first, last = kpis.default_range(period, timezone.localdate())
    first, last = filters.get("date_from") or first, filters.get("date_to") or last
    found = kpis.intervals(request.user, queue=filters.get("queue"), start=kpis.local_day_start(first),
                           end=kpis.local_day_start(last + timedelta(days=1)))
    rows = kpis.series(found, period)
    return render(request, "callcenter/kpis.html", {
        "form": form, "rows": rows, "total": kpis.totals(found), "period": period, "first": first, "last": last,
        "chart": _chart_data(rows, period, filters.get("queue"))})


def _chart_data(rows, period: str, queue) -> dict:
    label = {"day": "%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m"}[period]
    return {
        "labels": [day.strftime(label) for day, _figures in rows],
        "offered": [figures.offered for _day, figures in rows],
        "answered": [figures.answered for _day, figures in rows],
        "service_level": [_number(figures.service_level) for _day, figures in rows],
        "abandonment_rate": [_number(figures.abandonment_rate) for _day, figures in rows],
        "asa": [_number(figures.average_speed_of_answer) for _day, figures in rows],
        "aht": [_number(figures.average_handle_time) for _day, figures in rows],
        "target": _number(queue.service_level_percent) if queue else None,
        "names": {"offered": _("Calls offered"), "answered": _("Calls answered"),
                  "service_level": _("Service level %"), "abandonment_rate": _("Abandonment %"),
                  "asa": _("Average speed of answer (s)"), "aht": _("Average handle time (s)"),
                  "target": _("Target")},
    }


def _number(value):
    return None if value is None else float(value)


# --- ACD statistics imports ------------------------------------------------------------------------------------

@require_GET
def import_list(request):
    jobs = selectors.interval_imports(request.user).defer("errors")
    return render(request, "callcenter/import_list.html", {"page": page_of(request, jobs)})


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    return import_upload_page(request, UploadForm(request.POST or None, request.FILES or None),
                              acd_import.start_import, acd_import.FILE, "callcenter/import_upload.html",
                              "callcenter:import")


@require_GET
def import_template(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    english = request.GET.get("names") == "en"
    return csv_download("acd-interval-template.csv", [acd_import.template_header(english=english)])


@require_GET
def import_detail(request, job_id):
    return import_job_page(request, selectors.interval_import(request.user, job_id), "callcenter:import",
                           "callcenter:import_errors", "callcenter/import_detail.html",
                           "callcenter/_import_status.html")


@require_GET
def import_errors(request, job_id):
    job = selectors.interval_import(request.user, job_id)
    return import_errors_download(job, f"acd-import-{job.pk}-errors.csv")
