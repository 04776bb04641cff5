"""The exports' pages: 我的导出 (the user's own export jobs with their progress, polled by htmx while one runs,
and the download link), the request that queues an export from a list or report page, and the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bankdesk.core import export_jobs, rules
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.web import page_of

PAGE_SIZE = 25


@login_required
@require_GET
def export_list(request):
    page = page_of(request, export_jobs.jobs_of(request.user), size=PAGE_SIZE)
    context = {"page": page, "polling": any(job.is_active for job in page.items),
               "retention_days": rules.get("core.export_retention_days")}
    return render(request, "core/_export_jobs.html" if request.htmx else "core/exports.html", context)


def _filters_of(request) -> dict:
    """The list's filters, sent as its query string in `query` (the page's own GET parameters)."""
    query = QueryDict(request.POST.get("query", "")[:4000])
    return {name: values for name, values in query.lists() if name not in ("page", "format")}


@login_required
@require_POST
def export_request(request):
    try:
        job = export_jobs.request_export(request.user, request.POST.get("kind", ""), request.POST.get("format", ""),
                                         _filters_of(request))
    except (ValidationFailed, Conflict) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("“%(title)s” is being exported in the background; download it here when it "
                                    "is ready.") % {"title": job.title})
    return redirect("core:exports")


def background_instead(request, kind: str, file_format: str, filters: dict, rows: int):
    """For a list's direct export: when it has more rows than core.export_direct_row_limit, the export is queued
    as a background job and the user sent to 我的导出 (a response); None when it is small enough to stream."""
    if rows <= rules.get("core.export_direct_row_limit"):
        return None
    filters = {name: values for name, values in filters.items() if name not in ("page", "format")}
    try:
        job = export_jobs.request_export(request.user, kind, file_format, filters)
    except (ValidationFailed, Conflict) as refused:
        messages.error(request, refused.message)
        return redirect("core:exports")
    messages.success(request, _("The list has %(rows)d rows: “%(title)s” is being exported in the background; "
                                "download it here when it is ready.") % {"rows": rows, "title": job.title})
    return redirect("core:exports")


@login_required
@require_GET
def export_download(request, job_id):
    try:
        content, name, content_type = export_jobs.open_download(request.user, job_id)
    except Conflict as refused:
        messages.error(request, refused.message)
        return redirect("core:exports")
    return FileResponse(content, as_attachment=True, filename=name, content_type=content_type)
