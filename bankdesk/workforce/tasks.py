"""Background work of the workforce app: forecasts and roster solves, with their progress on the row."""

from django.utils.translation import gettext as _
from django_tasks import task

from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditSource


def _run(body, fail, row_id: int, actor) -> None:
    """Run `body(row_id)` as `actor` from the worker; a refusal or a crash marks the row failed."""
    with audit.audit_context(actor=actor, source=AuditSource.WORKER):
        try:
            body(row_id)
        except ValidationFailed as refused:
            fail(row_id, refused.message)
        except Exception:
            fail(row_id, _("The work stopped with an unexpected error; the administrators can see it in the log."))
            raise


@task()
def run_forecast(run_id: int) -> None:
    from bankdesk.workforce import planning
    from bankdesk.workforce.models import ForecastRun

    actor = ForecastRun.objects.select_related("created_by").get(pk=run_id).created_by
    _run(planning.run, planning.fail, run_id, actor)


@task()
def solve_roster(roster_id: int) -> None:
    from bankdesk.workforce import rostering
    from bankdesk.workforce.models import Roster

    actor = Roster.objects.select_related("created_by").get(pk=roster_id).created_by
    _run(rostering.solve, rostering.fail, roster_id, actor)
