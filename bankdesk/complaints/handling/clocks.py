"""The complaint clocks of docs/domain-rules.md §2: when each runs out, when it warns, and keeping them on the record.

A clock of N days runs over the N whole days after the day it starts (working days for a
working-day clock), so it ends at the close of the last one. Its warning comes when the
warning share (rule `clock.warning_percent`) of those days has passed: on a working day for a
working-day clock, never in the middle of a holiday. Clocks of minutes or hours, and the
regulator's own deadline, warn at that share of their wall time.

These functions write clocks inside the calling service's transaction; they check nothing else.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Exists, Min, OuterRef, Subquery, Value, When
from django.utils import timezone

from bankdesk.complaints.models import (
    Clock,
    ClockKind,
    ClockPause,
    ClockState,
    Complaint,
    DeadlineState,
    LimitUnit,
    Severity,
)
from bankdesk.core import bulk, calendar, rules

# The clocks a complaint is on from the moment it is received: the acceptance review, and the statutory decision
# limit, which the regulation counts from receipt (自收到消费投诉之日起), not from acceptance.
RECEIPT_CLOCKS = [ClockKind.ACCEPTANCE, ClockKind.DECISION]
# A regulator's transfer also runs, from receipt, the clock of the feedback owed to the regulator (申诉反馈). It is the
# bank's duty to the regulator, not a handling step: it runs on after the complaint ends (closed, withdrawn, merged,
# not accepted) until the feedback is recorded, and a stop of "all" clocks leaves it alone.
OWED_TO_REGULATOR = [ClockKind.REGULATOR_FEEDBACK]
PAUSABLE = [ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION, ClockKind.REVIEW]
# Clocks the complaint's owner answers for; they set the deadline shown in the work lists.
OWNER_CLOCKS = [ClockKind.ACCEPTANCE, ClockKind.DISPATCH, ClockKind.MAJOR_REPLY, ClockKind.RESOLUTION,
                ClockKind.INTERNAL, ClockKind.DECISION, ClockKind.CALLBACK, ClockKind.REVIEW]
RESOLUTION_RULES = {Severity.MINOR: "complaint.resolution_target_minor_days",
                    Severity.IMPORTANT: "complaint.resolution_target_important_days",
                    Severity.MAJOR: "complaint.resolution_target_major_days"}


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    warn_at: datetime | None
    limit_count: int | None
    limit_unit: str
    provisional: bool = False


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _warning_share() -> float:
    return rules.get("clock.warning_percent") / 100


def _over_days(start: datetime, days: list[date], unit: str, provisional: bool = False) -> Deadline:
    if not days:  # a clock of 0 days runs to the end of its start day
        return _over_wall_time(start, _day_start(timezone.localdate(start) + timedelta(days=1)), 0, unit)
    position = len(days) * _warning_share()
    index = min(int(position), len(days) - 1)
    warn_at = _day_start(days[index]) + timedelta(days=1) * (position - index)
    return Deadline(_day_start(days[-1] + timedelta(days=1)), warn_at, len(days), unit, provisional)


def _over_wall_time(start: datetime, due_at: datetime, count: int | None, unit: str) -> Deadline:
    # A deadline already past at the start (a regulator's transfer accepted late) warns at once with it.
    return Deadline(due_at, min(start + (due_at - start) * _warning_share(), due_at), count, unit)


def calendar_days(start: datetime, days: int) -> Deadline:
    first = timezone.localdate(start)
    return _over_days(start, [first + timedelta(days=n) for n in range(1, days + 1)], LimitUnit.CALENDAR_DAYS)


def working_days(start: datetime, days: int) -> Deadline:
    found, provisional = calendar.load().working_days_after(timezone.localdate(start), days)
    return _over_days(start, found, LimitUnit.WORKING_DAYS, provisional)


def minutes(start: datetime, count: int) -> Deadline:
    return _over_wall_time(start, start + timedelta(minutes=count), count, LimitUnit.MINUTES)


def regulator_deadline(start: datetime, due_at: datetime) -> Deadline:
    return _over_wall_time(start, due_at, None, LimitUnit.EXTERNAL)


def decision_days(complaint: Complaint) -> int:
    """15 days; 30 once extended; 30 more with the further extension, counted from receipt. The rules may shorten
    each, never lengthen it; an extension never shortens the limit, even where the bank's rules set the extended
    limit below the ordinary one."""
    days = rules.get("complaint.decision_calendar_days")
    if complaint.extension_level == 0:
        return days
    days = max(days, rules.get("complaint.extension_total_calendar_days"))
    if complaint.extension_level > 1:
        days += rules.get("complaint.further_extension_calendar_days")
    return days


def deadline(kind: str, complaint: Complaint, start: datetime) -> Deadline:
    if kind == ClockKind.ACCEPTANCE:
        return working_days(start, rules.get("complaint.non_acceptance_notice_working_days"))
    if kind == ClockKind.DISPATCH:
        return minutes(start, rules.get("complaint.dispatch_minutes"))
    if kind == ClockKind.MAJOR_REPLY:
        return calendar_days(start, rules.get("complaint.major_clear_reply_days"))
    if kind == ClockKind.RESOLUTION:
        return calendar_days(start, rules.get(RESOLUTION_RULES[complaint.severity]))
    if kind == ClockKind.INTERNAL:
        days = rules.get("complaint.internal_soft_target_working_days")
        if complaint.extension_level:  # extended: the limit in all, never below the soft target
            days = max(days, rules.get("complaint.internal_max_working_days"))
        return working_days(start, days)
    if kind == ClockKind.DECISION:
        if complaint.external_deadline:
            return regulator_deadline(start, complaint.external_deadline)
        return calendar_days(start, decision_days(complaint))
    if kind == ClockKind.ASSIST:
        return working_days(start, rules.get("complaint.assist_reply_working_days"))
    if kind == ClockKind.CALLBACK:
        return calendar_days(start, rules.get("complaint.callback_calendar_days"))
    if kind == ClockKind.REVIEW:
        return calendar_days(start, rules.get("complaint.review_calendar_days"))
    if kind == ClockKind.REGULATOR_FEEDBACK:  # the regulator's own deadline wins; else the rule, from receipt
        if complaint.external_deadline:
            return regulator_deadline(start, complaint.external_deadline)
        return working_days(start, rules.get("complaint.regulator_feedback_working_days"))
    if kind == ClockKind.BECOMES_MAJOR:
        found = calendar_days(start, rules.get("complaint.unresolved_becomes_major_calendar_days"))
        return Deadline(found.due_at, None, found.limit_count, found.limit_unit)
    raise ValueError(f"unknown clock {kind}")


def next_check(clock: Clock) -> datetime | None:
    """The next moment the sweeper has something to do for this clock."""
    if clock.state != ClockState.RUNNING:
        return None
    if clock.overdue_at is None:
        return clock.warn_at if clock.warn_at and clock.warned_at is None else clock.due_at
    if clock.kind == ClockKind.BECOMES_MAJOR:
        return None
    return (clock.last_chased_at or clock.overdue_at) + timedelta(hours=rules.get("clock.chase_interval_hours"))


class Deadlines:
    """`deadline` for many clocks started together (a batch of registrations), each answer reused where it
    must be the same: a clock of whole days ends and warns at times that depend only on the day it starts
    (and the complaint's severity and extension), a clock of minutes at fixed offsets from its start. The
    regulator's deadline, and a clock of 0 days (it ends with its start day, warning by the wall time), are
    computed each time. Rules and calendar as they were when an answer was first computed: keep one for
    the clocks of one piece of work, not longer."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.by_day: dict[tuple, Deadline] = {}
        self.offsets: dict[str, tuple[Deadline, timedelta, timedelta]] = {}

    def __call__(self, kind: str, complaint: Complaint, start: datetime) -> Deadline:
        if kind in (ClockKind.DECISION, ClockKind.REGULATOR_FEEDBACK) and complaint.external_deadline:
            return deadline(kind, complaint, start)
        if kind in self.offsets:
            found, due_after, warn_after = self.offsets[kind]
            return Deadline(start + due_after, start + warn_after, found.limit_count, found.limit_unit,
                            found.provisional)
        key = (kind, start.astimezone(self.zone).date(), complaint.severity, complaint.extension_level)
        found = self.by_day.get(key)
        if found is None:
            found = deadline(kind, complaint, start)
            if found.limit_unit == LimitUnit.MINUTES:
                self.offsets[kind] = found, found.due_at - start, found.warn_at - start
            elif found.limit_count:
                self.by_day[key] = found
        return found


CLOCKS = bulk.Instances(Clock)


def new_clock(complaint: Complaint, kind: str, at: datetime | None = None, assist_request=None,
              deadlines: Deadlines | None = None) -> Clock:
    """A running clock of `kind` from `at`, not saved yet (a complaint being registered has no key yet)."""
    started_at = at or timezone.now()
    found = (deadlines or deadline)(kind, complaint, started_at)
    clock = CLOCKS.new({"kind": kind, "started_at": started_at, "due_at": found.due_at, "warn_at": found.warn_at,
                        "limit_count": found.limit_count, "limit_unit": found.limit_unit,
                        "provisional": found.provisional},
                       related={"complaint": complaint, "assist_request": assist_request})
    clock.next_check_at = next_check(clock)
    return clock


def receipt_clocks(complaint: Complaint, deadlines: Deadlines | None = None) -> list[Clock]:
    """The running clocks of a complaint being registered, from its receipt; not saved (it has no key yet)."""
    kinds = RECEIPT_CLOCKS + (OWED_TO_REGULATOR if complaint.is_regulator_transfer else [])
    return [new_clock(complaint, kind, at=complaint.received_at, deadlines=deadlines) for kind in kinds]


def start(complaint: Complaint, kind: str, at: datetime | None = None, assist_request=None) -> Clock:
    clock = new_clock(complaint, kind, at, assist_request)
    clock.save()
    return clock


def stop(complaint: Complaint, kinds=None, assist_request=None, at: datetime | None = None) -> int:
    """Stop the complaint's live clocks (of `kinds`, or all its handling clocks); returns how many stopped.

    A clock stopped while paused keeps the time it stood still, so whether it was met stays right. The feedback
    owed to the regulator stops only when named: recording the feedback stops it, nothing in the handling does.
    """
    at = at or timezone.now()
    clocks = Clock.objects.filter(complaint=complaint, state__in=[ClockState.RUNNING, ClockState.PAUSED])
    if kinds is not None:
        clocks = clocks.filter(kind__in=kinds)
    else:
        clocks = clocks.exclude(kind__in=OWED_TO_REGULATOR)
    if assist_request is not None:
        clocks = clocks.filter(assist_request=assist_request)
    for clock in clocks.filter(state=ClockState.PAUSED):
        _add_time_paused(clock, at)
        clock.save(update_fields=["due_at", "warn_at", "paused_seconds", "paused_at"])
    return clocks.update(state=ClockState.STOPPED, stopped_at=at, next_check_at=None)


def extend(complaint: Complaint, kinds) -> None:
    """Recompute running clocks after an extension: same start, the new limit, time paused added back."""
    now = timezone.now()
    for clock in Clock.objects.filter(complaint=complaint, kind__in=kinds,
                                      state__in=[ClockState.RUNNING, ClockState.PAUSED]):
        found = deadline(clock.kind, complaint, clock.started_at)
        paused = timedelta(seconds=clock.paused_seconds)
        clock.due_at, clock.limit_count, clock.limit_unit = found.due_at + paused, found.limit_count, found.limit_unit
        clock.warn_at = found.warn_at + paused if found.warn_at else None
        clock.provisional = found.provisional
        if clock.overdue_at and clock.due_at > now:  # the new limit has not run out: no longer overdue
            clock.overdue_at = None
        if clock.warn_at and clock.warn_at > now:
            clock.warned_at = None
        clock.next_check_at = next_check(clock)
        clock.save()


def pause(complaint: Complaint, at: datetime, *, reason, note: str, actor, notice=None) -> None:
    """The pausable clocks stand still from `at`, with the pause (and the customer's notice) on the record."""
    ClockPause.objects.create(complaint=complaint, reason=reason, note=note, started_at=at, started_by=actor,
                              notice=notice)
    Clock.objects.filter(complaint=complaint, kind__in=PAUSABLE, state=ClockState.RUNNING).update(
        state=ClockState.PAUSED, paused_at=at, next_check_at=None)
    complaint.paused_since = at


def _add_time_paused(clock: Clock, at: datetime) -> None:
    # Whole seconds, as `paused_seconds` keeps them: `extend` recomputes the deadline from the limit plus
    # `paused_seconds`, so the deadline must have moved by exactly that much.
    stood = timedelta(seconds=int((at - clock.paused_at).total_seconds()))
    clock.due_at += stood
    clock.warn_at = clock.warn_at + stood if clock.warn_at else None
    clock.paused_seconds += int(stood.total_seconds())
    clock.paused_at = None


def resume(complaint: Complaint, at: datetime, actor) -> None:
    """Paused clocks run again; their warning and deadline move by the time they stood still."""
    for clock in Clock.objects.filter(complaint=complaint, state=ClockState.PAUSED):
        _add_time_paused(clock, at)
        clock.state = ClockState.RUNNING
        clock.next_check_at = next_check(clock)
        clock.save()
    end_pause(complaint, at, actor)


def end_pause(complaint: Complaint, at: datetime, actor=None) -> None:
    """Close the open pause on the record (resumed by `actor`, or ended because its clocks stopped)."""
    if complaint.paused_since is not None:
        ClockPause.objects.filter(complaint=complaint, ended_at__isnull=True).update(ended_at=at, ended_by=actor)
        complaint.paused_since = None


def refresh_complaint(complaint: Complaint) -> None:
    """Keep the complaint's nearest deadline and its state for the work lists."""
    refresh_complaints([complaint.pk])
    complaint.current_deadline, complaint.deadline_state = Complaint.objects.filter(pk=complaint.pk).values_list(
        "current_deadline", "deadline_state").get()


def refresh_complaints(complaint_ids) -> None:
    """The same for many complaints, in one UPDATE computed by the database."""
    live = Clock.objects.filter(complaint=OuterRef("pk"), kind__in=OWNER_CLOCKS,
                                state__in=[ClockState.RUNNING, ClockState.PAUSED])
    Complaint.objects.filter(pk__in=complaint_ids).update(
        current_deadline=Subquery(live.order_by().values("complaint").annotate(nearest=Min("due_at"))
                                  .values("nearest")[:1]),
        deadline_state=Case(When(Exists(live.filter(overdue_at__isnull=False)), then=Value(DeadlineState.OVERDUE)),
                            When(Exists(live.filter(warned_at__isnull=False)), then=Value(DeadlineState.WARNED)),
                            default=Value(DeadlineState.ON_TIME)))


def clock_state(clock: Clock, now: datetime | None = None) -> str:
    """How a clock reads on screen: ok, warned, overdue, paused, met or late."""
    now = now or timezone.now()
    if clock.state == ClockState.STOPPED:
        return "met" if clock.met else "late"
    if clock.state == ClockState.PAUSED:
        return "paused"
    if clock.overdue_at or now >= clock.due_at:
        return "overdue"
    if clock.warned_at or (clock.warn_at and now >= clock.warn_at):
        return "warned"
    return "ok"


def end_clocks(complaint: Complaint) -> None:
    """The complaint is finished (refused, merged, withdrawn, closed): no handling clock runs on (the feedback
    owed to a regulator still does, until it is recorded)."""
    now = timezone.now()
    stop(complaint, at=now)
    end_pause(complaint, now)
    refresh_complaint(complaint)
