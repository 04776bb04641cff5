"""Background work of the complaints app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from bankdesk.complaints import sweeper
from bankdesk.complaints.bulk_import import run_complaint_import  # noqa: F401  (declared beside the import it runs)


@task()
def sweep_clocks() -> dict:
    """Warn, mark overdue, chase and escalate the clocks that have come due (sweeper.sweep)."""
    return vars(sweeper.sweep())
