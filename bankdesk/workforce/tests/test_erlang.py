"""Erlang C and A against published values, an exact rational oracle and a simulation."""

import math
from fractions import Fraction

import numpy as np
import pytest

from bankdesk.workforce.erlang import (
    Load,
    Target,
    erlang_a,
    erlang_b,
    erlang_c,
    required_agents_a,
    required_agents_c,
    scheduled_agents,
    smallest_stable_agents,
)
from bankdesk.workforce.tests.simulation import simulate

EXAMPLE = Load(calls=100, interval_minutes=30, aht_seconds=180)  # domain.md §5: 10 Erlangs


def exact_probability_wait(traffic: int, agents: int) -> Fraction:
    """Erlang C from its factorial formula in exact integers (multiplied through by n!)."""
    factorial = math.factorial(agents)
    below = sum(traffic ** k * (factorial // math.factorial(k)) for k in range(agents))
    top = Fraction(traffic ** agents * agents, agents - traffic)
    return top / (below + top)


def test_domain_example_needs_14_agents():
    result = required_agents_c(EXAMPLE, Target(20, 0.8))
    assert result.agents == 14
    assert round(result.service_level, 3) == 0.888
    assert round(result.probability_wait, 3) == 0.174
    assert result.occupancy == pytest.approx(10 / 14)
    assert erlang_c(EXAMPLE, Target(20, 0.8), 13).service_level < 0.8


def test_textbook_values():
    # Two Erlangs on three agents wait with probability 4/9; Erlang B of 5 Erlangs on 10 lines is 1.84%.
    assert erlang_c(Load(2, 60, 3600), Target(0, 0.8), 3).probability_wait == pytest.approx(4 / 9)
    assert erlang_b(5, 10) == pytest.approx(0.018385, abs=1e-6)
    assert erlang_b(4.46, 10) == pytest.approx(0.01, abs=3e-4)  # the 1% column of the Erlang B table


@pytest.mark.parametrize("traffic, agents", [(1, 2), (3, 4), (10, 14), (47, 55), (300, 320), (1950, 2000)])
def test_against_exact_factorials(traffic, agents):
    load = Load(calls=traffic * 10, interval_minutes=30, aht_seconds=180)
    result = erlang_c(load, Target(15, 0.8), agents)
    assert result.probability_wait == pytest.approx(float(exact_probability_wait(traffic, agents)), rel=1e-9)
    assert math.isfinite(result.service_level) and 0 < result.service_level < 1


def test_one_agent_suffices_for_a_trickle():
    result = required_agents_c(Load(calls=1, interval_minutes=30, aht_seconds=60), Target(15, 0.8))
    assert result.agents == 1
    assert result.probability_wait == pytest.approx(1 / 30)
    assert required_agents_a(Load(1, 30, 60), Target(15, 0.8), patience_seconds=60).agents == 1


def test_no_calls_need_no_agents():
    assert required_agents_c(Load(0, 30, 180), Target(15, 0.8)).agents == 0
    assert required_agents_a(Load(0, 30, 180), Target(15, 0.8), 60).agents == 0


@pytest.mark.parametrize("calls", [1, 3, 7, 20, 55, 100, 400, 2000])
@pytest.mark.parametrize("target", [Target(0, 0.5), Target(15, 0.8), Target(60, 0.95), Target(5, 0.2)])
def test_the_smallest_n_that_meets_the_target(calls, target):
    load = Load(calls, 30, 180)
    result = required_agents_c(load, target)
    assert result.service_level >= target.service_level
    fewer = result.agents - 1
    assert fewer < smallest_stable_agents(load) or erlang_c(load, target, fewer).service_level < target.service_level


def test_maximum_occupancy_adds_agents():
    load = Load(1000, 30, 180)  # 100 Erlangs: Erlang C alone runs them at about 93%
    plain = required_agents_c(load, Target(20, 0.8))
    capped = required_agents_c(load, Target(20, 0.8), max_occupancy=0.85)
    assert plain.occupancy > 0.85 >= capped.occupancy
    assert capped.agents == math.ceil(100 / 0.85)


def test_shrinkage():
    assert scheduled_agents(14, 0.3) == 20
    assert scheduled_agents(14, 0.0) == 14
    assert scheduled_agents(7, 0.3) == 10  # 7 / 0.7 is exactly 10


def test_two_thousand_agents_are_finite():
    load = Load(calls=19_500, interval_minutes=30, aht_seconds=180)  # 1,950 Erlangs
    result = required_agents_c(load, Target(15, 0.8))
    assert 1950 < result.agents < 2100
    assert all(math.isfinite(v) for v in (result.service_level, result.probability_wait, result.asa_seconds))
    a = erlang_a(load, Target(15, 0.8), 2000, patience_seconds=120)
    assert all(math.isfinite(v) for v in (a.service_level, a.abandon_rate, a.asa_seconds, a.occupancy))


def test_unstable_erlang_c_says_so():
    result = erlang_c(EXAMPLE, Target(20, 0.8), 10)
    assert result.service_level == 0 and result.probability_wait == 1 and result.asa_seconds == math.inf


def test_erlang_a_tends_to_erlang_c_with_endless_patience():
    c = erlang_c(EXAMPLE, Target(20, 0.8), 14)
    a = erlang_a(EXAMPLE, Target(20, 0.8), 14, patience_seconds=1e8)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-6)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, rel=1e-4)
    assert a.abandon_rate < 1e-6


def queue_length_by_balance(load: Load, agents: int, patience: float, states: int = 400) -> tuple[float, float]:
    """P(wait > 0) and mean queue length from the balance equations of the truncated chain."""
    lam, mu, theta = load.arrival_rate, 1 / load.aht_seconds, 1 / patience
    weights = [1.0]
    for k in range(1, states):
        weights.append(weights[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
    p = np.array(weights) / sum(weights)
    k = np.arange(states)
    return float(p[agents:].sum()), float((p * np.maximum(k - agents, 0)).sum())


@pytest.mark.parametrize("agents, patience", [(8, 60), (10, 180), (14, 600), (3, 30)])
def test_erlang_a_abandonment_obeys_the_balance_equations(agents, patience):
    # Every abandonment comes from a waiting caller: λ·P(abandon) = θ·E[queue].
    result = erlang_a(EXAMPLE, Target(20, 0.8), agents, patience)
    _waiting, queue = queue_length_by_balance(EXAMPLE, agents, patience)
    assert result.abandon_rate == pytest.approx(queue / patience / EXAMPLE.arrival_rate, rel=1e-9)


@pytest.mark.parametrize("agents, patience", [(9, 60), (12, 120), (14, 300)])
def test_erlang_a_matches_a_simulation(agents, patience):
    target = Target(20, 0.8)
    computed = erlang_a(EXAMPLE, target, agents, patience)
    seen = simulate(EXAMPLE.arrival_rate, EXAMPLE.aht_seconds, agents, target.seconds, patience)
    assert seen.service_level == pytest.approx(computed.service_level, abs=0.015)
    assert seen.abandon_rate == pytest.approx(computed.abandon_rate, abs=0.01)
    assert seen.asa_seconds == pytest.approx(computed.asa_seconds, rel=0.08, abs=0.5)
    assert seen.occupancy == pytest.approx(computed.occupancy, abs=0.015)


def test_erlang_c_matches_a_simulation():
    target = Target(20, 0.8)
    computed = erlang_c(EXAMPLE, target, 12)
    seen = simulate(EXAMPLE.arrival_rate, EXAMPLE.aht_seconds, 12, target.seconds)
    assert seen.service_level == pytest.approx(computed.service_level, abs=0.015)
    assert seen.probability_wait == pytest.approx(computed.probability_wait, abs=0.015)
    assert seen.asa_seconds == pytest.approx(computed.asa_seconds, rel=0.1)


@pytest.mark.parametrize("patience", [30, 120, 900])
@pytest.mark.parametrize("calls", [1, 10, 100, 1000])
def test_erlang_a_search_finds_the_smallest_n(calls, patience):
    load, target = Load(calls, 30, 180), Target(15, 0.8)
    result = required_agents_a(load, target, patience)
    assert result.service_level >= 0.8
    if result.agents > 1:
        assert erlang_a(load, target, result.agents - 1, patience).service_level < 0.8
    levels = [erlang_a(load, target, n, patience).service_level for n in range(1, result.agents + 3)]
    assert levels == sorted(levels)
