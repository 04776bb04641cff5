"""The background computation of a regulatory report (django-tasks; the page polls its progress)."""

from django.utils.translation import gettext as _
from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.models import AuditSource


@task(takes_context=True)
def compute_report(context, report_id: int) -> dict:
    from bankdesk.analytics.reports import services
    from bankdesk.analytics.reports.models import RegulatoryReport

    requested = RegulatoryReport.objects.filter(pk=report_id).select_related("requested_by").first()
    if requested is None:
        return {"report": report_id, "status": "missing"}
    with audit.audit_context(actor=requested.requested_by, source=AuditSource.WORKER):
        try:
            report = services.run(report_id, again=context.attempt > 1)
        except Exception:
            services.fail(report_id, _("The computation stopped with an unexpected error; the administrators can "
                                       "see it in the log."))
            raise
    return {"report": report_id, "status": report.status if report else "skipped"}
