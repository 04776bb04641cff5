"""Background work of the complaints app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from bankdesk.complaints import archive
from bankdesk.complaints.handling import sweeper
# declared beside the import it runs
from bankdesk.complaints.intake.bulk_import import run_complaint_import  # noqa: F401
from bankdesk.core import audit
from bankdesk.core.models import AuditSource


@task()
def sweep_clocks() -> dict:
    """Warn, mark overdue, chase and escalate the clocks that have come due (sweeper.sweep)."""
    return vars(sweeper.sweep())


@task()
def archive_closed_complaints() -> dict:
    """Archive the closed complaints whose retention period has passed (archive.archive_due), daily."""
    with audit.audit_context(source=AuditSource.WORKER):
        return vars(archive.archive_due())
