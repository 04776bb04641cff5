from datetime import date

from django_tasks import task

from bankdesk.analytics.warnings import check
from bankdesk.core import audit
from bankdesk.core.models import AuditSource


@task()
def early_warning_check(day: str = "") -> int:
    """The daily early-warning check of `day` (YYYY-MM-DD, default yesterday, China time); registered with
    core.scheduler and enqueued by hand for another day (manage.py check_early_warnings). Returns how many
    warnings were raised."""
    with audit.audit_context(source=AuditSource.WORKER):
        return len(check.run(date.fromisoformat(day) if day else None))
