"""The rules with a number of the regulatory statistics: when a report is due."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import RuleDefinition

DAY_OF_MONTH = _("day of the month")
MONTHS = _("months")
ISSUE_14 = _("Monthly statistics are due by the 30th of the next month (BankDesk issue 14)")

RULES = [
    RuleDefinition("analytics.report_due_day", 30, DAY_OF_MONTH,
                   _("Regulatory statistics are due on this day of the month after the period (the last day of a "
                     "shorter month)"), ISSUE_14, 1, 31),
    RuleDefinition("analytics.disclosure_due_months", 4, MONTHS,
                   _("The annual public disclosure is due this many months after the year, on the due day"),
                   _("Annual reports are published by 30 April"), 1, 12),
]
