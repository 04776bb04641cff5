from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.quality.inspections import chasing


@task()
def chase_follow_ups() -> dict:
    """The periodic chase of overdue inspection follow-ups (registered with core.scheduler)."""
    with audit.audit_context(source=AuditSource.WORKER):
        return chasing.chase()
