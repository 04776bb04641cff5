from django.db import transaction
from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.models import AuditSource, JobStatus
from bankdesk.knowledge import importer
from bankdesk.knowledge.models import ImportRun


@task()
def run_case_import(run_id: int) -> None:
    """Import one case library in the background; the run's status shows the progress."""
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    ImportRun.objects.filter(pk=run_id).update(status=JobStatus.RUNNING)
    with audit.audit_context(actor=run.started_by, source=AuditSource.WORKER):
        try:
            importer.import_cases(run)
        except Exception:
            ImportRun.objects.filter(pk=run_id).update(status=JobStatus.FAILED)
            raise


def start_case_import(actor, library: str) -> ImportRun:
    """Queue an import of `library`; the worker runs it once this transaction commits."""
    run = ImportRun.objects.create(library=library, started_by=actor)
    transaction.on_commit(lambda: run_case_import.enqueue(run.pk))
    return run
