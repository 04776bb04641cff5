"""Export jobs: a list or report (an ExportKind an app registered in core/exports.py) written to a file in the
background for the user who asked, downloaded by that user only, and expired after the retention rule.

- `request_export` checks the kind's permission (403), builds the document once as the requester to check
  the filters and the scope (400, 404) and the PDF row limit, records the job and its audit event, and
  queues the task (core/tasks.py run_export) after the commit. A user has at most
  `core.export_active_limit` exports queued or being written at a time.
- `run` (the task) builds the document again as the requester — the kind's own scoped selector, with the
  right checked again — and writes it in chunks to a temporary file, moving `progress` and `row_count`,
  then stores it under MEDIA_ROOT/exports/ and keeps it for `core.export_retention_days`.
- `open_download` gives the file to its requester only (another user: 404), the right checked again (403),
  and leaves an audit event.
- `expire` (the daily periodic job) deletes the files past their time and marks their jobs expired; the
  rows stay, as every record does.
"""

import logging
import secrets
import tempfile
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.core import audit, export_files, exports, rules
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import ExportFormat, ExportJob, ExportStatus
from bankdesk.core.permissions import has_permission, require

logger = logging.getLogger(__name__)
MAX_FILTERS = 40  # filter names a request may carry
MAX_FILTER_TEXT = 500  # characters of one filter value


def _kind(key: str) -> exports.ExportKind:
    kind = exports.kind_for(key or "")
    if kind is None:
        raise ValidationFailed(_("Choose a list or report to export."), field="kind")
    return kind


def clean_filters(values) -> dict:
    """The filters as stored: {name: [text, …]}, without empty values and within sane sizes."""
    cleaned = {}
    for name, items in (values or {}).items():
        items = items if isinstance(items, list | tuple) else [items]
        texts = [str(item) for item in items if item is not None and str(item) != ""]
        if texts:
            cleaned[str(name)[:100]] = texts
    if len(cleaned) > MAX_FILTERS or any(len(text) > MAX_FILTER_TEXT for texts in cleaned.values() for text in texts):
        raise ValidationFailed(_("The filters are too long."), field="filters")
    return cleaned


def request_export(actor, kind_key: str, file_format: str, filters) -> ExportJob:
    """Queue the export of the list or report `kind_key` with `filters`, as a file in `file_format`."""
    kind = _kind(kind_key)
    require(actor, kind.permission)
    if file_format not in kind.formats or file_format not in ExportFormat.values:
        raise ValidationFailed(_("Choose CSV, XLSX or PDF."), field="format")
    filters = clean_filters(filters)
    document = kind.build(actor, exports.as_filters(filters))
    total = document.total_rows
    limit = rules.get("core.export_pdf_row_limit")
    if file_format == ExportFormat.PDF and total > limit:
        raise ValidationFailed(_("A PDF holds at most %(limit)d rows and this export has %(total)d: narrow the "
                                 "filters, or export CSV or XLSX.") % {"limit": limit, "total": total}, field="format")
    with transaction.atomic():
        active = ExportJob.objects.select_for_update().filter(
            requested_by=actor, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
        if len(active) >= rules.get("core.export_active_limit"):
            raise Conflict(_("You have %(count)d exports being written already: wait for one to finish.")
                           % {"count": len(active)})
        job = ExportJob.objects.create(
            kind=kind.key, title=document.title[:200], format=file_format, filters=filters,
            language=translation.get_language() or "zh-hans", total_rows=total, requested_by=actor,
            unit_path=actor.home_unit.path if getattr(actor, "home_unit_id", None) else "")
        audit.record(CoreAction.EXPORT_REQUEST, job, actor=actor,
                     after={"kind": kind.key, "format": file_format, "filters": filters, "rows": total})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from bankdesk.core.tasks import run_export

    try:
        run_export.enqueue(job_id)
    except Exception:
        fail(job_id, _("The export could not be queued; try again later."))
        raise


def fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportStatus.EXPIRED).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now())


def run(job_id: int, again: bool = False) -> ExportJob | None:
    """The background work of one export (tasks.run_export); None when the job is not waiting (another
    attempt finished it). A failure the user can act on (the right lost, filters no longer valid, an object
    gone from the scope) fails the job with its message; anything else fails it and is raised for the log."""
    statuses = [ExportStatus.QUEUED, ExportStatus.RUNNING] if again else [ExportStatus.QUEUED]
    if not ExportJob.objects.filter(pk=job_id, status__in=statuses).update(
            status=ExportStatus.RUNNING, progress=0, row_count=0, started_at=timezone.now()):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    actor = job.requested_by
    with translation.override(job.language or "zh-hans"):
        kind = exports.kind_for(job.kind)
        if kind is None or not actor.is_active or not has_permission(actor, kind.permission):
            fail(job_id, _("The requester no longer has the right to export this."))
            return None
        try:
            document = kind.build(actor, exports.as_filters(job.filters))
            finished = _write(job, document)
        except (ValidationFailed, NotFound, PermissionDenied) as refused:
            fail(job_id, str(getattr(refused, "message", "") or refused)
                 or _("The list or report is no longer within your scope."))
            return None
        except Exception:
            fail(job_id, _("The export stopped with an unexpected error; the administrators can see it in the log."))
            raise
    return finished


def _write(job: ExportJob, document: exports.Document) -> ExportJob:
    total = max(1, document.total_rows)
    share = 50 if job.format == ExportFormat.PDF else 99  # a PDF is laid out after its rows are read

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            progress=max(1, min(99, rows * share // total)), row_count=rows)

    with tempfile.TemporaryFile() as scratch:
        rows = export_files.write(document, job.format, scratch, progress)
        size = scratch.tell()
        scratch.seek(0)
        name = f"exports/{timezone.localdate():%Y/%m}/{job.pk}-{secrets.token_hex(8)}.{job.format}"
        path = default_storage.save(name, File(scratch, name=name))
    now = timezone.now()
    with transaction.atomic():
        current = ExportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ExportStatus.RUNNING:  # failed or expired meanwhile: the file is not kept
            default_storage.delete(path)
            return current
        current.status, current.progress, current.row_count, current.error = ExportStatus.SUCCEEDED, 100, rows, ""
        current.file_path, current.file_size = path, size
        current.file_name = f"{document.filename}.{job.format}"
        current.finished_at = now
        current.expires_at = now + timedelta(days=rules.get("core.export_retention_days"))
        current.save(update_fields=["status", "progress", "row_count", "error", "file_path", "file_size",
                                    "file_name", "finished_at", "expires_at"])
    return current


# --- Reads and the download --------------------------------------------------------------------------------------

def jobs_of(user):
    """The user's own exports, newest first (nobody sees another user's)."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")


def job_of(user, job_id: int) -> ExportJob:
    job = jobs_of(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such export."))
    return job


def open_download(user, job_id: int):
    """(open file, download name, content type) of the user's own finished export; the right to the list is
    checked again (403 once lost), the download audited."""
    job = job_of(user, job_id)
    kind = exports.kind_for(job.kind)
    if kind is None:
        raise NotFound(_("No such export."))
    require(user, kind.permission)
    if kind.recheck is not None:
        kind.recheck(user, exports.as_filters(job.filters))
    if job.status == ExportStatus.EXPIRED:
        raise Conflict(_("The file has expired and was deleted; export the list again."))
    if job.status != ExportStatus.SUCCEEDED:
        raise Conflict(_("The file is not ready yet."))
    try:
        content = default_storage.open(job.file_path, "rb")
    except FileNotFoundError:
        raise Conflict(_("The file is no longer there; export the list again."))
    audit.record(CoreAction.EXPORT_DOWNLOAD, job, actor=user, after={"file": job.file_name, "rows": job.row_count})
    return content, job.file_name, export_files.CONTENT_TYPES[job.format]


# --- Expiry (daily) ----------------------------------------------------------------------------------------------

def expire(now=None) -> int:
    """Delete the files of exports past their time; their jobs become expired (the rows stay). Jobs that
    never finished (failed, or left queued by a lost worker for longer than the retention) are closed too."""
    now = now or timezone.now()
    count = 0
    due = ExportJob.objects.filter(status=ExportStatus.SUCCEEDED, expires_at__lte=now).values_list("pk", flat=True)
    for job_id in list(due):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportStatus.SUCCEEDED).first()
            if job is None:
                continue
            if job.file_path:
                try:
                    default_storage.delete(job.file_path)
                except OSError:
                    logger.exception("export file %s could not be deleted", job.file_path)
                    continue
            job.status, job.expired_at, job.file_path = ExportStatus.EXPIRED, now, ""
            job.save(update_fields=["status", "expired_at", "file_path"])
            audit.record(CoreAction.EXPORT_EXPIRE, job, after={"file": job.file_name})
            count += 1
    stale = now - timedelta(days=rules.get("core.export_retention_days"))
    ExportJob.objects.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lt=stale).update(
        status=ExportStatus.FAILED, error=_("The export was never written: its worker stopped."), finished_at=now)
    return count
