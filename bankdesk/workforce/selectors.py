"""Reads of the workforce app, always within the user's scope."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db.models import Q
from django.utils import timezone

from bankdesk.core.errors import NotFound
from bankdesk.core.models import JobStatus
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import has_permission, require, scope_q
from bankdesk.workforce.history import local_midnight
from bankdesk.workforce.models import Absence, ForecastInterval, ForecastRun, Roster, RosterShift, RosterStatus
from bankdesk.workforce.permissions import WorkforcePermission
from bankdesk.workforce.rostering import requirement

P = WorkforcePermission


def queues(user, permission: str = P.VIEW):
    from bankdesk.callcenter.models import Queue

    return Queue.objects.filter(scope_q(user, permission, "unit__path"), is_active=True).select_related("unit")


def queue(user, queue_id: int, permission: str = P.VIEW):
    found = queues(user, permission).filter(pk=queue_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class ListFilter:
    queue: int | None = None
    status: str = ""
    sort: str = ""


FORECAST_SORTS = {"created_at": ("created_at", "id"), "first_day": ("first_day", "id"), "queue": ("queue__code", "id")}
ROSTER_SORTS = {"week_start": ("week_start", "id"), "created_at": ("created_at", "id"), "queue": ("queue__code", "id")}


def _filtered(rows, filters: ListFilter):
    if filters.queue:
        rows = rows.filter(queue_id=filters.queue)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows


def forecasts(user, filters: ListFilter = ListFilter()):
    rows = ForecastRun.objects.filter(scope_q(user, P.VIEW, "unit__path")).select_related("queue", "created_by")
    return _filtered(rows, filters).order_by(*ordering(filters.sort, FORECAST_SORTS, "-created_at"))


def forecast(user, run_id: int) -> ForecastRun:
    found = forecasts(user).filter(pk=run_id).select_related("unit").first()
    if found is None:
        raise NotFound()
    return found


def rosters(user, filters: ListFilter = ListFilter()):
    rows = Roster.objects.filter(scope_q(user, P.VIEW, "unit__path")).select_related("queue", "created_by")
    return _filtered(rows, filters).order_by(*ordering(filters.sort, ROSTER_SORTS, "-week_start"))


def roster(user, roster_id: int) -> Roster:
    found = rosters(user).filter(pk=roster_id).select_related("unit", "forecast", "queue__unit").first()
    if found is None:
        raise NotFound()
    return found


def shift(user, shift_id: int) -> RosterShift:
    found = (RosterShift.objects.filter(scope_q(user, P.VIEW, "roster__unit__path"), pk=shift_id)
             .select_related("roster__unit", "roster__queue__unit", "agent__user").first())
    if found is None:
        raise NotFound()
    return found


def intervals(run: ForecastRun, day: date | None = None):
    rows = ForecastInterval.objects.filter(run=run)
    if day is not None:
        start = local_midnight(day)
        rows = rows.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return rows.order_by("starts_at")


def daily_requirement(run: ForecastRun) -> list[dict]:
    """Per day: contacts, peak agents on the phones and to roster, agent-hours on the phones."""
    by_day: dict[date, dict] = {}
    for starts_at, calls, agents, scheduled in intervals(run).values_list(
            "starts_at", "calls", "agents", "scheduled_agents"):
        day = by_day.setdefault(timezone.localtime(starts_at).date(),
                                {"calls": 0.0, "peak_agents": 0, "peak_scheduled": 0, "agent_hours": 0.0})
        day["calls"] += calls
        day["peak_agents"] = max(day["peak_agents"], agents)
        day["peak_scheduled"] = max(day["peak_scheduled"], scheduled)
        day["agent_hours"] += agents * run.interval_minutes / 60
    return [{"date": day, **values} for day, values in sorted(by_day.items())]


def _on_phone(minutes: np.ndarray, shift: RosterShift, week_start) -> None:
    origin = local_midnight(week_start)
    start = int((shift.starts_at - origin).total_seconds() // 60)
    end = int((shift.ends_at - origin).total_seconds() // 60)
    on = np.zeros(max(0, end - start), dtype=int) + 1
    if shift.lunch_starts_at is not None:
        lunch = int((shift.lunch_starts_at - shift.starts_at).total_seconds() // 60)
        on[lunch: lunch + shift.lunch_minutes] = 0
    for offset, length in shift.breaks:
        on[offset: offset + length] = 0
    low, high = max(start, 0), min(end, minutes.size)
    if low < high:
        minutes[low:high] += on[low - start: high - start]


@dataclass(frozen=True)
class Coverage:
    interval_minutes: int
    required: np.ndarray  # agents on the phones per interval, (7, intervals per day)
    covered: np.ndarray  # rostered agents on the phones (fractional where a break takes part of an interval)

    @property
    def understaffing_minutes(self) -> int:
        short = np.maximum(self.required - self.covered, 0) * self.interval_minutes
        return int(np.rint(short).sum())

    @property
    def required_minutes(self) -> int:
        return int(self.required.sum() * self.interval_minutes)


def coverage(roster: Roster) -> Coverage:
    """The requirement of the roster's week against its active shifts, as they are now."""
    required = requirement(roster.forecast, roster.week_start)
    minutes = np.zeros(7 * 1440, dtype=int)
    for row in RosterShift.objects.filter(roster=roster, is_active=True).only(
            "starts_at", "ends_at", "lunch_starts_at", "lunch_minutes", "breaks"):
        _on_phone(minutes, row, roster.week_start)
    step = roster.forecast.interval_minutes
    covered = minutes.reshape(-1, step).sum(axis=1) / step
    return Coverage(step, required, covered.reshape(7, -1))


def roster_shifts(roster: Roster):
    return (RosterShift.objects.filter(roster=roster).select_related("agent__user", "template")
            .order_by("agent__agent_code", "starts_at"))


def own_shifts(user, first_day: date, days: int = 28):
    """The user's shifts in published rosters from `first_day`."""
    start = local_midnight(first_day)
    return (RosterShift.objects.filter(
        agent__user=user, is_active=True, roster__status=RosterStatus.PUBLISHED,
        starts_at__gte=start, starts_at__lt=start + timedelta(days=days))
        .select_related("roster__queue", "template").order_by("starts_at"))


def may_plan(user, unit) -> bool:
    return has_permission(user, P.PLAN, unit)


def successful_forecasts(user, queue_id: int | None = None):
    rows = forecasts(user).filter(status=JobStatus.SUCCEEDED)
    return rows.filter(queue_id=queue_id) if queue_id else rows


def contract_shortfalls(roster: Roster) -> list[tuple]:
    """(agent, hours a week) of the agents the solver left below their contract's minimum."""
    from bankdesk.callcenter.models import Agent

    if not roster.contract_shortfalls:
        return []
    agents = Agent.objects.select_related("user").in_bulk([int(key) for key in roster.contract_shortfalls])
    return [(agents[int(key)], minutes / 60) for key, minutes in roster.contract_shortfalls.items()
            if int(key) in agents]


# --- Absences ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AbsenceFilter:
    q: str = ""  # in the agent ID, username or name
    team: object = None  # a callcenter Team
    kind: str = ""
    active: str = ""  # "", "yes", "no"
    date_from: date | None = None  # absences that reach this day or later
    date_to: date | None = None  # absences that begin by this day
    sort: str = "-first_day"


ABSENCE_SORTS = {"first_day": ("first_day", "id"), "agent": ("agent__agent_code", "first_day", "id"),
                 "kind": ("kind", "first_day", "id"), "updated_at": ("updated_at", "id")}


def absences(user, filters: AbsenceFilter = AbsenceFilter()):
    """The absences of agents whose team's unit lies in the user's scope, with agent, team and author (one query)."""
    require(user, P.VIEW)
    rows = Absence.objects.filter(scope_q(user, P.VIEW, "unit__path")).select_related(
        "agent__user", "agent__team", "created_by")
    if filters.q.strip():
        words = filters.q.strip()
        rows = rows.filter(Q(agent__agent_code__icontains=words) | Q(agent__user__username__icontains=words)
                           | Q(agent__user__display_name__icontains=words))
    if filters.team:
        rows = rows.filter(agent__team=filters.team)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.active in ("yes", "no"):
        rows = rows.filter(is_active=filters.active == "yes")
    if filters.date_from:
        rows = rows.filter(last_day__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(first_day__lte=filters.date_to)
    return rows.order_by(*ordering(filters.sort, ABSENCE_SORTS, "-first_day"))


def absence(user, absence_id: int) -> Absence:
    found = absences(user).filter(pk=absence_id).first()
    if found is None:
        raise NotFound()
    return found
