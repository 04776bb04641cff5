"""The early-warning thresholds (every number a default in the rule-settings table, docs/analytics.md)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import (
    CALENDAR_DAYS,
    COMPLAINTS,
    PERCENT,
    RuleDefinition,
)

BASIS = _("Bank's early-warning practice (docs/analytics.md)")

RULES = [
    RuleDefinition("warning.rise.history_weeks", 8, _("weeks"),
                   _("Unusual rise: weeks of the unit's own history the day is compared with"), BASIS, 1, 104),
    RuleDefinition("warning.rise.significance_percent", Decimal("1"), PERCENT,
                   _("Unusual rise: significance of the Poisson test (chance of the count under the usual level)"),
                   BASIS, Decimal("0.001"), 50),
    RuleDefinition("warning.rise.min_count", 3, COMPLAINTS,
                   _("Unusual rise: complaints on the day, at least"), BASIS, 1, 1000),
    RuleDefinition("warning.customer_cluster.window_days", 30, CALENDAR_DAYS,
                   _("Repeat complaints by one customer: window"), BASIS, 1, 366),
    RuleDefinition("warning.customer_cluster.min_count", 3, COMPLAINTS,
                   _("Repeat complaints by one customer at one unit within the window, at least"), BASIS, 2, 1000),
    RuleDefinition("warning.cause_cluster.window_days", 7, CALENDAR_DAYS,
                   _("Repeat complaints of one cause: window"), BASIS, 1, 366),
    RuleDefinition("warning.cause_cluster.min_count", 5, COMPLAINTS,
                   _("Repeat complaints of one cause at one unit within the window, at least"), BASIS, 2, 10000),
    RuleDefinition("warning.overdue.recent_days", 7, CALENDAR_DAYS,
                   _("Overdue share: recent window"), BASIS, 1, 92),
    RuleDefinition("warning.overdue.baseline_days", 28, CALENDAR_DAYS,
                   _("Overdue share: the earlier window it is compared with"), BASIS, 1, 366),
    RuleDefinition("warning.overdue.rise_points", Decimal("10"), PERCENT,
                   _("Overdue share: rise over the earlier window, in percentage points, at least"), BASIS, 0, 100),
    RuleDefinition("warning.overdue.min_count", 3, _("items"),
                   _("Overdue share: overdue items in the recent window, at least"), BASIS, 1, 10000),
]
