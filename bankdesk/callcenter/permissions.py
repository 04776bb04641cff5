"""The call-center app's permissions and the roles that hold them."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class CallcenterPermission(StrEnum):
    VIEW = "callcenter.view"  # wallboard, interval KPIs, teams, agents, queues, scripts
    MANAGE = "callcenter.manage"  # teams, agents, skills, queues
    IMPORT_STATS = "callcenter.import"  # ACD interval statistics
    MANAGE_SCRIPTS = "callcenter.scripts"  # standard scripts (话术)


def register() -> None:
    from bankdesk.orgs.models import Role

    P = CallcenterPermission
    register_permissions(P)
    grant([Role.AGENT, Role.UNIT_HEAD, Role.QA_INSPECTOR, Role.WORKFORCE_PLANNER, Role.CONSUMER_PROTECTION,
           Role.MANAGEMENT, Role.AUDITOR, Role.ADMIN], P.VIEW)
    grant([Role.UNIT_HEAD, Role.WORKFORCE_PLANNER, Role.ADMIN], P.MANAGE, P.IMPORT_STATS)
    grant([Role.UNIT_HEAD, Role.QA_INSPECTOR, Role.CONSUMER_PROTECTION], P.MANAGE_SCRIPTS)
