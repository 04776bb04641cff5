"""The organisation app's permissions, and which roles hold core's and its own."""

from enum import StrEnum

from bankdesk.core.permissions import CorePermission, grant, register_permissions, register_superuser_role


class OrgPermission(StrEnum):
    MANAGE_ORG = "org.manage"
    VIEW_ORG = "org.view"
    MANAGE_USERS = "users.manage"


def register() -> None:
    from bankdesk.orgs.models import Role

    register_permissions(OrgPermission)
    grant(Role.values, OrgPermission.VIEW_ORG)
    grant([Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], CorePermission.REVEAL_PII)
    grant([Role.AUDITOR], CorePermission.VIEW_AUDIT)
    grant([Role.ADMIN], CorePermission.VIEW_AUDIT, OrgPermission.MANAGE_ORG, OrgPermission.MANAGE_USERS,
          CorePermission.MANAGE_RULES, CorePermission.MANAGE_CALENDAR)
    register_superuser_role(Role.ADMIN)
