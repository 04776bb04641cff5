"""A week's roster with OR-Tools CP-SAT: shifts that cover the staffing requirement at least understaffing.

Plain data in, plain data out (the services read and write the database around it).

The rules. Each agent works at most one shift a day; a shift is a template (length, allowed start
times, short breaks at fixed offsets, a lunch of given length placed within a window) at one start
time, on a day the template and the agent's availability allow (never on a day of the agent's
absences). Per agent: paid minutes (length minus lunch) within the contract's weekly range, at least
`min_days_off` days off, at least `min_rest_minutes` between the end of one shift and the start of the next. Understaffing is counted
in agent-minutes per interval: required agents × interval length minus the minutes agents are on
the phones in it (breaks and lunch are off the phones). The objective is the sum of understaffing.

How it is solved, in stages within one time limit:
1. Pooled (CP-SAT): agents of identical terms form a pool; the model chooses how many of a pool work
   each shift, as whole weekly patterns its agents can each work (shifts per template within the
   contract, `weekly_patterns`), and how many on a shift take lunch at each offset (lunches touch no
   per-agent rule). It stops within POOLED_GAP of its bound or at its share of the time.
2. Hand-out: the pooled shifts go to the pool's agents, day by day (greedy, most-needed agent first,
   rest and days off kept); when that leaves shifts or contracts open, CP-SAT assigns them from the
   greedy start until the deadline.
3. Top-up: an agent the rest rule still leaves below the contract's minimum gets shifts on free days
   where they cover most (`contract_shortfalls` reports what remains).

The lower bound reported next to the result is the linear relaxation of the pooled model (GLOP), which
every roster satisfies (the rest rule dropped): no roster has less understaffing.
"""

import itertools
import math
import time
from collections import Counter, defaultdict
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
    absent: frozenset = frozenset()  # days 0..6 of this week the agent is on leave or unavailable: no shift

    def can_work(self, day: int, template: Template, start: int) -> bool:
        if day in self.absent:
            return False
        if self.templates is not None and template.key not in self.templates:
            return False
        if not self.windows:
            return True
        end = start + template.length
        return any(d == day and lo <= start and end <= hi for d, lo, hi in self.windows)

    def pool_key(self) -> tuple:
        return self.min_minutes, self.max_minutes, self.windows, self.templates, self.absent


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


SHORT_WEIGHT = 10  # a minute an agent falls short of the contract weighs ten rostered minutes


class _Assignment:
    """Hands the pooled solution's shifts to agents: each agent's rules kept, as many shift-minutes as possible.

    The pooled shifts add up to weeks each agent can work, but the rest between shifts is not in them; where
    it keeps an agent from the contract's minimum, the roster is still made and the shortfall reported."""

    def __init__(self, problem: Problem, pooled: "_Pooled", solution: dict):
        self.problem, self.pooled = problem, pooled
        self.chosen = {shift: n for shift, n in solution.items() if n > 0}  # (pool, day, key, start) → agents
        self.model = cp_model.CpModel()
        self.works = {}  # (agent index, day, key, start) → BoolVar
        self.by_shift = defaultdict(list)  # (pool, day, key, start) → BoolVars
        self.short = {}  # agent index → minutes below the contract's minimum

    def build(self) -> None:
        pool_of = {agent.pool_key(): pool for pool, (agent, _size) in enumerate(self.pooled.pools)}
        for index, agent in enumerate(self.problem.agents):
            self._agent(index, agent, pool_of[agent.pool_key()])
        for shift, assigned in self.by_shift.items():
            self.model.Add(sum(assigned) <= self.chosen[shift])
        templates = self.pooled.templates
        handed_out = sum(var * templates[key].paid_minutes for (_i, _d, key, _s), var in self.works.items())
        self.model.Maximize(handed_out - SHORT_WEIGHT * sum(self.short.values()))

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
        self.short[index] = self.model.NewIntVar(0, agent.min_minutes, "")
        self.model.Add(paid <= agent.max_minutes)
        self.model.Add(paid + self.short[index] >= agent.min_minutes)
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
POOLED_SHARE = 0.8  # of the time left: the rest is for handing the shifts out when the greedy hand-out cannot


def solve(problem: Problem, time_limit_seconds: float, workers: int = 8, report=None) -> Solution:
    """The best roster found within the time limit: pooled shifts (most of the time), then handed to agents.

    `report(stage, share)` is called as the stages start ("bound", "pooled", "assignment")."""
    began, say = time.monotonic(), report or (lambda stage, share: None)
    deadline = began + max(time_limit_seconds - FINISHING_SECONDS, 0.2)
    say("bound", 0.0)
    bound = lower_bound(problem)
    say("pooled", 0.05)
    pooled = _Pooled(problem, integer=True)
    pooled.build()
    if not pooled.solve(max(0.1, (deadline - time.monotonic()) * POOLED_SHARE), workers):
        return Solution("infeasible", [], np.zeros(problem.requirement.shape), 0, 0.0, bound,
                        time.monotonic() - began)
    say("assignment", 0.5)
    chosen = {shift: round(var.solution_value()) for shift, var in pooled.shifts.items()}
    shifts = _top_up(problem, _hand_out(problem, pooled, chosen, deadline, workers))
    coverage = coverage_of(problem, shifts)
    under = understaffing_minutes(problem, coverage)
    status = "optimal" if under <= math.ceil(bound - 1e-6) else "feasible"
    return Solution(status, shifts, coverage, under, pooled.solver.Objective().BestBound(), bound,
                    time.monotonic() - began)


def _hand_out(problem: Problem, pooled: "_Pooled", chosen: dict, deadline: float, workers: int) -> list[Shift]:
    """The pooled shifts given to agents: the greedy hand-out when it places them all within the contracts,
    else CP-SAT starting from it until the deadline."""
    assignment = _Assignment(problem, pooled, chosen)
    greedy = _greedy_hand_out(problem, pooled, assignment.chosen)
    lunches = {placement: round(var.solution_value()) for placement, var in pooled.counts.items()}
    given = _shifts_of(problem, pooled, lunches, greedy)
    if len(greedy) == sum(assignment.chosen.values()) and not contract_shortfalls(problem, given):
        return given
    assignment.build()
    for key, var in assignment.works.items():
        assignment.model.AddHint(var, key in greedy)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = workers
    everything = sum(n * pooled.templates[key].paid_minutes for (_p, _d, key, _s), n in assignment.chosen.items())
    if solver.Solve(assignment.model, _Stop(everything)) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return given
    lunches = {placement: round(var.solution_value()) for placement, var in pooled.counts.items()}
    return _shifts_of(problem, pooled, lunches, {key for key, var in assignment.works.items() if solver.Value(var)})


def _shifts_of(problem: Problem, pooled: "_Pooled", lunches: dict, given: set) -> list[Shift]:
    lunches = dict(lunches)
    return [_shift(problem.agents[index], pooled, lunches, day, key, start)
            for index, day, key, start in sorted(given)]


def _greedy_hand_out(problem: Problem, pooled: "_Pooled", chosen: dict) -> set[tuple]:
    """A first hand-out, day by day and early shifts first, each to the pool's agent who most needs the
    minutes and keeps the rules: (agent index, day, template key, start) of each shift given. CP-SAT
    starts from it."""
    members = defaultdict(list)
    pool_of = {agent.pool_key(): pool for pool, (agent, _size) in enumerate(pooled.pools)}
    for index, agent in enumerate(problem.agents):
        members[pool_of[agent.pool_key()]].append(index)
    paid, worked, given = defaultdict(int), defaultdict(dict), set()
    for (pool, day, key, start), count in sorted(chosen.items(), key=lambda item: (item[0][1], item[0][3])):
        template = pooled.templates[key]
        for _n in range(count):
            fits = [index for index in members[pool] if _may_take(problem, problem.agents[index], worked[index],
                                                                  paid[index], day, template, start)]
            if not fits:
                break
            index = max(fits, key=lambda i: problem.agents[i].min_minutes - paid[i])
            worked[index][day] = Shift("", day, key, start, start + template.length, None, ())
            paid[index] += template.paid_minutes
            given.add((index, day, key, start))
    return given


def _may_take(problem: Problem, agent: Agent, worked: dict, paid: int, day: int, template: Template,
              start: int) -> bool:
    return (day not in worked and len(worked) < WEEK_DAYS - problem.rules.min_days_off
            and paid + template.paid_minutes <= agent.max_minutes
            and _rest_kept(problem, worked, day, start, start + template.length))


def _rest_kept(problem: Problem, worked: dict, day: int, start: int, end: int) -> bool:
    """A shift on `day` from `start` to `end` keeps the rest after the day before's and before the day after's."""
    rest = problem.rules.min_rest_minutes
    before, after = worked.get(day - 1), worked.get(day + 1)
    return (before is None or start + DAY - before.end >= rest) and (after is None or after.start + DAY - end >= rest)


def _best_extra_shift(problem: Problem, agent: Agent, worked: dict, room: int, deficit: np.ndarray):
    """The placement on a free day that covers most of the remaining requirement, with its minutes on the
    phones per interval: (gain, placement, minutes), or None."""
    best = None
    for (day, key, start), placements in _placements(problem).items():
        template = placements[0].template
        if day in worked or template.paid_minutes > room or not agent.can_work(day, template, start) \
                or not _rest_kept(problem, worked, day, start, start + template.length):
            continue
        for placement in placements:
            minutes = on_phone_minutes(template, day, start, placement.lunch, problem.interval_minutes)
            gain = sum(min(length, max(deficit[slot], 0)) for slot, length in minutes.items())
            if best is None or gain > best[0]:
                best = (gain, placement, minutes)
    return best


def _top_up(problem: Problem, shifts: list[Shift]) -> list[Shift]:
    """Give agents still below their contract's minimum shifts on free days, where they cover most."""
    short = contract_shortfalls(problem, shifts)
    if not short:
        return shifts
    deficit = problem.required_minutes() - np.rint(coverage_of(problem, shifts).reshape(-1) * problem.interval_minutes)
    shifts = list(shifts)
    for agent in (agent for agent in problem.agents if agent.key in short):
        worked = {shift.day: shift for shift in shifts if shift.agent == agent.key}
        missing = short[agent.key]
        while missing > 0 and len(worked) < WEEK_DAYS - problem.rules.min_days_off:
            room = agent.max_minutes - agent.min_minutes + missing
            found = _best_extra_shift(problem, agent, worked, room, deficit)
            if found is None:
                break
            _gain, placement, minutes = found
            extra = _shift_at(agent, placement)
            shifts.append(extra)
            worked[extra.day], missing = extra, missing - placement.template.paid_minutes
            for slot, length in minutes.items():
                deficit[slot] -= length
    return shifts


def _shift_at(agent: Agent, placement: _Placement) -> Shift:
    template, start = placement.template, placement.start
    return Shift(agent.key, placement.day, template.key, start, start + template.length,
                 start + placement.lunch if template.lunch_minutes else None,
                 tuple((start + offset, length) for offset, length in template.breaks))


def _shift(agent: Agent, pooled: "_Pooled", lunches: dict, day: int, key: str, start: int) -> Shift:
    """The agent's shift, with the next lunch placement the pooled solution chose for it."""
    placements = pooled.placements[(day, key, start)]
    placement = next((p for p in placements if lunches[p] > 0), placements[0])
    lunches[placement] -= 1
    return _shift_at(agent, placement)


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
        """The pool's shifts add up to weekly patterns its agents can each work (so they can be handed out)."""
        by_day, by_template = defaultdict(list), defaultdict(list)
        for day, key, start in self.placements:
            if agent.can_work(day, self.templates[key], start):
                var = self.var(size)
                self.shifts[(pool, day, key, start)] = var
                by_day[day].append(var)
                by_template[key].append(var)
        for shifts in by_day.values():
            self.solver.Add(sum(shifts) <= size)
        patterns = weekly_patterns(self.problem, agent)
        agents_on = [self.var(size) for _pattern in patterns]
        self.solver.Add(sum(agents_on) == size)
        for key, shifts in by_template.items():
            self.solver.Add(sum(shifts) == sum(n * pattern.get(key, 0) for n, pattern in zip(agents_on, patterns)))

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


def weekly_patterns(problem: Problem, agent: Agent) -> list[dict]:
    """The weeks an agent can work, as shifts per template (e.g. {"D": 4, "H": 2}): within the working
    days, on days the templates fit the agent's availability, with paid minutes within the contract."""
    templates, days_for = {template.key: template for template in problem.templates}, defaultdict(set)
    for day, key, start in _placements(problem):
        if agent.can_work(day, templates[key], start):
            days_for[key].add(day)
    usable = sorted(days_for)
    paid = {key: template.paid_minutes for key, template in templates.items()}
    all_days = len(set().union(*days_for.values())) if days_for else 0
    most = min(WEEK_DAYS - problem.rules.min_days_off, all_days)
    found = []
    for shifts in range(most + 1):
        for combination in itertools.combinations_with_replacement(usable, shifts):
            counts = Counter(combination)
            minutes = sum(paid[key] * n for key, n in counts.items())
            if agent.min_minutes <= minutes <= agent.max_minutes and all(
                    n <= len(days_for[key]) for key, n in counts.items()):
                found.append(dict(counts))
    return found


def unreachable_contracts(problem: Problem) -> list[str]:
    """Agents whose availability and templates give no week within their contract's minutes."""
    return [agent.key for agent in problem.agents if not weekly_patterns(problem, agent)]


def contract_shortfalls(problem: Problem, shifts: list[Shift]) -> dict[str, int]:
    """Agents rostered below their contract's minimum, with the minutes missing."""
    paid = {template.key: template.paid_minutes for template in problem.templates}
    worked = Counter()
    for shift in shifts:
        worked[shift.agent] += paid[shift.template]
    return {agent.key: agent.min_minutes - worked[agent.key] for agent in problem.agents
            if worked[agent.key] < agent.min_minutes}
