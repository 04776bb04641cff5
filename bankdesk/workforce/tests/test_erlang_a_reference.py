"""Erlang A (M/M/n+M) against reference values computed here by a second, independent exact method.

Where the reference values come from, honestly: the issue asks for published figures (Garnett, Mandelbaum &
Reiman 2002, "Designing a call center with impatient customers", or Mandelbaum & Zeltyn's Erlang-A tutorial).
We could not read those papers' tables from any source available to us (only their abstracts), so we do not
quote numbers we cannot check. Instead every reference value below is computed in this file, exactly up to
floating point and a truncation whose weight is below 1e-15, by a method that shares nothing with
bankdesk/workforce/erlang.py:

* the stationary distribution of the birth-death chain (arrivals λ; departures min(k, n)·μ + max(k − n, 0)·θ),
  truncated at n + 250 states, is found by solving the linear balance equations p·Q = 0, Σp = 1 with a
  dense solver (no product form, no log-gamma);
* a caller who arrives (PASTA: it sees the stationary state) with j callers ahead in the queue is followed as a
  small absorbing Markov chain (j ahead → j − 1 ahead at rate nμ + jθ; abandon at rate θ; answered when it is
  first in line and an agent frees). P(answered within T) is read from the matrix exponential exp(T·G) of
  that chain's generator G, the mean wait of answered callers from its fundamental matrix (−G_transient)⁻¹
  (no incomplete beta function, no digamma);
* the agents' occupancy is E[min(k, n)] / n read from the same stationary distribution (erlang.py derives it
  from the abandonment instead).

Figures are compared to 1e-8 relative: two exact methods that disagree in the eighth digit are not both right.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
from scipy.linalg import expm

from bankdesk.workforce.erlang import Load, Target, erlang_a, required_agents_a

TRUNCATION = 250


@dataclass(frozen=True)
class Reference:
    service_level: float
    abandon_rate: float
    asa_seconds: float
    occupancy: float


@cache
def reference(calls: float, interval_minutes: float, aht_seconds: float, agents: int, patience_seconds: float,
              target_seconds: float) -> Reference:
    lam = calls / (interval_minutes * 60)
    mu, theta = 1 / aht_seconds, 1 / patience_seconds
    states = agents + TRUNCATION
    k = np.arange(states)
    death = np.minimum(k, agents) * mu + np.maximum(k - agents, 0) * theta

    # Balance equations p·Q = 0 with Σp = 1: one equation of Q's transpose replaced by the normalisation.
    generator = np.zeros((states, states))
    generator[k[:-1], k[:-1] + 1] = lam
    generator[k[1:], k[1:] - 1] = death[1:]
    generator[k, k] = -generator.sum(axis=1)
    system = generator.T.copy()
    system[-1, :] = 1.0
    rhs = np.zeros(states)
    rhs[-1] = 1.0
    p = np.linalg.solve(system, rhs)
    assert p[-50:].sum() < 1e-15  # the truncation weighs nothing

    # The tagged caller: transient states "j callers ahead" (j = 0..J), then absorbing "answered", "abandoned".
    ahead = TRUNCATION
    j = np.arange(ahead)
    forward = agents * mu + j * theta  # someone ahead leaves (answered or hung up), or an agent takes me at j = 0
    tagged = np.zeros((ahead + 2, ahead + 2))
    answered_state, abandoned_state = ahead, ahead + 1
    tagged[j[1:], j[1:] - 1] = forward[1:]
    tagged[0, answered_state] = forward[0]
    tagged[j, abandoned_state] = theta
    tagged[j, j] = -(forward + theta)
    answered_by_target = expm(tagged * target_seconds)[:ahead, answered_state]
    transient = -tagged[:ahead, :ahead]
    answered_ever = np.linalg.solve(transient, tagged[:ahead, answered_state])
    wait_if_answered = np.linalg.solve(transient, answered_ever)  # E[wait · 1{answered}] from each j

    p_free = p[:agents].sum()
    p_queue = p[agents:]  # the arriving caller finds every agent busy and j = k − n callers ahead
    answered = p_free + p_queue @ answered_ever
    return Reference(
        service_level=float(p_free + p_queue @ answered_by_target),
        abandon_rate=float(1 - answered),
        asa_seconds=float(p_queue @ wait_if_answered / answered),
        occupancy=float(p @ np.minimum(k, agents) / agents),
    )


CASES = [
    # calls per interval, interval minutes, AHT s, agents, mean patience s, target s
    (100, 30, 180, 8, 60, 20),  # under-staffed for 10 Erlangs: only patience keeps the queue finite
    (100, 30, 180, 10, 180, 20),  # n = offered load: unstable without abandonment
    (100, 30, 180, 12, 120, 20),
    (100, 30, 180, 14, 600, 15),  # domain.md §5's 14 agents, patient callers
    (600, 30, 240, 82, 90, 15),  # 80 Erlangs
    (2, 30, 180, 1, 60, 15),  # a trickle on one agent
    (40, 60, 300, 4, 30, 10),  # impatient callers, long calls
]


@pytest.mark.parametrize("calls, minutes, aht, agents, patience, target", CASES)
def test_erlang_a_equals_the_independent_exact_reference(calls, minutes, aht, agents, patience, target):
    computed = erlang_a(Load(calls, minutes, aht), Target(target, 0.8), agents, patience)
    expected = reference(calls, minutes, aht, agents, patience, target)
    assert computed.service_level == pytest.approx(expected.service_level, rel=1e-8)
    assert computed.abandon_rate == pytest.approx(expected.abandon_rate, rel=1e-8, abs=1e-14)
    assert computed.asa_seconds == pytest.approx(expected.asa_seconds, rel=1e-8, abs=1e-12)
    assert computed.occupancy == pytest.approx(expected.occupancy, rel=1e-8)


def reference_smallest_agents(calls, minutes, aht, patience, target: Target) -> int:
    """The first n, counted up from 1, whose reference service level meets the target."""
    n = 1
    while reference(calls, minutes, aht, n, patience, target.seconds).service_level < target.service_level:
        n += 1
    return n


@pytest.mark.parametrize("calls, aht, patience, expected_at_most", [
    (2, 180, 60, 1),  # 0.2 Erlang: one agent answers 80% within 15 s
    (6, 120, 30, 2),  # 0.4 Erlang, impatient callers: two agents at most
    (10, 180, 300, 3),  # 1 Erlang, patient callers: three agents
])
def test_very_few_agents_already_meet_the_target(calls, aht, patience, expected_at_most):
    target = Target(15, 0.8)
    found = required_agents_a(Load(calls, 30, aht), target, patience)
    assert found.agents == reference_smallest_agents(calls, 30, aht, patience, target) <= expected_at_most
    assert found.service_level >= 0.8
    if found.agents > 1:
        assert reference(calls, 30, aht, found.agents - 1, patience, 15).service_level < 0.8


def test_the_search_agrees_with_the_reference_for_the_domain_example():
    target = Target(20, 0.8)
    found = required_agents_a(Load(100, 30, 180), target, patience_seconds=120)
    assert found.agents == reference_smallest_agents(100, 30, 180, 120, target)
    # Patience lets fewer agents meet the target than Erlang C's 14 for the same load (domain.md §5).
    assert found.agents <= 14
