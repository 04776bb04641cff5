"""Background work of the complaints app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from bankdesk.complaints.handling import sweeper
# declared beside the import it runs
from bankdesk.complaints.intake.bulk_import import run_complaint_import  # noqa: F401


@task()
def sweep_clocks() -> dict:
    """Warn, mark overdue, chase and escalate the clocks that have come due (sweeper.sweep)."""
    return vars(sweeper.sweep())
