"""The workforce app's permissions and the roles that hold them."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class WorkforcePermission(StrEnum):
    VIEW = "workforce.view"  # Erlang calculator, forecasts, staffing requirement, rosters
    PLAN = "workforce.plan"  # run forecasts, special days, shift templates, work terms, solve and edit rosters
    OWN_SCHEDULE = "workforce.own_schedule"  # an agent's own published shifts


def register() -> None:
    from bankdesk.orgs.models import Role

    P = WorkforcePermission
    register_permissions(P)
    grant([Role.WORKFORCE_PLANNER, Role.UNIT_HEAD, Role.MANAGEMENT, Role.AUDITOR, Role.ADMIN], P.VIEW)
    grant([Role.WORKFORCE_PLANNER, Role.ADMIN], P.PLAN)
    grant([Role.AGENT, Role.UNIT_HEAD, Role.WORKFORCE_PLANNER], P.OWN_SCHEDULE)
