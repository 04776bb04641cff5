"""Background work of the complaints app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from bankdesk.complaints import bulk_import, sweeper


@task(takes_context=True)
def run_complaint_import(context, job_id: int) -> dict:
    """Import an uploaded file of historical complaints, all-or-nothing (bulk_import.run).

    A later attempt (its worker died: core/workers.py queued it again) starts the job over."""
    job = bulk_import.run(job_id, again=context.attempt > 1)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "errors": job.error_count}


@task()
def sweep_clocks() -> dict:
    """Warn, mark overdue, chase and escalate the clocks that have come due (sweeper.sweep)."""
    return vars(sweeper.sweep())
