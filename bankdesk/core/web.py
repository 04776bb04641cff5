"""Helpers every web view shares: calling a service from a form, paging a list, CSV and XLSX downloads."""

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bankdesk.core.errors import Conflict, NotFound, ValidationFailed
from bankdesk.core.inputs import MAX_PAGE
from bankdesk.core.pagination import paginate


def call_service(form, action, *, conflict_on_form: bool = False):
    """Run `action()`; a ValidationFailed becomes a form error and the form stays filled, and so does
    a Conflict when `conflict_on_form` (otherwise the caller handles it)."""
    try:
        return action()
    except ValidationFailed as failure:
        form.add_error(failure.field if failure.field in form.fields else None, failure.message)
    except Conflict as conflict:
        if not conflict_on_form:
            raise
        form.add_error(None, conflict.message)
    return None


def report(request, action, success: str):
    """Run a one-button action; show its outcome, or why it was refused, as a message. Returns what
    the action returned, None when it was refused."""
    try:
        result = action()
    except (ValidationFailed, Conflict) as failure:
        messages.error(request, failure.message)
        return None
    messages.success(request, success)
    return result


def page_number(request) -> int:
    """The page asked for, from 1 to MAX_PAGE (a larger number would overflow the query's OFFSET)."""
    try:
        return min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


def page_of(request, queryset, size: int = 25):
    return paginate(queryset, page_number(request), size)


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    """A CSV cell Excel will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_STARTS) else text


def csv_download(filename: str, rows) -> StreamingHttpResponse:
    """`rows` streamed as a CSV file Excel opens (UTF-8 with BOM, no formulas)."""
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(filename: str, rows) -> HttpResponse:
    """`rows` as an Excel workbook of one sheet (openpyxl write-only mode: one row held at a time)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([_csv_cell(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ServiceErrorMiddleware:
    """A service's NotFound is a 404 page, whichever view let it through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        return None


# --- File imports' pages (core.file_imports) ---------------------------------------------------------------------

def import_upload_page(request, form, start, columns, template: str, job_url_name: str):
    """An import's upload page: a valid upload starts the job (`start(user, file)`) and leads to its page;
    the template's columns (a core.file_imports.Columns) are listed beside the form."""
    if request.method == "POST" and form.is_valid():
        job = call_service(form, lambda: start(request.user, form.cleaned_data["file"]))
        if job is not None:
            messages.success(request, _("The file is being imported in the background."))
            return redirect(job_url_name, job_id=job.pk)
    described = [{"field": name, "title": title, "aliases": aliases, "required": name in columns.required}
                 for name, (title, aliases) in columns.columns.items()]
    return render(request, template, {"form": form, "columns": described})


def import_job_page(request, job, url_name: str, errors_url_name: str, template: str, status_template: str):
    """An import job's page, or only its status part for the page's polling (htmx)."""
    context = {"job": job, "status_url": reverse(url_name, args=[job.pk]),
               "errors_url": reverse(errors_url_name, args=[job.pk])}
    return render(request, status_template if request.htmx else template, context)


def import_errors_download(job, filename: str) -> StreamingHttpResponse:
    """The problems an import found, one row each, as CSV."""
    rows = [[_("Row"), _("Field"), _("Message")]]
    rows += [[error.get("row") or "", error.get("field", ""), error.get("message", "")] for error in job.errors]
    return csv_download(filename, rows)
