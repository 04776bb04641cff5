"""Erlang C (M/M/n) and Erlang A (M/M/n+M) staffing, exact and stable for large loads.

Erlang C goes through the Erlang B recursion B(n) = A·B(n-1) / (n + A·B(n-1)), which never forms a
factorial or a power, so 2,000 agents (or 20,000) cost one pass of additions and divisions.

Erlang A is the birth-death queue with exponential patience (rate θ = 1 / mean patience). Its state
weights are summed in log space (log-gamma, log-sum-exp). A caller who finds i others waiting
(every agent busy) is answered with probability c / (c + i + 1), where c = nμ/θ, and then after
the sum of i + 1 exponential stages with rates nμ + θ, ..., nμ + (i+1)θ; that sum is the (i+1)-th
order statistic of c + i + 1 unit exponentials scaled by θ, so P(answer ≤ T) is the regularised
incomplete beta I_x(i + 1, c + 1) with x = 1 - exp(-θT), and its mean is (ψ(c+i+2) - ψ(c+1)) / θ.
Nothing is simulated or approximated: the only cut is the tail of states beyond 12 standard
deviations of the queue length, which weighs less than 1e-30.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betainc, digamma, gammaln, logsumexp


@dataclass(frozen=True)
class Load:
    """Offered traffic of one interval."""

    calls: float
    interval_minutes: float
    aht_seconds: float

    @property
    def arrival_rate(self) -> float:
        """Calls per second."""
        return self.calls / (self.interval_minutes * 60)

    @property
    def erlangs(self) -> float:
        return self.arrival_rate * self.aht_seconds


@dataclass(frozen=True)
class Target:
    """Answer `service_level` of the calls within `seconds` (seed 004: 80% within 15 s)."""

    seconds: float
    service_level: float


@dataclass(frozen=True)
class ErlangC:
    agents: int
    service_level: float
    probability_wait: float
    asa_seconds: float
    occupancy: float


@dataclass(frozen=True)
class ErlangA:
    agents: int
    service_level: float
    abandon_rate: float
    asa_seconds: float
    occupancy: float


def _erlang_b_step(traffic: float, agents: int, previous: float) -> float:
    return traffic * previous / (agents + traffic * previous)


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of M/M/n/n, by the stable recursion."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = _erlang_b_step(traffic, n, blocking)
    return blocking


def _erlang_c_figures(load: Load, target: Target, agents: int, blocking: float) -> ErlangC:
    traffic = load.erlangs
    if agents <= traffic:  # unstable: the queue grows without end
        return ErlangC(agents, 0.0, 1.0, math.inf, 1.0 if agents else 0.0)
    waiting = agents * blocking / (agents - traffic * (1 - blocking))
    headroom = agents - traffic
    service_level = 1 - waiting * math.exp(-headroom * target.seconds / load.aht_seconds)
    asa = waiting * load.aht_seconds / headroom
    return ErlangC(agents, service_level, waiting, asa, traffic / agents)


def _no_calls_c(agents: int) -> ErlangC:
    return ErlangC(agents, 1.0, 0.0, 0.0, 0.0)


def erlang_c(load: Load, target: Target, agents: int) -> ErlangC:
    """Service level, probability of waiting, ASA and occupancy with `agents` on the phones."""
    if load.calls == 0:
        return _no_calls_c(agents)
    return _erlang_c_figures(load, target, agents, erlang_b(load.erlangs, agents))


def smallest_stable_agents(load: Load, max_occupancy: float = 1.0) -> int:
    """Fewest agents with a finite queue (n > A) and occupancy A/n within `max_occupancy`."""
    traffic = load.erlangs
    stable = math.floor(traffic) + 1
    return max(stable, math.ceil(traffic / max_occupancy - 1e-12))


def required_agents_c(load: Load, target: Target, max_occupancy: float = 1.0, limit: int = 100_000) -> ErlangC:
    """The smallest n meeting the target, counted up from the smallest stable n (one Erlang B pass)."""
    if load.calls == 0:
        return _no_calls_c(0)
    traffic = load.erlangs
    agents = smallest_stable_agents(load, max_occupancy)
    if agents > limit:
        raise ValueError("too many agents")
    blocking = erlang_b(traffic, agents)
    result = _erlang_c_figures(load, target, agents, blocking)
    while result.service_level < target.service_level:
        agents += 1
        if agents > limit:
            raise ValueError("too many agents")
        blocking = _erlang_b_step(traffic, agents, blocking)
        result = _erlang_c_figures(load, target, agents, blocking)
    return result


def _state_log_weights(traffic: float, agents: int, c: float, y: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Log weights of the states with a free agent (k < n) and of the queue states n + i, i ≥ first."""
    k = np.arange(agents)
    low = k * math.log(traffic) - gammaln(k + 1)
    log_n = agents * math.log(traffic) - gammaln(agents + 1)
    spread = 12 * math.sqrt(max(y, 1.0)) + 50
    peak = max(0.0, y - c)
    first = int(max(0.0, peak - spread))
    i = np.arange(first, int(peak + spread) + 1)
    queue = log_n + i * math.log(y) - (gammaln(c + i + 1) - gammaln(c + 1))
    return low, queue, first


def erlang_a(load: Load, target: Target, agents: int, patience_seconds: float) -> ErlangA:
    """M/M/n+M: answered within target over offered, abandon share, ASA of answered calls, occupancy."""
    if load.calls == 0:
        return ErlangA(agents, 1.0, 0.0, 0.0, 0.0)
    if agents == 0:
        return ErlangA(0, 0.0, 1.0, 0.0, 0.0)
    theta = 1 / patience_seconds
    mu = 1 / load.aht_seconds
    c = agents * mu / theta
    y = load.arrival_rate / theta
    low, queue, first = _state_log_weights(load.erlangs, agents, c, y)
    total = logsumexp(np.concatenate([low, queue]))
    p_free = float(np.exp(low - total).sum())
    p_queue = np.exp(queue - total)
    ahead = np.arange(first, first + len(queue))  # callers found waiting
    answered = p_queue * c / (c + ahead + 1)
    within = betainc(ahead + 1, c + 1, -math.expm1(-theta * target.seconds))
    mean_wait = (digamma(c + ahead + 2) - digamma(c + 1)) / theta
    abandon = float((p_queue * (ahead + 1) / (c + ahead + 1)).sum())
    answered_share = p_free + float(answered.sum())
    return ErlangA(
        agents,
        service_level=p_free + float((answered * within).sum()),
        abandon_rate=abandon,
        asa_seconds=float((answered * mean_wait).sum()) / answered_share,
        occupancy=min(1.0, load.erlangs * (1 - abandon) / agents),
    )


def required_agents_a(load: Load, target: Target, patience_seconds: float, max_occupancy: float = 1.0,
                      limit: int = 100_000) -> ErlangA:
    """The smallest n meeting the target (and the occupancy cap): doubling from 1, then bisection.

    With abandonment every n is stable and the service level rises with n, so the first n that
    meets the target is found exactly without trying every n."""
    if load.calls == 0:
        return ErlangA(0, 1.0, 0.0, 0.0, 0.0)

    def meets(result: ErlangA) -> bool:
        return result.service_level >= target.service_level and result.occupancy <= max_occupancy

    def evaluate(n: int) -> ErlangA:
        return erlang_a(load, target, n, patience_seconds)

    low, high = 0, 1
    best = evaluate(high)
    while not meets(best):
        low, high = high, high * 2
        if low >= limit:
            raise ValueError("too many agents")
        best = evaluate(min(high, limit))
        high = min(high, limit)
    while high - low > 1:
        middle = (low + high) // 2
        result = evaluate(middle)
        if meets(result):
            high, best = middle, result
        else:
            low = middle
    return best


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to roster so that `agents` are on the phones after shrinkage (breaks, training, absence)."""
    return math.ceil(agents / (1 - shrinkage) - 1e-9)
