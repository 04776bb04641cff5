"""The workforce app's rules with a number, registered at ready().

Defaults: shrinkage and occupancy from common call-center planning practice (no regulation sets them);
working time from the PRC Labour Law and the State Council's working-hours rules."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import CALENDAR_DAYS, PERCENT, RuleDefinition

PLANNING_PRACTICE = _("call-center planning practice")
LABOUR_LAW_38 = "《中华人民共和国劳动法》第三十八条（每周至少休息一日）"
WORKING_HOURS = "国务院《关于职工工作时间的规定》第三条（每日8小时、每周40小时）"
LABOUR_LAW_41 = "《中华人民共和国劳动法》第四十一条（每日8小时，延长一般不超过1小时、至多3小时）"
SECONDS = _("seconds")
HOURS = _("hours")
WEEKS = _("weeks")
AGENTS = _("agents")

RULES = [
    RuleDefinition("workforce.shrinkage_percent", 30, PERCENT,
                   _("Shrinkage: share of paid time off the phones (breaks, meetings, training, absence)"),
                   PLANNING_PRACTICE, 0, 90),
    RuleDefinition("workforce.max_occupancy_percent", 90, PERCENT,
                   _("Maximum occupancy of the agents on the phones in a staffing plan"), PLANNING_PRACTICE, 50, 100),
    RuleDefinition("workforce.max_agents", 20000, AGENTS,
                   _("Most agents a staffing calculation may need (a larger load is a typing error)"),
                   PLANNING_PRACTICE, 100, 100000),
    RuleDefinition("workforce.forecast_holdout_weeks", 4, WEEKS,
                   _("Forecast accuracy: the last weeks of history held out and forecast"), PLANNING_PRACTICE, 1, 12),
    RuleDefinition("workforce.forecast_profile_days", 8, _("days"),
                   _("Forecast: the recent days of each kind whose intraday shape is averaged"), PLANNING_PRACTICE,
                   2, 52),
    RuleDefinition("workforce.forecast_max_days", 92, CALENDAR_DAYS,
                   _("Forecast: the longest horizon"), PLANNING_PRACTICE, 7, 366),
    RuleDefinition("workforce.roster_time_limit_seconds", 60, SECONDS,
                   _("Roster solver: time limit; the best roster found by then is kept"), PLANNING_PRACTICE, 5, 3600),
    RuleDefinition("workforce.min_days_off_per_week", 1, CALENDAR_DAYS,
                   _("Roster: days off per week at least"), LABOUR_LAW_38, 1, 6),
    RuleDefinition("workforce.min_rest_hours", 11, HOURS,
                   _("Roster: rest between the end of a shift and the start of the next at least"),
                   PLANNING_PRACTICE, 0, 24),
    RuleDefinition("workforce.max_shift_hours", 12, HOURS,
                   _("A rostered shift, lunch included, lasts at most"), LABOUR_LAW_41, 4, 24),
    RuleDefinition("workforce.contract_weekly_hours", 40, HOURS,
                   _("Contracted weekly hours of an agent without own work terms"), WORKING_HOURS, 1, 60),
    RuleDefinition("workforce.contract_working_days", 5, CALENDAR_DAYS,
                   _("Contract: working days a week (each day of absence takes this share off the weekly hours)"),
                   WORKING_HOURS, 1, 7),
    RuleDefinition("workforce.max_absence_days", 92, CALENDAR_DAYS,
                   _("An agent's absence lasts at most (a longer one is entered in parts)"), PLANNING_PRACTICE, 1, 366),
]
