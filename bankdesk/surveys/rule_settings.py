"""The surveys app's rules with a number (docs/domain-rules.md §5), registered at ready()."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import CALENDAR_DAYS, IT_POLICY, TIMES, RuleDefinition

CATI_PRACTICE = _("call-center survey practice (seed 002, ch. 7.5 CATI)")
MINUTES = _("minutes")

RULES = [
    RuleDefinition("surveys.max_attempts", 5, TIMES,
                   _("Calls without reaching the customer after which a survey target is closed"), CATI_PRACTICE,
                   1, 20),
    RuleDefinition("surveys.retry_minutes_no_answer", 120, MINUTES,
                   _("Call again after no answer"), CATI_PRACTICE, 1, 10080),
    RuleDefinition("surveys.retry_minutes_busy", 15, MINUTES,
                   _("Call again after a busy line"), CATI_PRACTICE, 1, 10080),
    RuleDefinition("surveys.claim_minutes", 20, MINUTES,
                   _("A target taken by an interviewer returns to the queue after"), CATI_PRACTICE, 1, 480),
    RuleDefinition("surveys.callback_horizon_days", 30, CALENDAR_DAYS,
                   _("A booked callback lies at most this far ahead"), CATI_PRACTICE, 1, 365),
    RuleDefinition("surveys.list_max_rows", 100000, _("rows"),
                   _("Most rows of one imported call list (seed 002: lists of 20,000 names)"), CATI_PRACTICE,
                   100, 1000000),
    RuleDefinition("surveys.list_max_megabytes", 20, _("MB"), _("Largest file of an imported call list"), IT_POLICY,
                   1, 256),
]
