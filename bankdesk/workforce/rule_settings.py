"""The workforce app's rules with a number, registered at ready().

Defaults: shrinkage and occupancy from common call-center planning practice (no regulation sets them);
working time from the PRC Labour Law and the State Council's working-hours rules."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import PERCENT, RuleDefinition

PLANNING_PRACTICE = _("call-center planning practice")
LABOUR_LAW_38 = "《中华人民共和国劳动法》第三十八条（每周至少休息一日）"
WORKING_HOURS = "国务院《关于职工工作时间的规定》第三条（每日8小时、每周40小时）"
SECONDS = _("seconds")
HOURS = _("hours")
WEEKS = _("weeks")
AGENTS = _("agents")

RULES = [
    RuleDefinition("workforce.shrinkage_percent", 30, PERCENT,
                   _("Shrinkage: share of paid time off the phones (breaks, meetings, training, absence)"),
                   PLANNING_PRACTICE, 0, 90),
    RuleDefinition("workforce.max_agents", 20000, AGENTS,
                   _("Most agents a staffing calculation may need (a larger load is a typing error)"),
                   PLANNING_PRACTICE, 100, 100000),
]
