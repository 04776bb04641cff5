"""Background work of the surveys app: reading an imported call list."""

from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditSource, JobStatus
from bankdesk.surveys import list_import
from bankdesk.surveys.models import ListImport


@task()
def import_list(job_id: int) -> None:
    """Read one uploaded list into its campaign; the job's counts show the progress."""
    job = ListImport.objects.select_related("campaign__unit", "created_by").get(pk=job_id)
    with audit.audit_context(actor=job.created_by, source=AuditSource.IMPORT):
        try:
            list_import.run(job)
        except ValidationFailed as failure:  # the file as a whole cannot be read (core.tabular.BadFile)
            list_import.fail(job_id, failure.message)
        except Exception:
            ListImport.objects.filter(pk=job_id).update(status=JobStatus.FAILED)
            raise
