"""The call-center pages; thin: selectors read, services and the import write."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bankdesk.callcenter import acd_import, selectors
from bankdesk.callcenter.forms import UploadForm
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.permissions import require
from bankdesk.core.web import call_service, csv_download, page_of


# --- ACD statistics imports ------------------------------------------------------------------------------------

@require_GET
def import_list(request):
    jobs = selectors.interval_imports(request.user).defer("errors")
    return render(request, "callcenter/import_list.html", {"page": page_of(request, jobs)})


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = call_service(form, lambda: acd_import.start_import(request.user, form.cleaned_data["file"]))
        if job is not None:
            messages.success(request, _("The file is being imported in the background."))
            return redirect("callcenter:import", job_id=job.pk)
    columns = [{"field": name, "title": title, "aliases": aliases, "required": name in acd_import.REQUIRED}
               for name, (title, aliases) in acd_import.COLUMNS.items()]
    return render(request, "callcenter/import_upload.html", {"form": form, "columns": columns})


@require_GET
def import_template(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    english = request.GET.get("names") == "en"
    return csv_download("acd-interval-template.csv", [acd_import.template_header(english=english)])


@require_GET
def import_detail(request, job_id):
    job = selectors.interval_import(request.user, job_id)
    context = {"job": job, "status_url": reverse("callcenter:import", args=[job.pk]),
               "errors_url": reverse("callcenter:import_errors", args=[job.pk])}
    template = "callcenter/_import_status.html" if request.htmx else "callcenter/import_detail.html"
    return render(request, template, context)


@require_GET
def import_errors(request, job_id):
    job = selectors.interval_import(request.user, job_id)
    rows = [[_("Row"), _("Field"), _("Message")]]
    rows += [[error.get("row") or "", error.get("field", ""), error.get("message", "")] for error in job.errors]
    return csv_download(f"acd-import-{job.pk}-errors.csv", rows)
