from datetime import date, datetime
from typing import Literal

from django.db import connection
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.core import calendar
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Date, Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.core.selectors import AuditFilter, audit_events

router = Router(tags=["core"])
MAX_RANGE_DAYS = 366 * 20


class HealthOut(Schema):
    status: str
    database: str


@router.get("/health", auth=None, response=HealthOut)
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


class DateOut(Schema):
    date: date
    provisional: bool = Field(description="True when a year in the range has no official holiday data yet")


class DaysOut(Schema):
    days: int
    provisional: bool


@router.get("/calendar/add-working-days", response=DateOut, tags=["calendar"])
def add_working_days(request, start: Date, days: int = Query(..., ge=0, le=3650)):
    answer = calendar.add_working_days(start, days)
    return {"date": answer.date, "provisional": answer.provisional}


@router.get("/calendar/working-days-between", response=DaysOut, tags=["calendar"])
def working_days_between(request, start: Date, end: Date):
    if abs((end - start).days) > MAX_RANGE_DAYS:
        raise ValidationFailed(_("The range may span at most 20 years."), field="end")
    answer = calendar.working_days_between(start, end)
    return {"days": answer.days, "provisional": answer.provisional}


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor: str = Field(alias="actor_label")
    source: str
    request_id: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    total: int
    page: int
    page_size: int


class AuditQuery(InputSchema):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-occurred_at"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


@router.get("/audit/events", response=AuditPageOut, tags=["audit"])
def list_audit_events(request, query: Query[AuditQuery]):
    filters = AuditFilter(**query.dict(exclude={"page", "page_size"}))
    page = paginate(audit_events(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


# --- Exports (core/export_jobs.py): the caller's own background exports -----------------------------------------

class ExportIn(InputSchema):
    kind: str = Field(..., max_length=60, description="What to export: complaints.list, analytics.report, … "
                                                       "(the kinds the apps register)")
    format: Literal["csv", "xlsx", "pdf"]
    filters: dict[str, str | int | list[str]] = Field(
        default_factory=dict, description="The list's filters as its page takes them in the query string "
                                          "(e.g. {\"status\": \"accepted\", \"received_from\": \"2026-11-01\"}; "
                                          "a regulatory report: {\"report\": 12, \"copy\": \"frozen\"})")


class ExportOut(Schema):
    id: int
    kind: str
    title: str
    format: str
    filters: dict
    status: str = Field(description="queued, running, succeeded, failed or expired")
    progress: int = Field(description="Percent written")
    total_rows: int
    row_count: int = Field(description="Rows written")
    file_name: str
    file_size: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When the file is deleted (core.export_retention_days)")
    download_url: str | None = Field(description="GET it for the file while status is succeeded")


class ExportPageOut(Schema):
    items: list[ExportOut]
    total: int
    page: int
    page_size: int


def _export(job) -> dict:
    return {"id": job.pk, "kind": job.kind, "title": job.title, "format": job.format, "filters": job.filters,
            "status": job.status, "progress": job.progress, "total_rows": job.total_rows, "row_count": job.row_count,
            "file_name": job.file_name, "file_size": job.file_size, "error": job.error, "created_at": job.created_at,
            "finished_at": job.finished_at, "expires_at": job.expires_at,
            "download_url": f"/api/exports/{job.pk}/download" if job.is_ready else None}


@router.post("/exports", response={202: ExportOut}, tags=["exports"])
def request_export(request, payload: ExportIn):
    """Export a list or report in the background with the filters its page takes; poll GET /api/exports/{id}
    until `status` is succeeded, then GET its `download_url`. The kind's right is asked (403), the filters and
    the scope checked (400, 404)."""
    from bankdesk.core import export_jobs

    job = export_jobs.request_export(request.user, payload.kind, payload.format, payload.filters)
    return Status(202, _export(job))


class ExportQuery(InputSchema):
    page: PageNumber = 1
    page_size: int = Field(25, ge=1, le=100)


@router.get("/exports", response=ExportPageOut, tags=["exports"])
def list_exports(request, query: Query[ExportQuery]):
    """Your own exports, newest first."""
    from bankdesk.core import export_jobs

    page = paginate(export_jobs.jobs_of(request.user), query.page, query.page_size)
    return {"items": [_export(job) for job in page.items], "total": page.total, "page": page.number,
            "page_size": page.size}


@router.get("/exports/{job_id}", response=ExportOut, tags=["exports"])
def get_export(request, job_id: Id):
    """One of your exports: its status and progress (another user's is 404)."""
    from bankdesk.core import export_jobs

    return _export(export_jobs.job_of(request.user, job_id))


@router.get("/exports/{job_id}/download", tags=["exports"], openapi_extra={"responses": {200: {
    "description": "The file (CSV, XLSX or PDF)",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_export(request, job_id: Id):
    """The file of one of your finished exports (409 while not ready or once expired); the right to the list
    is checked again."""
    from django.http import FileResponse

    from bankdesk.core import export_jobs

    content, name, content_type = export_jobs.open_download(request.user, job_id)
    return FileResponse(content, as_attachment=True, filename=name, content_type=content_type)
