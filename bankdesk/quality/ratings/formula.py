"""The star rating of an outlet (星级网点), on plain values so a test can check it by hand.

Five components, each scored out of 100 over the period:
- inspection: the mean score of the outlet's inspections (on site, service video, customer journey);
- mystery: the mean score of its mystery-shopping visits;
- complaints: complaints per 10,000 customers a month; 100 at or below the full-marks rate, 0 at or
  above the zero rate, in a straight line between;
- commendations: the commendations a month times the points for each, at most 100;
- evaluator: the share of satisfied presses on the counter's customer evaluators.
A component without data (no inspection, no customer count, no evaluator results) is left out and the
weights of the others carry the score; with fewer components than the minimum the outlet is not
rated. The score is the weighted mean of the components counted; the stars are the highest band
whose minimum the score reaches (0: below every band, or not rated). Every figure is kept as the
reason behind the rating.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
COMPONENTS = ("inspection", "mystery", "complaints", "commendations", "evaluator")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RatingRules:
    weights: dict  # component code -> weight (Decimal)
    complaint_rate_full_marks: Decimal
    complaint_rate_zero: Decimal
    commendation_points: Decimal
    min_components: int
    bands: tuple  # ((stars, minimum score), ...), the most stars first

    def as_dict(self) -> dict:
        return {"weights": {code: str(weight) for code, weight in self.weights.items()},
                "complaint_rate_full_marks": str(self.complaint_rate_full_marks),
                "complaint_rate_zero": str(self.complaint_rate_zero),
                "commendation_points": str(self.commendation_points), "min_components": self.min_components,
                "bands": [[stars, str(minimum)] for stars, minimum in self.bands]}


@dataclass(frozen=True)
class RatingInputs:
    months: int
    inspection_scores: tuple = ()
    mystery_scores: tuple = ()
    complaints: int = 0
    customers: Decimal | None = None  # the average customers a month; None when no count was entered
    commendations: int = 0
    evaluator_responses: int = 0
    evaluator_satisfied: int = 0


@dataclass(frozen=True)
class Component:
    code: str
    score: Decimal | None  # None: no data, left out
    weight: Decimal
    figures: dict = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.score is not None and self.weight > 0

    def as_dict(self) -> dict:
        return {"code": self.code, "score": None if self.score is None else str(self.score),
                "weight": str(self.weight), "counted": self.counted,
                "figures": {key: str(value) if isinstance(value, Decimal) else value
                            for key, value in self.figures.items()}}


@dataclass(frozen=True)
class Rating:
    score: Decimal | None  # None: not rated
    stars: int
    components: tuple

    @property
    def rated(self) -> bool:
        return self.score is not None


def mean_component(code: str, scores, weight: Decimal) -> Component:
    if not scores:
        return Component(code, None, weight, {"count": 0})
    mean = _cents(sum(scores, Decimal(0)) / len(scores))
    return Component(code, mean, weight, {"count": len(scores), "mean": mean})


def complaint_component(inputs: RatingInputs, rules: RatingRules) -> Component:
    weight = rules.weights["complaints"]
    figures = {"complaints": inputs.complaints, "customers": inputs.customers, "months": inputs.months}
    if not inputs.customers:
        return Component("complaints", None, weight, figures)
    rate = _cents(Decimal(inputs.complaints) / inputs.months / inputs.customers * TEN_THOUSAND)
    full, zero = rules.complaint_rate_full_marks, rules.complaint_rate_zero
    if rate <= full:
        score = HUNDRED
    elif rate >= zero or zero <= full:
        score = Decimal(0)
    else:
        score = _cents(HUNDRED * (zero - rate) / (zero - full))
    return Component("complaints", score, weight, {**figures, "rate": rate})


def commendation_component(inputs: RatingInputs, rules: RatingRules) -> Component:
    per_month = Decimal(inputs.commendations) / inputs.months
    score = min(HUNDRED, _cents(per_month * rules.commendation_points))
    return Component("commendations", score, rules.weights["commendations"],
                     {"commendations": inputs.commendations, "months": inputs.months})


def evaluator_component(inputs: RatingInputs, rules: RatingRules) -> Component:
    weight = rules.weights["evaluator"]
    figures = {"responses": inputs.evaluator_responses, "satisfied": inputs.evaluator_satisfied}
    if not inputs.evaluator_responses:
        return Component("evaluator", None, weight, figures)
    share = _cents(HUNDRED * inputs.evaluator_satisfied / inputs.evaluator_responses)
    return Component("evaluator", share, weight, figures)


def stars_for(score: Decimal, bands) -> int:
    return next((stars for stars, minimum in bands if score >= minimum), 0)


def compute(inputs: RatingInputs, rules: RatingRules) -> Rating:
    if inputs.months < 1:
        raise ValueError("a rating period has at least one month")
    components = (
        mean_component("inspection", inputs.inspection_scores, rules.weights["inspection"]),
        mean_component("mystery", inputs.mystery_scores, rules.weights["mystery"]),
        complaint_component(inputs, rules),
        commendation_component(inputs, rules),
        evaluator_component(inputs, rules),
    )
    counted = [component for component in components if component.counted]
    if len(counted) < rules.min_components:
        return Rating(None, 0, components)
    total_weight = sum((component.weight for component in counted), Decimal(0))
    score = _cents(sum((component.score * component.weight for component in counted), Decimal(0)) / total_weight)
    return Rating(score, stars_for(score, rules.bands), components)
