"""The analytics rules with a number, registered at ready(): the indicators' reference values (domain.md §3,
seed 004 article 3 — a telecom operator's, which the bank adopts as its own defaults)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import COMPLAINTS, PERCENT, RuleDefinition

SEED_004_3 = "《客户投诉管理制度》（seed 004 第3篇）"

RULES = [
    RuleDefinition("kpi.on_time_closure_target_percent", Decimal("95"), PERCENT,
                   _("On-time closure rate, reference"), SEED_004_3, 0, 100),
    RuleDefinition("kpi.resolution_target_percent", Decimal("95"), PERCENT,
                   _("Resolved within the limit, reference"), SEED_004_3, 0, 100),
    RuleDefinition("kpi.satisfaction_target_percent", Decimal("95"), PERCENT,
                   _("Satisfaction at callback, reference"), SEED_004_3, 0, 100),
    RuleDefinition("kpi.step_timeliness_target_percent", Decimal("99"), PERCENT,
                   _("Per-step timeliness, reference"), SEED_004_3, 0, 100),
    RuleDefinition("kpi.work_order_accuracy_target_percent", Decimal("99"), PERCENT,
                   _("Work-order accuracy at review, reference"), SEED_004_3, 0, 100),
    RuleDefinition("kpi.attitude_complaints_per_outlet_month_max", 1, COMPLAINTS,
                   _("Justified complaints about the complaint staff's own service per outlet per month, at most"),
                   SEED_004_3, 0, 100),
]
