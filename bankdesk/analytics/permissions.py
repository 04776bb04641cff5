"""The analytics permissions (indicators, dashboards, regulatory tables, early warning, exports) and
the roles that hold them.

Figures are aggregates of the complaints the user may see (complaints' own scope, read through
`complaints.selectors.visible_complaints`), so every holder also needs the right to view complaints;
the roles granted here all have it.
"""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class AnalyticsPermission(StrEnum):
    VIEW = "analytics.view"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = AnalyticsPermission
    register_permissions(P)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR], P.VIEW)
