"""The surveys app's permissions and the roles that hold them."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class SurveyPermission(StrEnum):
    VIEW_SURVEYS = "surveys.view"
    INTERVIEW = "surveys.interview"
    MANAGE_SURVEYS = "surveys.manage"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = SurveyPermission
    register_permissions(P)
    grant([Role.AGENT, Role.CALLBACK_SEAT, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.WORKFORCE_PLANNER, Role.QA_INSPECTOR,
           Role.MANAGEMENT, Role.AUDITOR], P.VIEW_SURVEYS)
    # Callback seats (docs/domain-rules.md §2) are agents of the complaint post, holding complaints' callback right
    # (an agent designated a seat gets the role besides); consumer protection calls back too.
    grant([Role.AGENT, Role.CALLBACK_SEAT, Role.CONSUMER_PROTECTION], P.INTERVIEW)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.WORKFORCE_PLANNER], P.MANAGE_SURVEYS)
