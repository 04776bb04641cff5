"""The steps every file import shares (a model derived from core.models.FileImportJob, a task that runs it).

`receive` keeps an upload as a queued job (type, size, duplicate refused up front, the file stored under a
random name); `enqueue` hands it to the task workers once the transaction commits; in the task, `claim`
marks it running (or answers None for a job another attempt finished), `report_progress` moves the count
the page polls, and `finish` records the outcome. What a row means and where it goes is the app's.

An app's task must be safe to run again (core/workers.py queues a task again when its worker died):
`claim` with `again=True` starts a job still "running" over.
"""

import hashlib
import logging
import os
import uuid
import zipfile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import tabular
from bankdesk.core.models import FileImportJob, JobStatus
from bankdesk.core.tabular import BadFile

logger = logging.getLogger(__name__)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def receive(model: type[FileImportJob], actor, upload, *, max_megabytes: int, **fields) -> FileImportJob:
    """Store `upload` as a queued job of `model`; BadFile for a file that cannot be imported at all."""
    kind = tabular.kind_of(upload.name)
    if upload.size > max_megabytes * 1024 * 1024:
        raise BadFile(_("The file is larger than %(max)d MB; split it.") % {"max": max_megabytes})
    digest = _sha256(upload)
    if kind == "xlsx" and not zipfile.is_zipfile(upload):
        raise BadFile(_("The file is not a readable XLSX workbook: save it again from Excel as .xlsx."))
    upload.seek(0)
    earlier = model.objects.filter(sha256=digest).exclude(status=JobStatus.FAILED).order_by("created_at").first()
    if earlier is not None:
        raise BadFile(_("This file was imported already (import of %(date)s, %(status)s).") % {
            "date": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M"),
            "status": earlier.get_status_display()})
    job = model(original_name=os.path.basename(upload.name)[:200], sha256=digest, created_by=actor, **fields)
    job.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    job.save()
    return job


def enqueue(job: FileImportJob, task) -> None:
    """Queue `task(job.pk)` when the transaction commits; a queue that is down fails the job, saying so."""
    def send():
        try:
            task.enqueue(job.pk)
        except Exception:  # noqa: BLE001 - the queue is down: say so on the job rather than leave it "queued"
            logger.exception("Import %s could not be queued", job.pk)
            job.add_error(None, "", _("The import could not be queued; upload the file again later."))
            finish(job, JobStatus.FAILED)

    transaction.on_commit(send)


def claim(model: type[FileImportJob], job_id: int, *, again: bool = False) -> FileImportJob | None:
    """Mark a queued job running, counters reset; None when it is not there to run (finished, or running
    elsewhere unless `again`: the earlier attempt's worker died)."""
    statuses = [JobStatus.QUEUED, JobStatus.RUNNING] if again else [JobStatus.QUEUED]
    claimed = model.objects.filter(pk=job_id, status__in=statuses).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), total_rows=0, processed_rows=0, error_count=0,
        errors=[])
    return model.objects.select_related("created_by").get(pk=job_id) if claimed else None


def report_progress(job: FileImportJob, **counts) -> None:
    """Write counters now (in the task's autocommit), so the job's page sees them while the task works."""
    for name, value in counts.items():
        setattr(job, name, value)
    type(job).objects.filter(pk=job.pk).update(**counts)


def finish(job: FileImportJob, status: str) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.save()
