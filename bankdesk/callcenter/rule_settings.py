"""The call-center app's rules with a number (docs/domain-rules.md §5, source 004), registered at ready()."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import IT_POLICY, PERCENT, RuleDefinition

SEED_004 = "《投诉处理服务规范》热线服务水平 参考标准 15S/80%"
ACD_PRACTICE = _("the call distributor's reporting interval")
WALLBOARD_PRACTICE = _("call-center practice: a wallboard close to real time")
SECONDS = _("seconds")

RULES = [
    RuleDefinition("callcenter.service_level_seconds", 15, SECONDS,
                   _("Service level: a call counts when answered within (default of a new queue)"), SEED_004, 1, 600),
    RuleDefinition("callcenter.service_level_percent", 80, PERCENT,
                   _("Service level: share of calls answered within that time (default of a new queue)"),
                   SEED_004, 1, 100),
    RuleDefinition("callcenter.interval_minutes", 30, _("minutes"),
                   _("Length of an ACD interval when the imported file does not give it"), ACD_PRACTICE, 5, 60),
    RuleDefinition("callcenter.import_max_megabytes", 64, _("MB"),
                   _("Largest file of an ACD interval import"), IT_POLICY, 1, 1024),
    RuleDefinition("callcenter.wallboard_refresh_seconds", 30, SECONDS,
                   _("The wallboard reloads its figures every"), WALLBOARD_PRACTICE, 5, 600),
]
