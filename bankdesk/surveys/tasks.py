"""Background work of the surveys app: reading an imported call list."""

from django_tasks import task

from bankdesk.surveys import list_import


@task(takes_context=True)
def import_list(context, job_id: int) -> dict:
    """Read one uploaded list into its campaign (`list_import.run`); a later attempt starts the job over."""
    job = list_import.run(job_id, again=context.attempt > 1)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "imported": job.imported_rows,
            "errors": job.error_count}
