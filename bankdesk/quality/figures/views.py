"""Pages of the monthly outlet figures (customers served, customer-evaluator results): the tables, a form
to enter a month, and imports of a CSV/XLSX file in the background with their progress."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bankdesk.core.permissions import has_permission
from bankdesk.core.web import (call_service, csv_download, import_errors_download, import_job_page,
                               import_upload_page, page_of)
from bankdesk.quality.figures import imports, selectors, services
from bankdesk.quality.figures.forms import FiguresFilterForm, FiguresForm, UploadForm
from bankdesk.quality.permissions import QualityPermission as P

TABLES = {"customers": selectors.customer_counts, "evaluator": selectors.evaluator_tallies}


@transaction.atomic
def _save(user, unit, month, customers, responses, satisfied) -> bool:
    if customers is not None:
        services.set_customer_count(user, unit=unit, month=month, customers=customers)
    if responses is not None:
        services.set_evaluator_tally(user, unit=unit, month=month, responses=responses, satisfied=satisfied)
    return True


def figure_filters(user, data) -> tuple[FiguresFilterForm, selectors.FiguresFilter]:
    """The figure tables' filter form and filters for a query string's values (the page's and its exports')."""
    form = FiguresFilterForm(data or None, user=user)
    return form, selectors.FiguresFilter(**form.values())


def figures(request, table="customers"):
    user = request.user
    form = FiguresForm(request.POST or None, user=user) if has_permission(user, P.MANAGE_FIGURES) else None
    if request.method == "POST" and form is not None and form.is_valid():
        if call_service(form, lambda: _save(user, **form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect(request.get_full_path())
    filter_form, filters = figure_filters(user, request.GET)
    page = page_of(request, TABLES[table](user, filters), size=100)
    return render(request, "quality/figures.html", {"form": form, "filter_form": filter_form, "page": page,
                                                    "table": table, "can_export": has_permission(user, P.EXPORT)})


@require_GET
def import_list(request):
    jobs = selectors.imports(request.user).defer("errors")
    return render(request, "quality/figures_imports.html", {"page": page_of(request, jobs)})


def import_upload(request):
    return import_upload_page(request, UploadForm(request.POST or None, request.FILES or None),
                              imports.start_import, imports.FILE, "quality/figures_import_upload.html",
                              "quality:figures_import")


@require_GET
def import_template(request):
    return csv_download("outlet-figures-template.csv", [imports.template_header()])


@require_GET
def import_detail(request, job_id):
    return import_job_page(request, selectors.figures_import(request.user, job_id), "quality:figures_import",
                           "quality:figures_import_errors", "quality/figures_import.html",
                           "quality/_figures_import_status.html")


@require_GET
def import_errors(request, job_id):
    job = selectors.figures_import(request.user, job_id)
    return import_errors_download(job, f"outlet-figures-import-{job.pk}-errors.csv")
