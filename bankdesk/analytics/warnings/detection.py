"""What the daily check finds, each test one GROUP BY query over the complaints (or their clocks) of a window
of days ending with the day checked (China time); no row is loaded into Python, only one row per group that
passes the test's minimum count (HAVING). The formulas are in docs/analytics.md.

1. Unusual rise, per unit concerned × business category: the day's count c against the unit's own history,
   the daily mean λ over the days of the same kind (working or not, on the official calendar: outlets hear
   far fewer complaints on weekends and holidays) among the `history_weeks` before the day (at least one
   complaint counted, so that a unit with no history is not flagged for its first few). Flagged when c ≥ min_count and the Poisson tail
   P(X ≥ c | λ) ≤ α (the significance); the threshold shown is the smallest count that would be flagged.
2. Repeat-complaint cluster, per unit concerned: complaints by one customer (the phone's blind index) or of
   one cause within the window, at least min_count of them, one of them received on the day checked; for a
   cause also more than the unit's own history of that cause makes likely (the Poisson test of 1 over the
   window). check.py raises a cluster once per window.
3. Rising share of overdue items, per unit concerned: among the clocks (every deadline of a complaint but the
   automatic "becomes major" one) due in the recent window, the share that ran out, against the same share
   in the earlier window before it; flagged when it rose by at least `rise_points` percentage points with at
   least min_count overdue items.

Merged complaints are left out: a merged complaint is the same matter as the one it was merged into."""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q

from bankdesk.analytics.periods import day_start
from bankdesk.analytics.warnings.models import WarningKind
from bankdesk.complaints.models import Clock, ClockKind, Complaint, Status
from bankdesk.core import calendar, rules

OVERDUE_CLOCK_KINDS = [kind for kind in ClockKind.values if kind != ClockKind.BECOMES_MAJOR]


@dataclass
class Finding:
    kind: str
    unit_id: int
    day: date
    period_start: date
    period_end: date
    figure: Decimal
    threshold: Decimal
    baseline: Decimal | None = None
    business_category_id: int | None = None
    cause_id: int | None = None
    customer: str = ""  # the phone's blind index
    complaint_filter: Q = field(default_factory=Q)  # the complaints behind it (with complaint_model)
    from_clocks: bool = False  # complaint_filter applies to clocks (their complaint_id)

    @property
    def subject(self) -> str:
        if self.business_category_id:
            return f"category:{self.business_category_id}"
        if self.cause_id:
            return f"cause:{self.cause_id}"
        if self.customer:
            return f"customer:{self.customer}"
        return ""


def poisson_tail(count: int, mean: float) -> float:
    """P(X ≥ count) for X ~ Poisson(mean), summed in log space (no underflow for a large mean)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    below = math.fsum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count))
    return max(0.0, 1.0 - below)


def critical_count(mean: float, significance: float) -> int:
    """The smallest count c with P(X ≥ c | mean) ≤ significance."""
    count = max(0, math.floor(mean))
    while poisson_tail(count, mean) > significance:
        count += 1
    while count > 0 and poisson_tail(count - 1, mean) <= significance:
        count -= 1
    return count


def _received_q(first: date, last: date) -> Q:
    return Q(received_at__gte=day_start(first), received_at__lt=day_start(last + timedelta(days=1))) & ~Q(
        status=Status.MERGED)


def _received(first: date, last: date):
    return Complaint.objects.filter(_received_q(first, last))


def alike_days(day: date, history_days: int) -> list[date]:
    """The days among the `history_days` before `day` of the same kind as it on the official calendar (working
    days for a working day, make-up days included; weekends and holidays for a day off); all of them when none is
    (a day off after a long holiday with a short history)."""
    official = calendar.load()
    days = [day - timedelta(days=offset) for offset in range(history_days, 0, -1)]
    alike = [past for past in days if official.is_working_day(past) == official.is_working_day(day)]
    return alike or days


def _on_days_q(days: list[date]) -> Q:
    """Received on one of `days` (ascending): one range per run of consecutive days."""
    condition, start = Q(), days[0]
    for previous, current in zip(days, [*days[1:], None]):
        if current != previous + timedelta(days=1):
            condition |= Q(received_at__gte=day_start(start), received_at__lt=day_start(previous + timedelta(days=1)))
            start = current
    return condition


def rises(day: date) -> list[Finding]:
    weeks = rules.get("warning.rise.history_weeks")
    significance = float(rules.get("warning.rise.significance_percent")) / 100
    minimum = rules.get("warning.rise.min_count")
    history_days = 7 * weeks
    alike = alike_days(day, history_days)
    first = day - timedelta(days=history_days)
    today = Q(received_at__gte=day_start(day))
    groups = (_received(first, day).values("unit_id", "business_category_id")
              .annotate(today=Count("pk", filter=today), history=Count("pk", filter=_on_days_q(alike)))
              .filter(today__gte=minimum).order_by())
    found = []
    for group in groups:
        mean = max(group["history"], 1) / len(alike)
        threshold = max(critical_count(mean, significance), minimum)
        if group["today"] >= threshold:
            found.append(Finding(
                WarningKind.RISE, group["unit_id"], day, day, day, Decimal(group["today"]), Decimal(threshold),
                baseline=Decimal(str(round(mean, 4))), business_category_id=group["business_category_id"],
                complaint_filter=_received_q(day, day) & Q(unit_id=group["unit_id"],
                                           business_category_id=group["business_category_id"])))
    return found


def customer_clusters(day: date) -> list[Finding]:
    window_days = rules.get("warning.customer_cluster.window_days")
    minimum = rules.get("warning.customer_cluster.min_count")
    first = day - timedelta(days=window_days - 1)
    groups = (_received(first, day).exclude(phone_index="").values("unit_id", "phone_index")
              .annotate(count=Count("pk"), today=Count("pk", filter=Q(received_at__gte=day_start(day))))
              .filter(count__gte=minimum, today__gte=1).order_by())
    window = _received_q(first, day)
    return [Finding(WarningKind.CUSTOMER_CLUSTER, group["unit_id"], day, first, day, Decimal(group["count"]),
                    Decimal(minimum), customer=group["phone_index"],
                    complaint_filter=window & Q(unit_id=group["unit_id"], phone_index=group["phone_index"]))
            for group in groups]


def cause_clusters(day: date) -> list[Finding]:
    """Complaints of one cause at one unit in the window, at least the minimum and more than the unit's own
    history of that cause makes likely: the Poisson test of the rise over the window (the same history and
    significance), so that a busy outlet's everyday causes are not flagged every day."""
    window_days = rules.get("warning.cause_cluster.window_days")
    minimum = rules.get("warning.cause_cluster.min_count")
    history_days = 7 * rules.get("warning.rise.history_weeks")
    significance = float(rules.get("warning.rise.significance_percent")) / 100
    first = day - timedelta(days=window_days - 1)
    in_window = Q(received_at__gte=day_start(first))
    groups = (_received(first - timedelta(days=history_days), day).values("unit_id", "cause_id")
              .annotate(count=Count("pk", filter=in_window), history=Count("pk", filter=~in_window),
                        today=Count("pk", filter=Q(received_at__gte=day_start(day))))
              .filter(count__gte=minimum, today__gte=1).order_by())
    window = _received_q(first, day)
    found = []
    for group in groups:
        mean = max(group["history"], 1) * window_days / history_days
        threshold = max(critical_count(mean, significance), minimum)
        if group["count"] >= threshold:
            found.append(Finding(
                WarningKind.CAUSE_CLUSTER, group["unit_id"], day, first, day, Decimal(group["count"]),
                Decimal(threshold), baseline=Decimal(str(round(mean, 4))), cause_id=group["cause_id"],
                complaint_filter=window & Q(unit_id=group["unit_id"], cause_id=group["cause_id"])))
    return found


def clusters(day: date, kind: str) -> list[Finding]:
    return customer_clusters(day) if kind == WarningKind.CUSTOMER_CLUSTER else cause_clusters(day)


def overdue_shares(day: date) -> list[Finding]:
    recent_days = rules.get("warning.overdue.recent_days")
    baseline_days = rules.get("warning.overdue.baseline_days")
    rise = rules.get("warning.overdue.rise_points")
    minimum = rules.get("warning.overdue.min_count")
    recent_first = day - timedelta(days=recent_days - 1)
    baseline_first = recent_first - timedelta(days=baseline_days)
    recent = Q(due_at__gte=day_start(recent_first))
    overdue = Q(overdue_at__isnull=False)
    groups = (Clock.objects.filter(kind__in=OVERDUE_CLOCK_KINDS, due_at__gte=day_start(baseline_first),
                                   due_at__lt=day_start(day + timedelta(days=1)))
              .exclude(complaint__status=Status.MERGED)
              .values(unit_id=F("complaint__unit_id"))
              .annotate(recent=Count("pk", filter=recent), recent_overdue=Count("pk", filter=recent & overdue),
                        earlier=Count("pk", filter=~recent), earlier_overdue=Count("pk", filter=~recent & overdue))
              .filter(recent_overdue__gte=minimum).order_by())
    found = []
    for group in groups:
        share = Decimal(group["recent_overdue"] * 100) / group["recent"]
        earlier = Decimal(group["earlier_overdue"] * 100) / group["earlier"] if group["earlier"] else Decimal(0)
        if share - earlier >= rise:
            found.append(Finding(
                WarningKind.OVERDUE_SHARE, group["unit_id"], day, recent_first, day, round(share, 2),
                min(round(earlier + rise, 2), Decimal(100)), baseline=round(earlier, 4), from_clocks=True,
                complaint_filter=recent & overdue & Q(kind__in=OVERDUE_CLOCK_KINDS, complaint__unit_id=group["unit_id"],
                                                      due_at__lt=day_start(day + timedelta(days=1)))
                & ~Q(complaint__status=Status.MERGED)))
    return found


def findings(day: date) -> list[Finding]:
    return [*rises(day), *customer_clusters(day), *cause_clusters(day),
            *overdue_shares(day)]
