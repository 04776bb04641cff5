"""The remediation permissions and the roles that hold them.

Handlers propose payment orders (经办); heads, the consumer-protection office and management approve them
within their authority limits (授权); the consumer-protection office and management export the payment file
and enter the payment reference. Rectification items are worked by their owners at the units and verified by
the consumer-protection office; accountability records are proposed by heads and the consumer-protection
office and approved by another holder; appeals are decided by the consumer-protection office or management.
Accountability records name staff and their penalties: only those who propose, approve or audit them read them
(and each staff member their own), not everyone who works the complaint.
"""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class RemediationPermission(StrEnum):
    VIEW = "remediation.view"
    VIEW_ACCOUNTABILITY = "remediation.view_accountability"
    PROPOSE_PAYMENT = "remediation.propose_payment"
    APPROVE_PAYMENT = "remediation.approve_payment"
    PAY = "remediation.pay"
    RECTIFY = "remediation.rectify"
    VERIFY = "remediation.verify"
    PROPOSE_ACCOUNTABILITY = "remediation.propose_accountability"
    APPROVE_ACCOUNTABILITY = "remediation.approve_accountability"
    DECIDE_APPEAL = "remediation.decide_appeal"
    MANAGE_TABLES = "remediation.manage_tables"
    MANAGE_LIMITS = "remediation.manage_limits"
    EXPORT = "remediation.export"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = RemediationPermission
    register_permissions(P)
    approvers = [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT]
    grant([*approvers, Role.HANDLER, Role.AUDITOR], P.VIEW)
    grant([*approvers, Role.AUDITOR], P.VIEW_ACCOUNTABILITY)
    grant([Role.HANDLER, Role.CONSUMER_PROTECTION], P.PROPOSE_PAYMENT)
    grant(approvers, P.APPROVE_PAYMENT, P.APPROVE_ACCOUNTABILITY)
    grant([Role.CONSUMER_PROTECTION, Role.MANAGEMENT], P.PAY, P.DECIDE_APPEAL)
    grant([Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.RECTIFY)
    grant([Role.CONSUMER_PROTECTION], P.VERIFY)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.PROPOSE_ACCOUNTABILITY)
    grant([Role.CONSUMER_PROTECTION, Role.ADMIN], P.MANAGE_TABLES)
    grant([Role.MANAGEMENT, Role.ADMIN], P.MANAGE_LIMITS)
    grant([*approvers, Role.AUDITOR], P.EXPORT)
