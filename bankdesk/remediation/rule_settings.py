"""The remediation rules with a number, registered at ready(). The approval limits per role are not here:
they are the authority-limit table (models.AuthorityLimit), falling back to the complaints' approval rules."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import CALENDAR_DAYS, FILES, IT_POLICY, TIMES, WORKING_DAYS, YUAN, RuleDefinition

CONTROLS = _("the bank's internal controls (maker-checker, domain.md §2)")
SWITCH = _("1 = yes, 0 = no")
RECTIFICATION = _("the bank's rectification rules (溯源整改, 必查、必清、必改)")

RULES = [
    RuleDefinition("remediation.payment.two_approvals_above_yuan", Decimal("10000"), YUAN,
                   _("Payment orders above this amount need two approvals by different people"), CONTROLS,
                   Decimal(0), Decimal("100000000")),
    RuleDefinition("remediation.payment.require_code", 0, SWITCH,
                   _("Approvers confirm payment approvals with a one-time code (TOTP)"), CONTROLS, 0, 1),
    RuleDefinition("remediation.rectification.due_working_days", 20, WORKING_DAYS,
                   _("Rectification: a root cause is fixed within"), RECTIFICATION, 1, 250),
    RuleDefinition("remediation.rectification.chase_interval_days", 3, CALENDAR_DAYS,
                   _("Rectification: chase the owner of an overdue item again every"), RECTIFICATION, 1, 30),
    RuleDefinition("remediation.rectification.escalate_after_chases", 3, TIMES,
                   _("Rectification: after this many chases the heads and the consumer-protection office are told"),
                   RECTIFICATION, 1, 20),
    RuleDefinition("remediation.rectification.repeat_window_days", 180, CALENDAR_DAYS,
                   _("Rectification: a complaint of the same root cause at the unit this long after verification "
                     "counts as a repeat"), RECTIFICATION, 1, 730),
    RuleDefinition("remediation.evidence_max_megabytes", 10, _("MB"), _("Largest rectification evidence file"),
                   IT_POLICY, 1, 50),
    RuleDefinition("remediation.evidence_max_count", 10, FILES, _("Evidence files per upload, at most"),
                   IT_POLICY, 1, 50),
]
