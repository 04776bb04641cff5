"""Quality monitoring's rules with a number, registered at ready()."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import RuleDefinition

QA_PRACTICE = _("the bank's QA practice")

RULES = [
    RuleDefinition("qa.calibration_tolerance_points", Decimal("5"), _("points out of 100"),
                   _("Calibration: inspectors' scores whose standard deviation exceeds this are shown as apart"),
                   QA_PRACTICE, Decimal("0"), Decimal("100")),
    RuleDefinition("qa.briefing_low_score", Decimal("80"), _("points out of 100"),
                   _("Pre-shift briefing: evaluations scoring below this are shown when their scorecard has no pass "
                     "mark"), QA_PRACTICE, Decimal("0"), Decimal("100")),
]
