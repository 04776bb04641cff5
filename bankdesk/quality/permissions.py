"""The outlet service-quality permissions and the roles that hold them.

Outlet staff record what happens at their outlet (commendations, fraud interceptions, care services)
and see their outlet's records; the outlet head and the branch's service-management team (consumer
protection, management) see everything of their units, inspect, rate and award; auditors read.
"""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class QualityPermission(StrEnum):
    VIEW = "quality.view"
    VIEW_INSPECTIONS = "quality.view_inspections"
    RECORD = "quality.record"
    CORRECT = "quality.correct"
    INSPECT = "quality.inspect"
    MANAGE_CHECKLISTS = "quality.manage_checklists"
    FOLLOW_UP = "quality.follow_up"
    RATE = "quality.rate"
    AWARD = "quality.award"
    MANAGE_FIGURES = "quality.manage_figures"
    MANAGE_TABLES = "quality.manage_tables"
    EXPORT = "quality.export"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = QualityPermission
    register_permissions(P)
    service_management = [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT]
    grant([*service_management, Role.AUDITOR, Role.QA_INSPECTOR, Role.LOBBY_MANAGER, Role.TELLER, Role.AGENT], P.VIEW)
    grant([*service_management, Role.AUDITOR, Role.QA_INSPECTOR], P.VIEW_INSPECTIONS)
    grant([Role.LOBBY_MANAGER, Role.TELLER, Role.AGENT, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.RECORD)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.CORRECT)
    grant([Role.QA_INSPECTOR, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.INSPECT)
    grant([Role.QA_INSPECTOR, Role.CONSUMER_PROTECTION], P.MANAGE_CHECKLISTS)
    grant([Role.UNIT_HEAD, Role.LOBBY_MANAGER, Role.TELLER, Role.CONSUMER_PROTECTION], P.FOLLOW_UP)
    grant([Role.CONSUMER_PROTECTION, Role.MANAGEMENT], P.RATE)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.AWARD)
    grant([Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.ADMIN], P.MANAGE_FIGURES)
    grant([Role.CONSUMER_PROTECTION, Role.ADMIN], P.MANAGE_TABLES)
    grant([*service_management, Role.AUDITOR, Role.QA_INSPECTOR], P.EXPORT)


def guard_outlet_scorecards() -> None:
    """The outlet checklists (inspection, video check, mystery shopping) are the quality app's: its
    inspectors score them, its checklist managers edit them, the service management and auditors read them
    in the scorecards pages (the scorecards engine asks these rights; outlet staff see their visits here)."""
    from bankdesk.quality.models import METHOD_KINDS
    from bankdesk.scorecards.permissions import KindRights, register_kind_rights

    P = QualityPermission
    rights = KindRights(view=P.VIEW_INSPECTIONS, evaluate=P.INSPECT, calibrate=P.INSPECT, manage=P.MANAGE_CHECKLISTS)
    for kind in set(METHOD_KINDS.values()):
        register_kind_rights(kind, rights)
