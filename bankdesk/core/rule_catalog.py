"""Every rule with a number, with its default (domain.md) and where the default comes from.

An administrator changes the value in the rule-settings admin page; code reads it with
`bankdesk.core.rules.get(key)`. A key not listed here is a programming error.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RuleDefinition:
    key: str
    default: int | Decimal | bool
    unit: str
    label: str
    basis: str = ""
    minimum: int | Decimal = 0
    maximum: int | Decimal | None = None

    def display(self, value) -> str:
        """The value with its unit, as staff read it: "90%", "15 个自然日"."""
        unit = str(self.unit)
        return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


WORKING_DAYS = _("working days")
CALENDAR_DAYS = _("calendar days")
PERCENT = _("%")
YUAN = _("yuan")
TIMES = _("times")
PEOPLE = _("people")
POINTS = _("points")
CHARACTERS = _("characters")
FILES = _("files")
COMPLAINTS = _("complaints")
REGULATION = "《银行业保险业消费投诉处理管理办法》（2020）"
BANK_RULES = _("the bank's complaint-handling rules")
IT_POLICY = _("bank IT policy")


def seed_004(article: int) -> str:
    return f"《银行服务投诉整改措施》汇编 第{article}篇"



RULES = [
    # Complaint clocks (domain.md §2 "Deadlines")
    RuleDefinition("complaint.non_acceptance_notice_working_days", 2, WORKING_DAYS,
                   _("Tell the customer a complaint is not accepted, with the reason"), seed_004(20), 1, 30),
    RuleDefinition("complaint.dispatch_minutes", 10, _("minutes"),
                   _("Send the registration to the department concerned"), seed_004(12), 1, 1440),
    RuleDefinition("complaint.report_important_hours", 1, _("hours"),
                   _("Report an important complaint to the manager"), seed_004(12), 1, 72),
    RuleDefinition("complaint.report_major_calendar_days", 0, CALENDAR_DAYS,
                   _("Report a major complaint to the top of the unit (0 = same day)"), seed_004(12), 0, 7),
    RuleDefinition("complaint.resolution_target_minor_days", 2, CALENDAR_DAYS,
                   _("Internal resolution target, minor complaint"), seed_004(12), 1, 60),
    RuleDefinition("complaint.resolution_target_important_days", 3, CALENDAR_DAYS,
                   _("Internal resolution target, important complaint"), seed_004(12), 1, 60),
    RuleDefinition("complaint.resolution_target_major_days", 10, CALENDAR_DAYS,
                   _("Internal resolution target, major complaint"), seed_004(12), 1, 60),
    RuleDefinition("complaint.major_clear_reply_days", 2, CALENDAR_DAYS,
                   _("Major complaint: a clear reply to the customer within"), seed_004(12), 1, 30),
    RuleDefinition("complaint.decision_calendar_days", 15, CALENDAR_DAYS,
                   _("Decision communicated, ordinary case, from acceptance"), REGULATION, 1, 60),
    RuleDefinition("complaint.extension_total_calendar_days", 30, CALENDAR_DAYS,
                   _("Extended limit for a complex case, customer told in writing before the ordinary limit"),
                   REGULATION, 1, 90),
    RuleDefinition("complaint.further_extension_calendar_days", 30, CALENDAR_DAYS,
                   _("Further extension for an especially complex case, with approval"),
                   REGULATION, 0, 90),
    RuleDefinition("complaint.internal_soft_target_working_days", 5, WORKING_DAYS,
                   _("Internal handling target (soft)"), seed_004(20), 1, 30),
    RuleDefinition("complaint.internal_max_working_days", 15, WORKING_DAYS,
                   _("Internal handling limit in all, the customer told the new limit and the reason"),
                   seed_004(20), 1, 60),
    RuleDefinition("complaint.callback_calendar_days", 7, CALENDAR_DAYS,
                   _("Callback with a satisfaction survey after the decision"), seed_004(3), 1, 30),
    RuleDefinition("complaint.callback_max_attempts", 3, TIMES,
                   _("Failed callback attempts after which a complaint may close"), BANK_RULES, 1, 10),
    RuleDefinition("complaint.review_calendar_days", 15, CALENDAR_DAYS,
                   _("Re-handling or review (核查) after an unhappy callback or a reopen"), BANK_RULES, 1, 60),
    RuleDefinition("complaint.assist_reply_working_days", 3, WORKING_DAYS,
                   _("An assisting department answers a request within"), BANK_RULES, 1, 30),
    RuleDefinition("complaint.unresolved_becomes_major_calendar_days", 30, CALENDAR_DAYS,
                   _("A valid complaint unresolved this long becomes major"), seed_004(12), 1, 365),
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
    RuleDefinition("complaint.public_form_per_hour", 5, COMPLAINTS,
                   _("Complaints one address may file through the public form per hour"), IT_POLICY, 1, 1000),
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
    # Indicators (domain.md §3), reference values of 004 第3篇
    RuleDefinition("kpi.on_time_closure_target_percent", Decimal("95"), PERCENT,
                   _("On-time closure rate, reference"), seed_004(3), 0, 100),
    RuleDefinition("kpi.resolution_target_percent", Decimal("95"), PERCENT,
                   _("Resolved within the limit, reference"), seed_004(3), 0, 100),
    RuleDefinition("kpi.satisfaction_target_percent", Decimal("95"), PERCENT,
                   _("Satisfaction at callback, reference"), seed_004(3), 0, 100),
    RuleDefinition("kpi.step_timeliness_target_percent", Decimal("99"), PERCENT,
                   _("Per-step timeliness, reference"), seed_004(3), 0, 100),
    RuleDefinition("kpi.work_order_accuracy_target_percent", Decimal("99"), PERCENT,
                   _("Work-order accuracy at review, reference"), seed_004(3), 0, 100),
    RuleDefinition("kpi.attitude_complaints_per_outlet_month_max", 1, COMPLAINTS,
                   _("Service-attitude complaints per outlet per month, at most"), seed_004(3), 0, 100),
    RuleDefinition("kpi.attitude_complaints_per_outlet_year_below", 4, COMPLAINTS,
                   _("Service-attitude complaints per outlet per year, fewer than"), seed_004(3), 1, 100),
    # Call center (domain.md §3, §5)
    RuleDefinition("callcenter.service_level_seconds", 15, _("seconds"),
                   _("Service level: answered within"), seed_004(3), 1, 300),
    RuleDefinition("callcenter.service_level_target_percent", Decimal("80"), PERCENT,
                   _("Service level target"), seed_004(3), 0, 100),
    # Remediation (domain.md §2 "Rectification and accountability", seed 000)
    RuleDefinition("remediation.receipt_reimbursement_working_days", 10, WORKING_DAYS,
                   _("Cash reimbursed with receipts within"), "《企业网上银行服务协议》（企业网银管理案例）", 1, 60),
    RuleDefinition("accountability.level1_min_yuan", Decimal("30"), YUAN, _("Penalty level 1, minimum"), seed_004(2)),
    RuleDefinition("accountability.level1_max_yuan", Decimal("100"), YUAN, _("Penalty level 1, maximum"), seed_004(2)),
    RuleDefinition("accountability.level2_yuan", Decimal("200"), YUAN, _("Penalty level 2 (warning)"), seed_004(2)),
    RuleDefinition("accountability.level2_points", 5, POINTS, _("Penalty level 2, points"), seed_004(2)),
    RuleDefinition("accountability.level3_yuan", Decimal("300"), YUAN, _("Penalty level 3 (formal reprimand)"),
                   seed_004(2)),
    RuleDefinition("accountability.level3_points", 10, POINTS, _("Penalty level 3, points"), seed_004(2)),
    RuleDefinition("accountability.level4_yuan", Decimal("1000"), YUAN, _("Penalty level 4 (major demerit)"),
                   seed_004(2)),
    # Branch service quality (domain.md §6)
    RuleDefinition("quality.service_star_weight_team_percent", 30, PERCENT, _("Service star: team weight"), "网点服务提升工作方案"),
    RuleDefinition("quality.service_star_weight_operations_manager_percent", 15, PERCENT,
                   _("Service star: operations manager weight"), "网点服务提升工作方案"),
    RuleDefinition("quality.service_star_weight_lobby_manager_percent", 15, PERCENT,
                   _("Service star: lobby manager weight"), "网点服务提升工作方案"),
    RuleDefinition("quality.service_star_weight_customers_percent", 40, PERCENT,
                   _("Service star: customers weight"), "网点服务提升工作方案"),
    # Security
    RuleDefinition("security.login_failure_limit", 5, TIMES,
                   _("Failed logins before the account is locked"), IT_POLICY, 3, 20),
    RuleDefinition("security.lockout_minutes", 30, _("minutes"),
                   _("How long a locked account stays locked"), IT_POLICY, 1, 1440),
    RuleDefinition("security.session_idle_minutes", 30, _("minutes"),
                   _("Sign out after this long without activity"), IT_POLICY, 5, 480),
    RuleDefinition("security.api_token_lifetime_days", 90, CALENDAR_DAYS,
                   _("An API token stops working this long after it was created"), IT_POLICY, 1, 730),
    RuleDefinition("security.password_min_length", 10, CHARACTERS,
                   _("Minimum password length"), IT_POLICY, 8, 64),
]

RULES_BY_KEY = {rule.key: rule for rule in RULES}
