"""The permissions of the regulatory statistics and the roles that hold them.

Heads, the consumer-protection office, management and the auditors read the reports of their scope; the
consumer-protection office and management compute them; only the consumer-protection office, which submits
the statistics to the regulator, freezes a report as submitted. The figures are aggregates of the complaints
the user may see, so every holder also has the right to view complaints.
"""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class ReportPermission(StrEnum):
    VIEW = "analytics.reports.view"
    RUN = "analytics.reports.run"
    FREEZE = "analytics.reports.freeze"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = ReportPermission
    register_permissions(P)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR], P.VIEW)
    grant([Role.CONSUMER_PROTECTION, Role.MANAGEMENT], P.RUN)
    grant([Role.CONSUMER_PROTECTION], P.FREEZE)
