"""Call-center indicators from the interval statistics: the database sums, Python divides sums.

Every figure of a period is a ratio of sums over its intervals, never an average of interval ratios
(an average of ratios gives a quiet night interval the weight of a busy morning):

- service level (服务水平) = answered within the target time / offered (seed 004: 在限定时间内人工应答
  呼叫总量占人工请求呼叫总量的比例)
- abandonment rate = abandoned / offered; answer rate = answered / offered
- average speed of answer (ASA) = waiting time of answered calls / answered
- average handle time (AHT) = handle time / answered
- occupancy = (talking + after-call work) / (talking + after-call work + available)
- agents in a state = agent-seconds in that state / the interval's seconds

A figure whose denominator is zero is None (shown as "—"), not 0.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from bankdesk.callcenter.models import IntervalStat, Queue
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.permissions import require, scope_q

SUMMED = ("offered", "answered", "answered_within_threshold", "abandoned", "handle_time_seconds",
          "answer_wait_seconds", "staffed_seconds", "available_seconds", "talk_seconds", "wrap_seconds",
          "not_ready_seconds")
PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
STATES = ("staffed", "available", "talk", "wrap", "not_ready")


def _ratio(part, whole, scale: int = 1, places: str = "0.1") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * scale / Decimal(whole)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The sums of a set of intervals and the indicators computed from them."""

    offered: int = 0
    answered: int = 0
    answered_within_threshold: int = 0
    abandoned: int = 0
    handle_time_seconds: int = 0
    answer_wait_seconds: int = 0
    staffed_seconds: int = 0
    available_seconds: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    not_ready_seconds: int = 0

    @classmethod
    def of(cls, sums: dict) -> "Figures":
        return cls(**{name: int(sums.get(name) or 0) for name in SUMMED})

    @property
    def service_level(self) -> Decimal | None:
        return _ratio(self.answered_within_threshold, self.offered, 100)

    @property
    def abandonment_rate(self) -> Decimal | None:
        return _ratio(self.abandoned, self.offered, 100)

    @property
    def answer_rate(self) -> Decimal | None:
        return _ratio(self.answered, self.offered, 100)

    @property
    def average_speed_of_answer(self) -> Decimal | None:
        return _ratio(self.answer_wait_seconds, self.answered)

    @property
    def average_handle_time(self) -> Decimal | None:
        return _ratio(self.handle_time_seconds, self.answered)

    @property
    def occupancy(self) -> Decimal | None:
        busy = self.talk_seconds + self.wrap_seconds
        return _ratio(busy, busy + self.available_seconds, 100)

    def as_dict(self) -> dict:
        return {**{name: getattr(self, name) for name in SUMMED}, **{name: getattr(self, name) for name in (
            "service_level", "abandonment_rate", "answer_rate", "average_speed_of_answer", "average_handle_time",
            "occupancy")}}


def agents_in_states(stat: IntervalStat) -> dict[str, Decimal | None]:
    """The average number of agents in each state during one interval."""
    seconds = stat.length_minutes * 60
    return {state: _ratio(getattr(stat, f"{state}_seconds"), seconds) for state in STATES}


def queues(user):
    """The active queues the user may see."""
    require(user, CallcenterPermission.VIEW)
    return Queue.objects.filter(scope_q(user, CallcenterPermission.VIEW, "unit__path"), is_active=True)


def intervals(user, *, queue: Queue | None = None, start: datetime | None = None, end: datetime | None = None):
    """The interval statistics the user may see, of one queue or all, starting in [start, end)."""
    require(user, CallcenterPermission.VIEW)
    found = IntervalStat.objects.filter(scope_q(user, CallcenterPermission.VIEW, "queue__unit__path"))
    if queue is not None:
        found = found.filter(queue=queue)
    if start is not None:
        found = found.filter(interval_start__gte=start)
    if end is not None:
        found = found.filter(interval_start__lt=end)
    return found


def _sums():
    return {name: Sum(name) for name in SUMMED}


def totals(found) -> Figures:
    return Figures.of(found.aggregate(**_sums()))


def series(found, period: str) -> list[tuple[date, Figures]]:
    """One row per day, week (from Monday) or month of local time: one GROUP BY query."""
    bucket = PERIODS[period]("interval_start", tzinfo=timezone.get_current_timezone())
    rows = found.order_by().annotate(bucket=bucket).values("bucket").annotate(**_sums()).order_by("bucket")
    return [(_day(row["bucket"]), Figures.of(row)) for row in rows]


def _day(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def default_range(period: str, today: date) -> tuple[date, date]:
    """The days a KPI page shows when no dates are given: 30 days, 12 weeks or 12 months, today included."""
    if period == "week":
        return today - timedelta(days=today.weekday() + 7 * 11), today
    if period == "month":
        first = today.replace(day=1)
        return date(first.year - 1 + (first.month // 12), first.month % 12 + 1, 1), today
    return today - timedelta(days=29), today


@dataclass
class QueueBoard:
    queue: Queue
    today: Figures
    latest: IntervalStat | None

    @property
    def agents(self) -> dict:
        return agents_in_states(self.latest) if self.latest else {}

    @property
    def meets_target(self) -> bool | None:
        level = self.today.service_level
        return None if level is None else level >= self.queue.service_level_percent


def wallboard(user, now: datetime | None = None) -> list[QueueBoard]:
    """Per visible queue: today's figures so far and its latest interval (waiting, agents by state).

    Three queries whatever the number of queues: the queues with their latest interval's id, today's
    sums per queue, and those latest intervals."""
    now = now or timezone.now()
    visible = list(queues(user).annotate(latest_id=Subquery(
        IntervalStat.objects.filter(queue=OuterRef("pk"), interval_start__lte=now)
        .order_by("-interval_start").values("pk")[:1])))
    today = local_day_start(timezone.localtime(now).date())
    sums = (IntervalStat.objects.filter(queue__in=[queue.pk for queue in visible], interval_start__gte=today,
                                        interval_start__lte=now)
            .values("queue").annotate(**_sums()).order_by())
    by_queue = {row["queue"]: Figures.of(row) for row in sums}
    latest = IntervalStat.objects.in_bulk([queue.latest_id for queue in visible if queue.latest_id])
    return [QueueBoard(queue, by_queue.get(queue.pk, Figures()), latest.get(queue.latest_id)) for queue in visible]


def combined(boards: list[QueueBoard]) -> Figures:
    """Today's figures of every queue on the board together."""
    return Figures(**{name: sum(getattr(board.today, name) for board in boards) for name in SUMMED})


def below_target(found):
    """The intervals whose service level fell below their queue's target (for the pre-shift briefing)."""
    return found.filter(offered__gt=0).alias(
        in_time=ExpressionWrapper(F("answered_within_threshold") * 100, output_field=DecimalField()),
        needed=ExpressionWrapper(F("offered") * F("queue__service_level_percent"), output_field=DecimalField()),
    ).filter(in_time__lt=F("needed"))
