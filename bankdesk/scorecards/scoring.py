"""The arithmetic of a scorecard, on plain values so every caller (and a property test) can use it.

- An item earns points from 0 to its maximum; "not applicable" (None) leaves it out of its
  section's possible points as well as its earned points.
- A section scores earned / possible; a section whose items are all not applicable is left out.
- The total is the weighted mean of the sections that apply, out of 100.
- A fatal item that does not earn its full points zeroes the total (the score before it is kept).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemAnswer:
    max_points: Decimal
    points: Decimal | None  # None: not applicable
    is_fatal: bool = False

    @property
    def applies(self) -> bool:
        return self.points is not None

    @property
    def fails_fatally(self) -> bool:
        return self.is_fatal and self.applies and self.points < self.max_points


@dataclass(frozen=True)
class SectionAnswers:
    weight: Decimal
    items: tuple[ItemAnswer, ...]


@dataclass(frozen=True)
class Result:
    score: Decimal | None  # None: nothing applied
    raw_score: Decimal | None
    fatal_failed: bool
    section_scores: tuple[Decimal | None, ...]  # out of 100, None where nothing applied


def percent(value: Decimal) -> Decimal:
    return (value * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def section_fraction(items) -> Decimal | None:
    """Earned / possible points over the items that apply; None when none applies."""
    applicable = [item for item in items if item.applies]
    possible = sum((item.max_points for item in applicable), Decimal(0))
    if not possible:
        return None
    return sum((item.points for item in applicable), Decimal(0)) / possible


def compute(sections) -> Result:
    fractions = [section_fraction(section.items) for section in sections]
    counted = [(section.weight, fraction) for section, fraction in zip(sections, fractions) if fraction is not None]
    total_weight = sum((weight for weight, _fraction in counted), Decimal(0))
    raw = percent(sum((weight * fraction for weight, fraction in counted), Decimal(0)) / total_weight) \
        if total_weight else None
    fatal = any(item.fails_fatally for section in sections for item in section.items)
    score = Decimal("0.00") if fatal else raw
    return Result(score=score, raw_score=raw, fatal_failed=fatal,
                  section_scores=tuple(None if fraction is None else percent(fraction) for fraction in fractions))


def answers_of(sections, scores_by_item: dict) -> list[SectionAnswers]:
    """The answers of an evaluation, from its version's sections (with their items prefetched) and
    its item scores by item id (an item without a score counts as not applicable)."""
    def answer(item) -> ItemAnswer:
        score = scores_by_item.get(item.pk)
        return ItemAnswer(max_points=item.max_points, is_fatal=item.is_fatal,
                          points=None if score is None else score.points)
    return [SectionAnswers(weight=section.weight, items=tuple(answer(item) for item in section.items.all()))
            for section in sections]
