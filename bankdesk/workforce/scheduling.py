"""A week's roster with OR-Tools CP-SAT: shifts that cover the staffing requirement at least understaffing.

Plain data in, plain data out (the services read and write the database around it).

The model. Each agent works at most one shift a day; a shift is a template (length, allowed start
times, short breaks at fixed offsets, a lunch of given length placed within a window) at one start
time, on a day the template and the agent's availability allow. Per agent: paid minutes (length
minus lunch) within the contract's weekly range, at least `min_days_off` days off, at least
`min_rest_minutes` between the end of one shift and the start of the next. Understaffing is counted
in agent-minutes per interval: required agents × interval length minus the minutes agents are on
the phones in it (breaks and lunch are off the phones). The objective is the sum of understaffing.

Lunches do not touch any per-agent rule, so they are placed in aggregate: the model chooses how
many of the agents on a shift take lunch at each offset; they are handed to the agents on that
shift afterwards. That keeps the per-agent variables to one per (agent, day, template, start).

The lower bound reported next to the result is the linear relaxation of the same model with the
agents of identical terms pooled and the rest rule dropped (GLOP); CP-SAT's own bound is reported too.
"""

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

DAY = 1440
WEEK_DAYS = 7


@dataclass(frozen=True)
class Template:
    key: str
    length: int  # minutes from start to end, lunch included
    earliest_start: int  # minutes after midnight
    latest_start: int
    start_step: int = 30
    lunch_minutes: int = 0
    lunch_earliest: int = 0  # offset of the lunch from the start
    lunch_latest: int = 0
    lunch_step: int = 30
    breaks: tuple = ()  # (offset, minutes) of paid short breaks
    weekdays: frozenset = frozenset(range(7))

    @property
    def paid_minutes(self) -> int:
        return self.length - self.lunch_minutes

    def starts(self) -> range:
        return range(self.earliest_start, self.latest_start + 1, self.start_step)

    def lunch_offsets(self) -> list[int]:
        if not self.lunch_minutes:
            return [0]
        return list(range(self.lunch_earliest, self.lunch_latest + 1, self.lunch_step))


@dataclass(frozen=True)
class Agent:
    key: str
    min_minutes: int  # paid minutes a week
    max_minutes: int
    windows: tuple = ()  # (day 0..6, from, to) minutes of that day when available; empty: any time
    templates: frozenset | None = None  # allowed template keys; None: all

    def can_work(self, day: int, template: Template, start: int) -> bool:
        if self.templates is not None and template.key not in self.templates:
            return False
        if not self.windows:
            return True
        end = start + template.length
        return any(d == day and lo <= start and end <= hi for d, lo, hi in self.windows)

    def pool_key(self) -> tuple:
        return self.min_minutes, self.max_minutes, self.windows, self.templates


@dataclass(frozen=True)
class Rules:
    min_days_off: int = 2
    min_rest_minutes: int = 660


@dataclass(frozen=True)
class Problem:
    interval_minutes: int
    requirement: np.ndarray  # agents required, shape (7, intervals per day)
    templates: tuple
    agents: tuple
    rules: Rules = field(default_factory=Rules)

    @property
    def per_day(self) -> int:
        return DAY // self.interval_minutes

    def required_minutes(self) -> np.ndarray:
        return np.rint(self.requirement.reshape(-1) * self.interval_minutes).astype(int)


@dataclass(frozen=True)
class Shift:
    agent: str
    day: int
    template: str
    start: int  # minutes after midnight of `day`
    end: int  # may pass midnight (above 1440)
    lunch_start: int | None
    breaks: tuple


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal", "feasible" or "infeasible"
    shifts: list
    coverage: np.ndarray  # agents on the phones per interval (minutes / interval length), shape (7, per day)
    understaffing_minutes: int
    solver_bound: float
    lower_bound: float
    seconds: float

    @property
    def gap(self) -> float:
        """Understaffing above the lower bound, as a share of the lower bound (0 when both are 0)."""
        if self.understaffing_minutes <= self.lower_bound:
            return 0.0
        return (self.understaffing_minutes - self.lower_bound) / max(self.lower_bound, 1.0)


def on_phone_minutes(template: Template, day: int, start: int, lunch: int, interval: int) -> dict[int, int]:
    """Minutes on the phones per interval of the week (later intervals than the week's are dropped)."""
    minute = np.ones(template.length, dtype=bool)
    if template.lunch_minutes:
        minute[lunch: lunch + template.lunch_minutes] = False
    for offset, length in template.breaks:
        minute[offset: offset + length] = False
    first = day * DAY + start
    slots = (first + np.nonzero(minute)[0]) // interval
    slots = slots[slots < WEEK_DAYS * DAY // interval]
    counts = np.bincount(slots - slots.min(), minlength=1) if slots.size else np.array([], dtype=int)
    base = int(slots.min()) if slots.size else 0
    return {base + n: int(c) for n, c in enumerate(counts) if c}


@dataclass(frozen=True)
class _Placement:
    day: int
    template: Template
    start: int
    lunch: int


def _placements(problem: Problem) -> dict[tuple, list[_Placement]]:
    """(day, template key, start) → its lunch placements."""
    shifts = defaultdict(list)
    for template in problem.templates:
        for day in range(WEEK_DAYS):
            if day not in template.weekdays:
                continue
            for start in template.starts():
                for lunch in template.lunch_offsets():
                    shifts[(day, template.key, start)].append(_Placement(day, template, start, lunch))
    return shifts


class _Assignment:
    """Hands the pooled solution's shifts to agents: each agent's rules kept, as many shift-minutes as possible."""

    def __init__(self, problem: Problem, pooled: "_Pooled", solution: dict):
        self.problem, self.pooled = problem, pooled
        self.chosen = {shift: n for shift, n in solution.items() if n > 0}  # (pool, day, key, start) → agents
        self.model = cp_model.CpModel()
        self.works = {}  # (agent index, day, key, start) → BoolVar
        self.by_shift = defaultdict(list)  # (pool, day, key, start) → BoolVars

    def build(self) -> None:
        pool_of = {key: pool for pool, (agent, _size) in enumerate(self.pooled.pools) for key in [agent.pool_key()]}
        for index, agent in enumerate(self.problem.agents):
            self._agent(index, agent, pool_of[agent.pool_key()])
        for shift, assigned in self.by_shift.items():
            self.model.Add(sum(assigned) <= self.chosen[shift])
        templates = self.pooled.templates
        self.model.Maximize(sum(var * templates[key].paid_minutes for (_i, _d, key, _s), var in self.works.items()))

    def _agent(self, index: int, agent: Agent, pool: int) -> None:
        days = defaultdict(list)
        for (member_of, day, key, start) in self.chosen:
            if member_of != pool:
                continue
            var = self.model.NewBoolVar("")
            self.works[(index, day, key, start)] = var
            self.by_shift[(pool, day, key, start)].append(var)
            days[day].append((var, self.pooled.templates[key], start))
        working = {day: self._one_a_day(shifts) for day, shifts in days.items()}
        self.model.Add(sum(working.values()) <= WEEK_DAYS - self.problem.rules.min_days_off)
        paid = sum(var * template.paid_minutes for shifts in days.values() for var, template, _s in shifts)
        self.model.AddLinearConstraint(paid, agent.min_minutes, agent.max_minutes)
        for day in days:
            if day + 1 in days:
                self._rest(days[day], days[day + 1], working[day], working[day + 1])

    def _one_a_day(self, shifts: list) -> cp_model.IntVar:
        working = self.model.NewBoolVar("")
        self.model.Add(sum(var for var, _t, _s in shifts) == working)
        return working

    def _rest(self, today: list, tomorrow: list, works_today, works_tomorrow) -> None:
        end = sum(var * (start + template.length) for var, template, start in today)
        start = sum(var * start for var, _template, start in tomorrow)
        self.model.Add(start + DAY - end >= self.problem.rules.min_rest_minutes).OnlyEnforceIf(
            [works_today, works_tomorrow])


def _coverage_terms(problem: Problem, counts: dict) -> dict[int, list]:
    """Interval → the (count × minutes) terms of the placements on the phones in it."""
    terms = defaultdict(list)
    for placement, count in counts.items():
        minutes = on_phone_minutes(placement.template, placement.day, placement.start, placement.lunch,
                                   problem.interval_minutes)
        for slot, length in minutes.items():
            terms[slot].append(count * length)
    return terms


class _Stop(cp_model.CpSolverSolutionCallback):
    """Stops the hand-out once every chosen shift has an agent (nothing better exists)."""

    def __init__(self, everything: int):
        super().__init__()
        self.everything = everything

    def on_solution_callback(self) -> None:
        if self.ObjectiveValue() >= self.everything:
            self.StopSearch()


FINISHING_SECONDS = 1.0  # kept back from the time limit to read the result out
POOLED_GAP = 0.002  # the pooled stage stops within 0.2% of its bound


def solve(problem: Problem, time_limit_seconds: float, workers: int = 8, report=None) -> Solution:
    """The best roster found within the time limit: pooled shifts (half the time), then handed to agents.

    `report(stage, share)` is called as the stages start ("bound", "pooled", "assignment")."""
    began, say = time.monotonic(), report or (lambda stage, share: None)
    deadline = began + max(time_limit_seconds - FINISHING_SECONDS, 0.2)
    say("bound", 0.0)
    bound = lower_bound(problem)
    say("pooled", 0.05)
    pooled = _Pooled(problem, integer=True)
    pooled.build()
    if not pooled.solve(max(0.1, (deadline - time.monotonic()) / 2), workers):
        return Solution("infeasible", [], np.zeros(problem.requirement.shape), 0, 0.0, bound,
                        time.monotonic() - began)
    say("assignment", 0.5)
    chosen = {shift: round(var.solution_value()) for shift, var in pooled.shifts.items()}
    shifts = _hand_out(problem, pooled, chosen, deadline, workers)
    coverage = coverage_of(problem, shifts)
    under = understaffing_minutes(problem, coverage)
    status = "optimal" if under <= math.ceil(bound - 1e-6) else "feasible"
    return Solution(status, shifts, coverage, under, pooled.solver.Objective().BestBound(), bound,
                    time.monotonic() - began)


def _hand_out(problem: Problem, pooled: "_Pooled", chosen: dict, deadline: float, workers: int) -> list[Shift]:
    assignment = _Assignment(problem, pooled, chosen)
    assignment.build()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = workers
    everything = sum(n * pooled.templates[key].paid_minutes for (_p, _d, key, _s), n in assignment.chosen.items())
    if solver.Solve(assignment.model, _Stop(everything)) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    lunches = {placement: round(var.solution_value()) for placement, var in pooled.counts.items()}
    shifts = []
    for (index, day, key, start), var in sorted(assignment.works.items(), key=lambda item: item[0]):
        if solver.Value(var):
            shifts.append(_shift(problem.agents[index], pooled, lunches, day, key, start))
    return shifts


def _shift(agent: Agent, pooled: "_Pooled", lunches: dict, day: int, key: str, start: int) -> Shift:
    """The agent's shift, with the next lunch placement the pooled solution chose for it."""
    template = pooled.templates[key]
    placements = pooled.placements[(day, key, start)]
    placement = next((p for p in placements if lunches[p] > 0), placements[0])
    lunches[placement] -= 1
    return Shift(agent.key, day, key, start, start + template.length,
                 start + placement.lunch if template.lunch_minutes else None,
                 tuple((start + offset, length) for offset, length in template.breaks))


def coverage_of(problem: Problem, shifts: list[Shift]) -> np.ndarray:
    """Agents on the phones per interval (fractional where a break or lunch takes part of it)."""
    templates = {template.key: template for template in problem.templates}
    minutes = np.zeros(WEEK_DAYS * problem.per_day)
    for shift in shifts:
        template = templates[shift.template]
        lunch = (shift.lunch_start - shift.start) if shift.lunch_start is not None else 0
        for slot, length in on_phone_minutes(template, shift.day, shift.start, lunch,
                                             problem.interval_minutes).items():
            minutes[slot] += length
    return (minutes / problem.interval_minutes).reshape(WEEK_DAYS, problem.per_day)


def understaffing_minutes(problem: Problem, coverage: np.ndarray) -> int:
    """Required agent-minutes not covered, summed over the week's intervals."""
    covered = np.rint(coverage.reshape(-1) * problem.interval_minutes)
    return int(np.maximum(problem.required_minutes() - covered, 0).sum())


def _pools(agents: tuple) -> list[tuple[Agent, int]]:
    """Agents of identical terms, as (one of them, how many)."""
    pools = defaultdict(list)
    for agent in agents:
        pools[agent.pool_key()].append(agent)
    return [(members[0], len(members)) for members in pools.values()]


class _Pooled:
    """The roster with agents of identical terms pooled: how many of each pool work each shift.

    As an LP (GLOP) it gives the lower bound; with integers (CP-SAT) the shifts to hand out."""

    def __init__(self, problem: Problem, integer: bool):
        self.problem, self.integer = problem, integer
        self.solver = pywraplp.Solver.CreateSolver("CP_SAT" if integer else "GLOP")
        self.placements = _placements(problem)
        self.templates = {template.key: template for template in problem.templates}
        self.pools = _pools(problem.agents)
        self.shifts = {}  # (pool, day, key, start) → var
        self.counts = {}  # _Placement → var
        self.under = []

    def var(self, upper):
        return (self.solver.IntVar if self.integer else self.solver.NumVar)(0, upper, "")

    def build(self) -> None:
        for pool, (agent, size) in enumerate(self.pools):
            self._pool(pool, agent, size)
        self._lunches()
        terms = _coverage_terms(self.problem, self.counts)
        for slot, required in enumerate(self.problem.required_minutes()):
            under = self.var(int(required))
            self.solver.Add(sum(terms[slot]) + under >= int(required))
            self.under.append(under)
        self.solver.Minimize(sum(self.under))

    def _pool(self, pool: int, agent: Agent, size: int) -> None:
        by_day, paid = defaultdict(list), []
        for day, key, start in self.placements:
            if agent.can_work(day, self.templates[key], start):
                var = self.var(size)
                self.shifts[(pool, day, key, start)] = var
                by_day[day].append(var)
                paid.append(var * self.templates[key].paid_minutes)
        for shifts in by_day.values():
            self.solver.Add(sum(shifts) <= size)
        working_days = WEEK_DAYS - self.problem.rules.min_days_off
        self.solver.Add(sum(var for shifts in by_day.values() for var in shifts) <= size * working_days)
        self.solver.Add(sum(paid) <= size * agent.max_minutes)
        self.solver.Add(sum(paid) >= size * agent.min_minutes)

    def _lunches(self) -> None:
        assigned = defaultdict(list)
        for (_pool, day, key, start), var in self.shifts.items():
            assigned[(day, key, start)].append(var)
        for shift, vars_ in assigned.items():
            counts = [self.var(self.solver.infinity()) for _p in self.placements[shift]]
            self.counts.update(zip(self.placements[shift], counts))
            self.solver.Add(sum(counts) == sum(vars_))

    def solve(self, seconds: float | None = None, workers: int = 8) -> bool:
        if seconds is not None:
            self.solver.SetTimeLimit(int(seconds * 1000))
            self.solver.SetSolverSpecificParametersAsString(
                f"num_workers:{workers} relative_gap_limit:{POOLED_GAP}")
        return self.solver.Solve() in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)


def lower_bound(problem: Problem) -> float:
    """Understaffing no roster can beat: the LP relaxation with pooled agents and no rest rule."""
    pooled = _Pooled(problem, integer=False)
    pooled.build()
    return pooled.solver.Objective().Value() if pooled.solve() else 0.0


def unreachable_contracts(problem: Problem) -> list[str]:
    """Agents whose availability and templates cannot give them their contract's minimum minutes."""
    placements = _placements(problem)
    templates = {template.key: template for template in problem.templates}
    short = []
    for agent in problem.agents:
        best_by_day = defaultdict(int)
        for day, key, start in placements:
            if agent.can_work(day, templates[key], start):
                best_by_day[day] = max(best_by_day[day], templates[key].paid_minutes)
        days = sorted(best_by_day.values(), reverse=True)[: WEEK_DAYS - problem.rules.min_days_off]
        if sum(days) < agent.min_minutes:
            short.append(agent.key)
    return short
