"""A discrete-event simulation of one FCFS queue with n agents, exponential handling and patience.

Callers are taken in order of arrival; each one gets the agent that frees first, unless its
patience runs out before that agent is free, in which case it hangs up and the agent stays free
for the next caller. That is M/M/n+M exactly (M/M/n with infinite patience), without any of the
formulas under test.
"""

import heapq
import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Observed:
    service_level: float
    abandon_rate: float
    asa_seconds: float
    occupancy: float
    probability_wait: float


def simulate(calls_per_second: float, aht_seconds: float, agents: int, target_seconds: float,
             patience_seconds: float = math.inf, callers: int = 200_000, seed: int = 7) -> Observed:
    rng = random.Random(seed)
    free_at = [0.0] * agents
    clock = within = answered = waited = 0
    total_wait = busy = 0.0
    warm_up = callers // 20
    for number in range(callers):
        clock += rng.expovariate(calls_per_second)
        patience = rng.expovariate(1 / patience_seconds) if math.isfinite(patience_seconds) else math.inf
        wait = max(0.0, free_at[0] - clock)
        counted = number >= warm_up
        if wait > patience:
            continue
        handling = rng.expovariate(1 / aht_seconds)
        heapq.heapreplace(free_at, clock + wait + handling)
        if counted:
            answered += 1
            within += wait <= target_seconds
            waited += wait > 0
            total_wait += wait
            busy += handling
    offered = callers - warm_up
    return Observed(within / offered, 1 - answered / offered, total_wait / answered,
                    busy / (agents * offered / calls_per_second), waited / offered)
