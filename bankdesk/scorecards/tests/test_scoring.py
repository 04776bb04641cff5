"""The arithmetic of a scorecard: weighted sections, not applicable left out, fatal items zero."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bankdesk.scorecards.scoring import ItemAnswer, SectionAnswers, compute

D = Decimal


def card(greeting, identity, accuracy, closing):
    """Opening (weight 40): greeting 10, identity check 10 (fatal); solution (weight 60): accuracy 20,
    closing 10. None: not applicable."""
    return [SectionAnswers(D(40), (ItemAnswer(D(10), greeting), ItemAnswer(D(10), identity, is_fatal=True))),
            SectionAnswers(D(60), (ItemAnswer(D(20), accuracy), ItemAnswer(D(10), closing)))]


def test_weighted_sections():
    result = compute(card(D(10), D(10), D(15), D(10)))
    assert result.section_scores == (D("100.00"), D("83.33"))
    assert result.score == result.raw_score == D("90.00")
    assert not result.fatal_failed


def test_not_applicable_leaves_the_denominator():
    result = compute(card(D(10), D(10), D(15), None))
    assert result.section_scores == (D("100.00"), D("75.00"))
    assert result.score == D("85.00")


def test_a_section_wholly_not_applicable_leaves_the_total():
    sections = [SectionAnswers(D(40), (ItemAnswer(D(10), D(5)),)), SectionAnswers(D(60), (ItemAnswer(D(10), None),))]
    result = compute(sections)
    assert result.section_scores == (D("50.00"), None)
    assert result.score == D("50.00")


def test_a_failed_fatal_item_zeroes_the_total_and_keeps_the_raw_score():
    result = compute(card(D(10), D(0), D(20), D(10)))
    assert result.fatal_failed
    assert result.score == D("0.00")
    assert result.raw_score == D("80.00")


def test_a_fatal_item_not_applicable_does_not_fail():
    result = compute(card(D(10), None, D(20), D(10)))
    assert not result.fatal_failed
    assert result.score == D("100.00")


def test_nothing_applicable_has_no_score():
    result = compute(card(None, None, None, None))
    assert result.score is None and result.raw_score is None


def test_rounding_half_up_to_cents():
    sections = [SectionAnswers(D(1), (ItemAnswer(D(3), D(2)),)), SectionAnswers(D(2), (ItemAnswer(D(8), D(1)),))]
    # (1 * 2/3 + 2 * 1/8) / 3 = 0.30555… -> 30.56
    assert compute(sections).score == D("30.56")


points = st.decimals(min_value=0, max_value=20, places=2)
maximum = st.decimals(min_value=D("0.01"), max_value=20, places=2)


@st.composite
def items(draw):
    top = draw(maximum)
    earned = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=top, places=2)))
    return ItemAnswer(top, earned, is_fatal=draw(st.booleans()))


sections_strategy = st.lists(st.builds(SectionAnswers, maximum, st.lists(items(), min_size=1, max_size=5).map(tuple)),
                             min_size=1, max_size=5)


@given(sections_strategy)
def test_the_score_lies_between_0_and_100_and_fatal_means_0(sections):
    result = compute(sections)
    if result.score is not None:
        assert D(0) <= result.score <= D(100)
        assert D(0) <= result.raw_score <= D(100)
    assert result.fatal_failed == any(item.is_fatal and item.points is not None and item.points < item.max_points
                                      for section in sections for item in section.items)
    if result.fatal_failed:
        assert result.score == 0


@given(sections_strategy)
def test_not_applicable_items_count_as_if_absent(sections):
    without = [SectionAnswers(section.weight, tuple(item for item in section.items if item.points is not None))
               for section in sections]
    assert compute(sections).raw_score == compute(without).raw_score
