"""Every indicator of domain.md §3, defined once: what it counts, over which rows, and its formula in words
(docs/analytics.md repeats them). `figures.compute` turns the registry into SQL aggregates: one query per
source table, grouped by any dimension.

Every indicator is taken over the cohort of complaints *received* in the period (China time) and in the
user's scope, so that a period's figures never change because of when somebody looks, only when the
complaints themselves change (which the frozen regulatory reports catch).

The rectification figures (溯源整改: share with an item, verified on time, repeats) belong to remediation, which
adds them to the dashboards as a section of their own (`board_sections`)."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Now
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import (
    CallbackRecord,
    Clock,
    ClockKind,
    ClockState,
    Complaint,
    Decision,
    DecisionStatus,
    Satisfaction,
    Status,
)


class Kind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    PER_10K = "per_10k"


class Source(StrEnum):
    """The table an indicator counts rows of; each is reached from the complaint by `prefix`."""
    COMPLAINTS = "complaints"
    CLOCKS = "clocks"
    CALLBACKS = "callbacks"
    DECISIONS = "decisions"


SOURCE_MODELS = {Source.COMPLAINTS: (Complaint, ""), Source.CLOCKS: (Clock, "complaint__"),
                 Source.CALLBACKS: (CallbackRecord, "complaint__"), Source.DECISIONS: (Decision, "complaint__")}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    formula: str
    kind: Kind
    source: Source = Source.COMPLAINTS
    numerator: Q | None = None  # the rows counted (None: every row of the source)
    denominator: Q | None = None  # the rows a share or average is taken over (None: every row)
    duration: object = None  # DAYS: the duration averaged over the denominator's rows
    reference: str = ""  # the rule setting holding the reference value
    reference_is_maximum: bool = False  # the figure must stay at or below the reference


def _days_between(later, earlier):
    return ExpressionWrapper(later - earlier, output_field=DurationField())


CLOSED = Q(status=Status.CLOSED)
REVIEWED = Q(accepted_at__isnull=False) | Q(status=Status.NOT_ACCEPTED)

INDICATORS = [
    Indicator("volume", _("Complaints received"), _("count of complaints received in the period"), Kind.COUNT),
    Indicator("rate_per_10k", _("Complaints per 10,000 customers"),
              _("complaints received ÷ customers (monthly customer counts of the units, averaged over the "
                "period's months) × 10,000"), Kind.PER_10K),
    Indicator("acceptance_rate", _("Acceptance rate"),
              _("accepted ÷ (accepted + not accepted), of the complaints received"), Kind.PERCENT,
              numerator=Q(accepted_at__isnull=False), denominator=REVIEWED),
    Indicator("on_time_closure_rate", _("On-time closure rate (完成及时率)"),
              _("closed with the decision communicated within the statutory limit ÷ closed"), Kind.PERCENT,
              source=Source.CLOCKS,
              numerator=Q(kind=ClockKind.DECISION, complaint__status=Status.CLOSED, overdue_at__isnull=True),
              denominator=Q(kind=ClockKind.DECISION, complaint__status=Status.CLOSED),
              reference="kpi.on_time_closure_target_percent"),
    Indicator("resolution_rate", _("Resolved within the limit (问题解决率)"),
              _("closed within the statutory limit and never reopened ÷ closed"), Kind.PERCENT,
              source=Source.CLOCKS,
              numerator=Q(kind=ClockKind.DECISION, complaint__status=Status.CLOSED, overdue_at__isnull=True,
                          complaint__reopen_count=0),
              denominator=Q(kind=ClockKind.DECISION, complaint__status=Status.CLOSED),
              reference="kpi.resolution_target_percent"),
    Indicator("satisfaction_rate", _("Satisfaction at callback (客户满意率)"),
              _("callbacks answered satisfied or basically satisfied ÷ callbacks that reached the customer"),
              Kind.PERCENT, source=Source.CALLBACKS,
              numerator=Q(reached=True, satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]),
              denominator=Q(reached=True), reference="kpi.satisfaction_target_percent"),
    Indicator("step_timeliness_rate", _("Per-step timeliness (工单处理及时率)"),
              _("clocks stopped without having run out ÷ clocks stopped"), Kind.PERCENT, source=Source.CLOCKS,
              numerator=Q(state=ClockState.STOPPED, overdue_at__isnull=True), denominator=Q(state=ClockState.STOPPED),
              reference="kpi.step_timeliness_target_percent"),
    Indicator("work_order_accuracy_rate", _("Work-order accuracy at review (工单处理合格率)"),
              _("decisions approved by the reviewer ÷ decisions reviewed (approved, communicated or returned)"),
              Kind.PERCENT, source=Source.DECISIONS,
              numerator=Q(status__in=[DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED]),
              denominator=Q(status__in=[DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED,
                                        DecisionStatus.RETURNED]),
              reference="kpi.work_order_accuracy_target_percent"),
    Indicator("first_contact_resolution_rate", _("First-contact resolution (一次性办结率)"),
              _("closed never reopened, escalated or extended ÷ closed"), Kind.PERCENT,
              numerator=CLOSED & Q(reopen_count=0, escalation_level=0, extension_level=0), denominator=CLOSED),
    Indicator("average_handling_days", _("Average handling time"),
              _("mean of (closed at − received at) over the closed complaints, in days"), Kind.DAYS,
              denominator=Q(closed_at__isnull=False), duration=_days_between(F("closed_at"), F("received_at"))),
    Indicator("average_overdue_days", _("Average overdue time"),
              _("mean of (stopped at, or now while running − due) over the statutory clocks that ran out, in days"),
              Kind.DAYS, source=Source.CLOCKS, denominator=Q(kind=ClockKind.DECISION, overdue_at__isnull=False),
              duration=_days_between(Coalesce(F("stopped_at"), Now()), F("due_at"))),
    Indicator("repeat_rate", _("Repeat-complaint rate"),
              _("complaints marked as a repeat of an earlier one ÷ complaints received"), Kind.PERCENT,
              numerator=Q(is_repeat=True)),
    Indicator("reopen_rate", _("Reopen rate"),
              _("complaints reopened at least once ÷ complaints whose decision was communicated"), Kind.PERCENT,
              numerator=Q(reopen_count__gt=0), denominator=Q(communicated_at__isnull=False)),
    Indicator("escalated_share", _("Share escalated"),
              _("complaints escalated at least once ÷ complaints received"), Kind.PERCENT,
              numerator=Q(escalation_level__gt=0)),
    Indicator("staff_service_justified", _("Justified complaints about service attitude"),
              _("complaints closed as the bank's fault (企业责任) whose cause is service attitude"), Kind.COUNT,
              numerator=Q(closure_code__code="bank_at_fault", cause__code="attitude"),
              reference="kpi.attitude_complaints_per_outlet_month_max", reference_is_maximum=True),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
