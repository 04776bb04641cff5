"""Background tasks of the core app (django-tasks: run by `manage.py db_worker`)."""

from importlib import import_module

from django.conf import settings
from django_tasks import task


@task()
def clear_expired_sessions() -> None:
    """Sessions past their expiry (idle timeout) are removed, whatever the session engine."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@task(takes_context=True)
def run_export(context, job_id: int) -> dict:
    """Write one export's file (core/export_jobs.py), as its requester."""
    from bankdesk.core import audit, export_jobs
    from bankdesk.core.models import AuditSource, ExportJob

    job = ExportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None:
        return {"export": job_id, "status": "missing"}
    with audit.audit_context(actor=job.requested_by, source=AuditSource.WORKER):
        done = export_jobs.run(job_id, again=context.attempt > 1)
    return {"export": job_id, "status": done.status if done else "skipped"}


@task()
def expire_exports() -> int:
    """Daily: the files of exports past their retention are deleted, their jobs marked expired."""
    from bankdesk.core import export_jobs

    return export_jobs.expire()
