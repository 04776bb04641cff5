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

from bankdesk.core import audit, tabular
from bankdesk.core.models import AuditSource, FileImportJob, JobStatus
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
        except Exception:
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


class RowProblems(Exception):
    """One or more (field, message) problems of a row, or of the file's header."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


class Columns:
    """The columns of an import's template: field → (title, other titles accepted), the fields required.
    English field names always work; titles are compared normalised (tabular.normalize_header)."""

    def __init__(self, columns: dict[str, tuple[str, tuple[str, ...]]], required):
        self.columns, self.required = columns, tuple(required)
        self.title_to_field = {tabular.normalize_header(name): field for field, (title, aliases) in columns.items()
                               for name in (field, title, *aliases)}

    def header_problems(self, header) -> list[tuple[str, str]]:
        """Unknown and missing columns, from the normalised titles of the file's first row."""
        problems = [("", _("Unknown column “%(title)s”: rename it to a column of the template or remove it.")
                     % {"title": title}) for title in header if title not in self.title_to_field]
        fields = {self.title_to_field.get(title) for title in header}
        return problems + [(name, _("The column “%(title)s” is missing.") % {"title": self.columns[name][0]})
                           for name in self.required if name not in fields]

    def records(self, job: FileImportJob):
        """(row number, {field: value}) of every row; the header's problems raise RowProblems first."""
        with job.file.open("rb") as binary:
            header, body = tabular.table(binary, job.file.name)
            if problems := self.header_problems([title for title in header if title]):
                raise RowProblems(problems)
            for number, row in body:
                yield number, {self.title_to_field[title]: value for title, value in row.items()}


def checked_rows(job: FileImportJob, rows, values_of, progress_every: int) -> list:
    """Count the rows, then check each (`values_of(number, row)` answers its values or raises RowProblems),
    each problem added to the job; the values of every row while no row has failed."""
    with job.file.open("rb") as binary:
        report_progress(job, total_rows=tabular.count_rows(binary, job.file.name))
    checked = []
    for index, (number, row) in enumerate(rows, start=1):
        try:
            values = values_of(number, row)
        except RowProblems as failure:
            for field, message in failure.problems:
                job.add_error(number, field, message)
        else:
            if not job.error_count:
                checked.append(values)
        if index % progress_every == 0:
            report_progress(job, processed_rows=index)
    report_progress(job, processed_rows=job.total_rows)
    return checked


def run_all_or_nothing(model: type[FileImportJob], job_id: int, *, again: bool, check, write, recorded):
    """Run a queued import: `check(job)` answers the checked rows (problems added to the job), and only
    when no row has a problem `write(job, rows)` writes them all (in its own transaction); a bad file, a
    header's problems or an unexpected error fail the job with nothing written. `recorded(job)` puts the
    outcome on the audit trail. None when the job is not there to run (see `claim`)."""
    job = claim(model, job_id, again=again)
    if job is None:
        return None
    with audit.audit_context(actor=job.created_by, source=AuditSource.WORKER):
        try:
            rows = check(job)
            if not job.error_count:
                write(job, rows)
        except (BadFile, RowProblems) as failure:
            problems = failure.problems if isinstance(failure, RowProblems) else [(failure.field, failure.message)]
            for field, message in problems:
                job.add_error(None, field, message)
        except Exception:
            logger.exception("Import %s of %s stopped", job.pk, model._meta.label)
            job.add_error(None, "", _("The import stopped on an unexpected error; nothing was written."))
        finish(job, JobStatus.FAILED if job.error_count else JobStatus.SUCCEEDED)
        recorded(job)
    return job
