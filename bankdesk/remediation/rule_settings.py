"""The remediation rules with a number, registered at ready(). The approval limits per role are not here:
they are the authority-limit table (models.AuthorityLimit), falling back to the complaints' approval rules."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import YUAN, RuleDefinition

CONTROLS = _("the bank's internal controls (maker-checker, domain.md §2)")
SWITCH = _("1 = yes, 0 = no")

RULES = [
    RuleDefinition("remediation.payment.two_approvals_above_yuan", Decimal("10000"), YUAN,
                   _("Payment orders above this amount need two approvals by different people"), CONTROLS,
                   Decimal(0), Decimal("100000000")),
    RuleDefinition("remediation.payment.require_code", 0, SWITCH,
                   _("Approvers confirm payment approvals with a one-time code (TOTP)"), CONTROLS, 0, 1),
]
