from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.remediation.rectification import sweep


@task()
def rectification_sweep() -> dict:
    """Open items for bank-at-fault closures and chase overdue ones (registered with core.scheduler)."""
    with audit.audit_context(source=AuditSource.WORKER):
        return sweep.sweep()
