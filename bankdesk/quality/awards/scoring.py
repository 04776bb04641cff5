"""The arithmetic of the service star (服务之星), on plain values so a test can check it by hand.

Each staff member has four scores out of 100: the team's, the operations manager's, the lobby
manager's and the customers' (the month's five-question forms). The total is their weighted mean
(default weights 30/15/15/40, seed 002); ranks go by the total (ranking.py).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class StarWeights:
    team: Decimal
    operations: Decimal
    lobby: Decimal
    customers: Decimal

    @property
    def total(self) -> Decimal:
        return self.team + self.operations + self.lobby + self.customers

    def as_dict(self) -> dict:
        return {"team": str(self.team), "operations": str(self.operations), "lobby": str(self.lobby),
                "customers": str(self.customers)}


@dataclass(frozen=True)
class StarScores:
    team: Decimal
    operations: Decimal
    lobby: Decimal
    customers: Decimal


def total(scores: StarScores, weights: StarWeights) -> Decimal:
    """The weighted mean of the four scores, to the cent (weights need not add up to 100)."""
    if weights.total <= 0:
        raise ValueError("the service-star weights add up to nothing")
    weighted = (scores.team * weights.team + scores.operations * weights.operations + scores.lobby * weights.lobby
                + scores.customers * weights.customers)
    return (weighted / weights.total).quantize(CENT, rounding=ROUND_HALF_UP)

