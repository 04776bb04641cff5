"""Weekly rosters: what a planner asks for, the background solve, and the planner's changes to shifts.

The agents of a roster are the active agents of the teams in the queue's unit (and below) who have the
queue's skill. Their work terms (or, without terms, the contract of the rule settings), their absences in the
week (no shift on those days; the contract's hours less a working day's share for each) and the shift templates
that apply to the unit make the problem of `scheduling`; the requirement is the forecast's
agents on the phones per interval (breaks and lunch are placed in the shifts themselves).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import JobStatus
from bankdesk.core.permissions import require_in_scope
from bankdesk.workforce import scheduling
from bankdesk.workforce.audit_actions import WorkforceAction
from bankdesk.workforce.history import local_midnight
from bankdesk.workforce.models import Absence, ForecastInterval, Roster, RosterShift, RosterStatus, ShiftTemplate
from bankdesk.workforce.permissions import WorkforcePermission

SOLVER_WORKERS = 8  # CP-SAT's portfolio of search strategies (they share the machine's cores)


def roster_agents(queue):
    """The agents a roster of `queue` plans: active, in the queue's unit or below, with its skill."""
    from bankdesk.callcenter.models import Agent

    unit = queue.unit
    agents = (Agent.objects.filter(is_active=True, team__unit__path__startswith=unit.path)
              .select_related("user", "team", "work_terms").prefetch_related("work_terms__templates"))
    if queue.skill_id:
        agents = agents.filter(skills=queue.skill_id)
    return agents.order_by("agent_code")


def templates_for(unit) -> list[ShiftTemplate]:
    """Active templates of the whole bank and of the unit or a unit above it."""
    return [template for template in ShiftTemplate.objects.filter(is_active=True).select_related("unit")
            if template.unit is None or unit.path.startswith(template.unit.path)]


def requirement(forecast, week_start: date) -> np.ndarray:
    """Agents on the phones per interval of the week (7 rows); ValidationFailed unless the forecast covers it."""
    per_day = 1440 // forecast.interval_minutes
    start = local_midnight(week_start)
    agents = list(ForecastInterval.objects.filter(
        run=forecast, starts_at__gte=start, starts_at__lt=start + timedelta(days=7))
        .order_by("starts_at").values_list("agents", flat=True))
    if len(agents) != 7 * per_day:
        raise ValidationFailed(_("The forecast does not cover the week from %(day)s.") % {"day": week_start},
                               field="week_start")
    return np.array(agents, dtype=float).reshape(7, per_day)


def request_roster(actor, forecast, week_start: date) -> Roster:
    """Queue a roster of the forecast's queue for the week from `week_start` (a Monday)."""
    from bankdesk.workforce import tasks

    with transaction.atomic():
        roster = create_roster(actor, forecast, week_start)
        transaction.on_commit(lambda: tasks.solve_roster.enqueue(roster.pk))
    return roster


def create_roster(actor, forecast, week_start: date) -> Roster:
    """A roster waiting to be solved (`solve`), audited."""
    require_in_scope(actor, WorkforcePermission.PLAN, forecast.unit)
    if forecast.status != JobStatus.SUCCEEDED:
        raise ValidationFailed(_("Choose a forecast that has finished."), field="forecast")
    if week_start.weekday() != 0:
        raise ValidationFailed(_("A roster week starts on a Monday."), field="week_start")
    requirement(forecast, week_start)
    with transaction.atomic():
        roster = Roster.objects.create(queue=forecast.queue, unit=forecast.unit, forecast=forecast,
                                       week_start=week_start, created_by=actor,
                                       time_limit_seconds=rules.get("workforce.roster_time_limit_seconds"))
        audit.record(WorkforceAction.ROSTER_SOLVE, roster, actor=actor,
                     after={"queue": forecast.queue.code, "week_start": week_start.isoformat(),
                            "forecast": forecast.pk})
    return roster


def absent_days(agent_ids, week_start: date) -> dict[int, frozenset]:
    """Agent id → the days (0 Monday … 6 Sunday) of the week from `week_start` on which an active absence keeps
    the agent off (one query)."""
    week_end = week_start + timedelta(days=6)
    days = defaultdict(set)
    for agent_id, first, last in Absence.objects.filter(
            agent_id__in=list(agent_ids), is_active=True, first_day__lte=week_end, last_day__gte=week_start,
    ).values_list("agent_id", "first_day", "last_day"):
        for day in range((max(first, week_start) - week_start).days, (min(last, week_end) - week_start).days + 1):
            days[agent_id].add(day)
    return {agent_id: frozenset(found) for agent_id, found in days.items()}


def _less_for_absence(minutes: int, absent: int, working_days: int) -> int:
    """A contract's weekly minutes less a working day's share (the week over its working days) per day absent."""
    return max(0, minutes - round(minutes * absent / working_days)) if absent else minutes


def _terms(agent, templates: list[ShiftTemplate], absent: frozenset = frozenset()) -> scheduling.Agent:
    terms = getattr(agent, "work_terms", None)
    working_days = rules.get("workforce.contract_working_days")  # each absent day takes one such day's share
    if terms is None or not terms.is_active:
        hours = _less_for_absence(rules.get("workforce.contract_weekly_hours") * 60, len(absent), working_days)
        return scheduling.Agent(str(agent.pk), hours, hours, absent=absent)
    start, end = terms.window_minutes()
    allowed = {template.code for template in terms.templates.all()}
    least = _less_for_absence(round(terms.min_weekly_hours * 60), len(absent), working_days)
    most = _less_for_absence(round(terms.weekly_hours * 60), len(absent), working_days)
    return scheduling.Agent(str(agent.pk), least, most,
                            windows=tuple((day, start, end) for day in terms.days()),
                            templates=frozenset(allowed) if allowed else None, absent=absent)


def _template(template: ShiftTemplate) -> scheduling.Template:
    def minutes(moment):
        return moment.hour * 60 + moment.minute

    return scheduling.Template(
        template.code, template.length_minutes, minutes(template.earliest_start), minutes(template.latest_start),
        start_step=template.start_step_minutes, lunch_minutes=template.lunch_minutes,
        lunch_earliest=template.lunch_earliest_minutes, lunch_latest=template.lunch_latest_minutes,
        breaks=tuple(template.breaks()))


def problem_of(roster: Roster) -> tuple[scheduling.Problem, dict, dict]:
    """The roster's problem, with the agents and templates by their keys in it."""
    templates = templates_for(roster.unit)
    if not templates:
        raise ValidationFailed(_("No active shift template applies to this unit."))
    agents = {str(agent.pk): agent for agent in roster_agents(roster.queue)}
    if not agents:
        raise ValidationFailed(_("The queue's unit has no active agent with the queue's skill."))
    absent = absent_days([agent.pk for agent in agents.values()], roster.week_start)
    problem = scheduling.Problem(
        roster.forecast.interval_minutes, requirement(roster.forecast, roster.week_start),
        tuple(_template(template) for template in templates),
        tuple(_terms(agent, templates, absent.get(agent.pk, frozenset())) for agent in agents.values()),
        scheduling.Rules(rules.get("workforce.min_days_off_per_week"), rules.get("workforce.min_rest_hours") * 60))
    return problem, agents, {template.code: template for template in templates}


def solve(roster_id: int) -> None:
    """The background work of one roster (tasks.solve_roster)."""
    roster = Roster.objects.select_related("unit", "queue__unit", "forecast").get(pk=roster_id)
    Roster.objects.filter(pk=roster_id).update(status=RosterStatus.SOLVING, progress=1)
    problem, agents, templates = problem_of(roster)
    short = scheduling.unreachable_contracts(problem)
    if short:
        names = "、".join(str(agents[key]) for key in short[:10])
        raise ValidationFailed(_("These agents cannot reach their contracted minimum with their availability "
                                 "and templates: %(names)s.") % {"names": names})

    def report(stage: str, share: float) -> None:
        Roster.objects.filter(pk=roster_id).update(progress=max(1, round(share * 100)))

    solution = scheduling.solve(problem, roster.time_limit_seconds, SOLVER_WORKERS, report)
    if solution.status == "infeasible":
        raise ValidationFailed(_("No roster keeps every agent's contract and the rest rules; check the work terms."))
    _save(roster, solution, agents, templates, problem)


def _at(week_start: date, day: int, minutes: int) -> datetime:
    return local_midnight(week_start + timedelta(days=day)) + timedelta(minutes=minutes)


def _save(roster: Roster, solution: scheduling.Solution, agents: dict, templates: dict, problem) -> None:
    shifts = [RosterShift(
        roster=roster, agent=agents[shift.agent], template=templates[shift.template],
        starts_at=_at(roster.week_start, shift.day, shift.start), ends_at=_at(roster.week_start, shift.day, shift.end),
        lunch_starts_at=_at(roster.week_start, shift.day, shift.lunch_start) if shift.lunch_start is not None else None,
        lunch_minutes=templates[shift.template].lunch_minutes,
        breaks=[[start - shift.start, length] for start, length in shift.breaks]) for shift in solution.shifts]
    with transaction.atomic():
        RosterShift.objects.bulk_create(shifts, batch_size=1000)
        Roster.objects.filter(pk=roster.pk).update(
            status=RosterStatus.DRAFT, progress=100, solver_status=solution.status,
            required_minutes=int(problem.required_minutes().sum()),
            understaffing_minutes=solution.understaffing_minutes, lower_bound_minutes=solution.lower_bound,
            contract_shortfalls={agents[key].pk: minutes for key, minutes in
                                 scheduling.contract_shortfalls(problem, solution.shifts).items()},
            solve_seconds=solution.seconds, finished_at=timezone.now())


def fail(roster_id: int, message: str) -> None:
    Roster.objects.filter(pk=roster_id).update(status=RosterStatus.FAILED, error=message, finished_at=timezone.now())
