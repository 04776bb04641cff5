"""Who sees the early warnings and who marks them handled. Seeing a warning shows the tracking numbers,
categories and causes of the complaints behind it (no complainant's name or words), so it is no
customer-data permission; the complaint page behind each link asks its own rights."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class WarningPermission(StrEnum):
    VIEW_WARNINGS = "analytics.view_warnings"
    HANDLE_WARNINGS = "analytics.handle_warnings"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = WarningPermission
    register_permissions(P)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR], P.VIEW_WARNINGS)
    grant([Role.CONSUMER_PROTECTION], P.HANDLE_WARNINGS)
