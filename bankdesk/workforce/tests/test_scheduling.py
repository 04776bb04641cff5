"""The CP-SAT roster covers a requirement a known roster meets, and keeps every agent's rules."""

from collections import defaultdict

import numpy as np
import pytest

from bankdesk.workforce import scheduling as s

DAY_SHIFT = s.Template("D", length=540, earliest_start=7 * 60, latest_start=12 * 60, start_step=60,
                       lunch_minutes=60, lunch_earliest=180, lunch_latest=270, lunch_step=30,
                       breaks=((90, 15), (420, 15)))
HALF_SHIFT = s.Template("H", length=240, earliest_start=17 * 60, latest_start=18 * 60, start_step=60,
                        weekdays=frozenset(range(5)))
RULES = s.Rules(min_days_off=2, min_rest_minutes=11 * 60)


def known_roster(agents: int) -> list[s.Shift]:
    """Agent i works five days in a row from day i % 7, starting at 7:00 + (i % 6) hours."""
    shifts = []
    for i in range(agents):
        start = 7 * 60 + 60 * (i % 6)
        for n in range(5):
            day = (i + n) % 7
            shifts.append(s.Shift(f"A{i}", day, "D", start, start + 540, start + 180 + 30 * (i % 4),
                                  ((start + 90, 15), (start + 420, 15))))
    return shifts


def problem(requirement, agents=12, shift_templates=(DAY_SHIFT,), **agent_terms) -> s.Problem:
    terms = {"min_minutes": 2400, "max_minutes": 2400, **agent_terms}
    return s.Problem(30, requirement, shift_templates, tuple(s.Agent(f"A{i}", **terms) for i in range(agents)),
                     RULES)


@pytest.fixture(scope="module")
def covered():
    base = problem(np.zeros((7, 48)))
    requirement = s.coverage_of(base, known_roster(12))
    exact = problem(requirement)
    return exact, s.solve(exact, time_limit_seconds=30, workers=2)


def test_covers_a_requirement_a_known_roster_meets(covered):
    exact, solution = covered
    assert solution.understaffing_minutes == 0 and solution.status == "optimal"
    assert solution.lower_bound == pytest.approx(0, abs=1e-6)
    assert np.all(solution.coverage >= exact.requirement - 1e-9)
    assert s.understaffing_minutes(exact, solution.coverage) == 0


def test_every_agent_keeps_the_rules(covered):
    _exact, solution = covered
    by_agent = defaultdict(list)
    for shift in solution.shifts:
        by_agent[shift.agent].append(shift)
    assert len(by_agent) == 12
    for shifts in by_agent.values():
        days = sorted(shift.day for shift in shifts)
        assert len(days) == len(set(days)) == 5  # one shift a day, two days off, 40 paid hours
        ends = {shift.day: shift.end for shift in shifts}
        for shift in shifts:
            if shift.day - 1 in ends:
                assert shift.start + 1440 - ends[shift.day - 1] >= 660
            assert 7 * 60 <= shift.start <= 12 * 60 and shift.end - shift.start == 540
            assert shift.start + 180 <= shift.lunch_start <= shift.start + 270


def test_shortage_is_reported_against_the_lower_bound():
    requirement = np.zeros((7, 48))
    requirement[:, 18:34] = 3  # three agents 09:00–17:00 every day, but only two agents
    short = problem(requirement, agents=2)
    solution = s.solve(short, time_limit_seconds=20, workers=2)
    assert solution.understaffing_minutes > 0
    assert solution.lower_bound <= solution.understaffing_minutes + 1e-6
    assert solution.gap < 0.02
    assert s.understaffing_minutes(short, solution.coverage) == solution.understaffing_minutes


def test_availability_and_templates_are_respected():
    requirement = np.zeros((7, 48))
    requirement[:5, 34:44] = 1  # weekday evenings
    evenings = ((d, 17 * 60, 22 * 60) for d in range(7))
    part_time = problem(requirement, agents=2, shift_templates=(DAY_SHIFT, HALF_SHIFT), min_minutes=480,
                        max_minutes=960, windows=tuple(evenings), templates=frozenset({"H"}))
    solution = s.solve(part_time, time_limit_seconds=20, workers=2)
    assert solution.shifts and all(shift.template == "H" and shift.day < 5 for shift in solution.shifts)
    assert all(17 * 60 <= shift.start and shift.end <= 22 * 60 for shift in solution.shifts)
    for agent in ("A0", "A1"):
        assert 2 <= sum(shift.agent == agent for shift in solution.shifts) <= 4


def test_on_phone_minutes_leave_out_lunch_and_breaks():
    minutes = s.on_phone_minutes(DAY_SHIFT, day=0, start=8 * 60, lunch=180, interval=30)
    assert sum(minutes.values()) == 540 - 60 - 30
    assert minutes[16] == 30 and 22 not in minutes and 23 not in minutes  # lunch 11:00–12:00
    assert minutes[19] == 15  # a 15-minute break at 09:30
    late = s.Template("N", length=540, earliest_start=20 * 60, latest_start=20 * 60)
    assert max(s.on_phone_minutes(late, day=6, start=20 * 60, lunch=0, interval=30)) == 7 * 48 - 1


def test_unreachable_contracts_are_named():
    weekend_only = problem(np.zeros((7, 48)), agents=1, windows=((5, 0, 1440), (6, 0, 1440)))
    assert s.unreachable_contracts(weekend_only) == ["A0"]
    assert s.unreachable_contracts(problem(np.zeros((7, 48)), agents=1)) == []


EVENING = s.Template("E", length=480, earliest_start=13 * 60, latest_start=14 * 60 + 30, start_step=30,
                     lunch_minutes=30, lunch_earliest=240, lunch_latest=300)


def test_weeks_are_made_of_patterns_each_agent_can_work():
    # 40 paid hours from 8-hour (480) and 7.5-hour (450) shifts: only five day shifts add up, so the pooled
    # stage may not hand out evening shifts that no single agent could complete a week with.
    requirement = np.zeros((7, 48))
    requirement[:, 30:44] = 3  # evenings busy
    requirement[:, 18:30] = 1
    mixed = problem(requirement, agents=4, shift_templates=(DAY_SHIFT, EVENING))
    assert s.weekly_patterns(mixed, mixed.agents[0]) == [{"D": 5}]
    solution = s.solve(mixed, time_limit_seconds=20, workers=2)
    assert len(solution.shifts) == 20 and all(shift.template == "D" for shift in solution.shifts)
    assert s.contract_shortfalls(mixed, solution.shifts) == {}
    flexible = problem(requirement, agents=4, shift_templates=(DAY_SHIFT, EVENING), min_minutes=1800)
    assert {"E": 4} in s.weekly_patterns(flexible, flexible.agents[0])
    assert any(shift.template == "E" for shift in s.solve(flexible, 20, workers=2).shifts)


def test_shortfall_is_reported_when_rest_blocks_the_contract():
    late = s.Template("L", length=480, earliest_start=15 * 60, latest_start=15 * 60)
    early = s.Template("X", length=480, earliest_start=6 * 60, latest_start=6 * 60)
    shifts = [s.Shift("A0", day, "L", 900, 1380, None, ()) for day in range(3)]
    tight = s.Problem(30, np.zeros((7, 48)), (late, early), (s.Agent("A0", 2400, 2400),), RULES)
    assert s.contract_shortfalls(tight, shifts) == {"A0": 960}
    topped = s._top_up(tight, shifts)
    assert s.contract_shortfalls(tight, topped) == {} and len(topped) == 5
    ends = {shift.day: shift.end for shift in topped}
    assert all(shift.start + 1440 - ends[shift.day - 1] >= 660 for shift in topped if shift.day - 1 in ends)
