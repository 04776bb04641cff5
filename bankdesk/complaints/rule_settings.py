"""The complaints app's rules with a number (docs/domain-rules.md §2, §3, §5, §6), registered at ready()."""

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import (
    CALENDAR_DAYS, COMPLAINTS, FILES, IT_POLICY, PEOPLE, PERCENT, TIMES, WORKING_DAYS, YUAN, RuleDefinition)

REGULATION = "《银行业保险业消费投诉处理管理办法》（2020）"
BANK_RULES = _("the bank's complaint-handling rules")
# The regulation's limits are maxima: the rule page refuses a longer one with this reason.
STATUTORY_MAXIMUM = format_lazy(_("{regulation} sets this limit; a bank may shorten it, never lengthen it."),
                                regulation=REGULATION)


def rectification_article(article: int) -> str:
    """An article of source 004 (docs/domain-rules.md, Sources)."""
    return f"《银行服务投诉整改措施》汇编 第{article}篇"


RULES = [
    # Complaint clocks (docs/domain-rules.md §2 "Deadlines")
    RuleDefinition("complaint.non_acceptance_notice_working_days", 2, WORKING_DAYS,
                   _("Tell the customer a complaint is not accepted, with the reason"), rectification_article(20),
                   1, 30),
    RuleDefinition("complaint.dispatch_minutes", 10, _("minutes"),
                   _("Send the registration to the department concerned"), rectification_article(12), 1, 1440),
    RuleDefinition("complaint.resolution_target_minor_days", 2, CALENDAR_DAYS,
                   _("Internal resolution target, minor complaint"), rectification_article(12), 1, 60),
    RuleDefinition("complaint.resolution_target_important_days", 3, CALENDAR_DAYS,
                   _("Internal resolution target, important complaint"), rectification_article(12), 1, 60),
    RuleDefinition("complaint.resolution_target_major_days", 10, CALENDAR_DAYS,
                   _("Internal resolution target, major complaint"), rectification_article(12), 1, 60),
    RuleDefinition("complaint.major_clear_reply_days", 2, CALENDAR_DAYS,
                   _("Major complaint: a clear reply to the customer within"), rectification_article(12), 1, 30),
    RuleDefinition("complaint.decision_calendar_days", 15, CALENDAR_DAYS,
                   _("Decision communicated, ordinary case, from receipt of the complaint"), REGULATION, 1, 15,
                   STATUTORY_MAXIMUM),
    RuleDefinition("complaint.extension_total_calendar_days", 30, CALENDAR_DAYS,
                   _("Extended limit for a complex case, customer told in writing before the ordinary limit"),
                   REGULATION, 1, 30, STATUTORY_MAXIMUM),
    RuleDefinition("complaint.further_extension_calendar_days", 30, CALENDAR_DAYS,
                   _("Further extension for an especially complex case, with approval"),
                   REGULATION, 0, 30, STATUTORY_MAXIMUM),
    RuleDefinition("complaint.internal_soft_target_working_days", 5, WORKING_DAYS,
                   _("Internal handling target (soft)"), rectification_article(20), 1, 30),
    RuleDefinition("complaint.internal_max_working_days", 15, WORKING_DAYS,
                   _("Internal handling limit in all, the customer told the new limit and the reason"),
                   rectification_article(20), 1, 60),
    RuleDefinition("complaint.callback_calendar_days", 7, CALENDAR_DAYS,
                   _("Callback with a satisfaction survey after the decision"), rectification_article(3), 1, 30),
    RuleDefinition("complaint.callback_max_attempts", 3, TIMES,
                   _("Failed callback attempts after which a complaint may close"), BANK_RULES, 1, 10),
    RuleDefinition("complaint.review_calendar_days", 15, CALENDAR_DAYS,
                   _("Re-handling or review (核查) after an unhappy callback or a reopen"), BANK_RULES, 1, 60),
    RuleDefinition("complaint.customer_review_calendar_days", 30, CALENDAR_DAYS,
                   _("A customer may ask for a review (核查) of the decision within, from receiving it"),
                   BANK_RULES, 1, 365),
    RuleDefinition("complaint.assist_reply_working_days", 3, WORKING_DAYS,
                   _("An assisting department answers a request within"), BANK_RULES, 1, 30),
    RuleDefinition("complaint.unresolved_becomes_major_calendar_days", 30, CALENDAR_DAYS,
                   _("A valid complaint unresolved this long becomes major"), rectification_article(12), 1, 365),
    RuleDefinition("complaint.regulator_feedback_working_days", 10, WORKING_DAYS,
                   _("Feedback to the regulator on a transferred complaint (申诉反馈), from receipt, where the "
                     "transfer names no deadline of its own"), BANK_RULES, 1, 60),
    RuleDefinition("complaint.archive_after_years", 3, _("years"),
                   _("A closed complaint is archived (read-only, never deleted) this long after its closure"),
                   format_lazy(_("{regulation}: records kept at least 3 years"), regulation=REGULATION), 3, 30),
    RuleDefinition("complaint.group_max_representatives", 5, PEOPLE,
                   _("Group complaint: representatives in person at most"), BANK_RULES, 1, 50),
    RuleDefinition("complaint.group_max_size", 10000, PEOPLE,
                   _("Group complaint: people in the group at most (a larger number is a typing error)"),
                   BANK_RULES, 2, 1000000),
    RuleDefinition("complaint.received_max_days_back", 1825, CALENDAR_DAYS,
                   _("The time a complaint was received lies at most this far back (late entries, imports of "
                     "history)"), BANK_RULES, 1, 7300),
    RuleDefinition("complaint.received_future_tolerance_minutes", 5, _("minutes"),
                   _("The time a complaint was received may lie this far ahead of the server's clock (clock skew)"),
                   IT_POLICY, 0, 60),
    RuleDefinition("complaint.repeat_window_calendar_days", 365, CALENDAR_DAYS,
                   _("A complaint from the same phone within this time is a repeat"), BANK_RULES, 1, 3650),
    RuleDefinition("complaint.attachment_max_megabytes", 20, _("MB"),
                   _("Largest attachment"), IT_POLICY, 1, 200),
    RuleDefinition("complaint.attachment_max_count", 10, FILES,
                   _("Attachments per registration, at most"), IT_POLICY, 1, 50),
    RuleDefinition("complaint.import_max_megabytes", 256, _("MB"),
                   _("Largest file of a complaint import (a million rows of the template take about 180 MB)"),
                   IT_POLICY, 1, 2048),
    RuleDefinition("complaint.public_form_per_hour", 5, COMPLAINTS,
                   _("Complaints one address may file through the public form per hour"), IT_POLICY, 1, 1000),
    RuleDefinition("complaint.public_form_per_phone_per_hour", 3, COMPLAINTS,
                   _("Complaints one phone number may file through the public form per hour"), IT_POLICY, 1, 1000),
    RuleDefinition("complaint.public_tracking_per_hour", 30, _("look-ups"),
                   _("Progress look-ups one address may make through the public page per hour"), IT_POLICY, 1, 10000),
    RuleDefinition("clock.warning_percent", 90, PERCENT,
                   _("Warn the owner when this share of a clock's time has passed"), BANK_RULES, 1, 99),
    RuleDefinition("clock.chase_interval_hours", 24, _("hours"),
                   _("Chase the owner of an overdue item again every"), BANK_RULES, 1, 720),
    RuleDefinition("approval.unit_head_limit_yuan", Decimal("5000"), YUAN,
                   _("Compensation a department or outlet head may approve, at most"), BANK_RULES),
    RuleDefinition("approval.consumer_protection_limit_yuan", Decimal("50000"), YUAN,
                   _("Compensation a consumer-protection officer may approve, at most"), BANK_RULES),
    RuleDefinition("approval.management_limit_yuan", Decimal("1000000"), YUAN,
                   _("Compensation management may approve, at most"), BANK_RULES),
]
