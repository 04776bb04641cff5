"""Star ratings of outlets: the formula on hand-built figures, then a run over a branch's records."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Complaint, Status
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.quality.figures import services as figures
from bankdesk.quality.models import OutletRating, RatingRun
from bankdesk.quality.ratings import formula, selectors, services
from bankdesk.quality.tests.conftest import commendation
from bankdesk.scorecards import services as scorecard_services
from bankdesk.scorecards.models import Evaluation, EvaluationStatus, ScorecardKind

D = Decimal
RULES = formula.RatingRules(
    weights={"inspection": D(30), "mystery": D(20), "complaints": D(20), "commendations": D(10), "evaluator": D(20)},
    complaint_rate_full_marks=D("0.5"), complaint_rate_zero=D(5), commendation_points=D(50), min_components=3,
    bands=((5, D(90)), (4, D(80)), (3, D(70)), (2, D(60)), (1, D(50))))


def _component(rating, code):
    return next(component for component in rating.components if component.code == code)


def test_the_rating_by_hand():
    # inspection (90 + 80) / 2 = 85; mystery 70; complaints 3 in 3 months over 20,000 customers = 0.5 a month
    # per 10,000 -> 100; commendations 3 in 3 months = 1 a month * 50 = 50; evaluator 950/1000 = 95.
    # (85*30 + 70*20 + 100*20 + 50*10 + 95*20) / 100 = (2550 + 1400 + 2000 + 500 + 1900) / 100 = 83.5 -> 4 stars
    rating = formula.compute(formula.RatingInputs(
        months=3, inspection_scores=(D(90), D(80)), mystery_scores=(D(70),), complaints=3, customers=D(20000),
        commendations=3, evaluator_responses=1000, evaluator_satisfied=950), RULES)
    assert rating.score == D("83.50") and rating.stars == 4
    assert [component.score for component in rating.components] == [D(85), D(70), D(100), D(50), D(95)]
    assert _component(rating, "complaints").figures["rate"] == D("0.50")


def test_the_complaint_score_falls_in_a_straight_line_between_the_two_rates():
    def complaint_score(complaints):
        inputs = formula.RatingInputs(months=1, complaints=complaints, customers=D(10000))
        return formula.complaint_component(inputs, RULES).score

    assert complaint_score(0) == D(100)
    assert complaint_score(2) == D("66.67")  # 100 * (5 - 2) / (5 - 0.5)
    assert complaint_score(5) == D(0) and complaint_score(9) == D(0)


def test_components_without_data_are_left_out_and_the_others_carry_the_weight():
    # No mystery shopping, no customer count: inspection 80 (30), commendations 100 (10), evaluator 60 (20)
    # (80*30 + 100*10 + 60*20) / 60 = (2400 + 1000 + 1200) / 60 = 76.67 -> 3 stars
    rating = formula.compute(formula.RatingInputs(
        months=1, inspection_scores=(D(80),), complaints=4, commendations=5, evaluator_responses=10,
        evaluator_satisfied=6), RULES)
    assert rating.score == D("76.67") and rating.stars == 3
    assert not _component(rating, "mystery").counted and not _component(rating, "complaints").counted


def test_too_few_components_leave_the_outlet_unrated():
    rating = formula.compute(formula.RatingInputs(months=1, inspection_scores=(D(100),)), RULES)
    assert rating.score is None and rating.stars == 0 and not rating.rated


def test_a_score_below_every_band_has_no_star():
    rating = formula.compute(formula.RatingInputs(
        months=1, inspection_scores=(D(10),), mystery_scores=(D(10),), evaluator_responses=10,
        evaluator_satisfied=1), RULES)
    assert rating.stars == 0 and rating.rated


def test_a_weight_of_zero_takes_a_component_out():
    rules = formula.RatingRules(**{**RULES.__dict__, "weights": {**RULES.weights, "commendations": D(0)}})
    rating = formula.compute(formula.RatingInputs(
        months=1, inspection_scores=(D(60),), mystery_scores=(D(60),), commendations=10, evaluator_responses=1,
        evaluator_satisfied=1), rules)
    # (60*30 + 60*20 + 100*20) / 70 = 5000 / 70 = 71.43
    assert rating.score == D("71.43")


def test_the_period_ends_on_the_last_day_of_its_last_month():
    assert services.period_end(date(2025, 11, 1), 3) == date(2026, 1, 31)
    assert services.period_end(date(2024, 2, 1), 1) == date(2024, 2, 29)


def _outlet_scorecard(actor, unit, kind, code):
    scorecard = scorecard_services.create_scorecard(actor, code=code, name=code, kind=kind, unit=unit)
    draft = scorecard.versions.get()
    section = scorecard_services.add_section(actor, draft, title="环境", weight=D(100))
    scorecard_services.add_item(actor, section, text="网点整洁", max_points=D(10))
    return scorecard_services.publish(actor, draft)


def _evaluation(version, unit, evaluator, score, when):
    return Evaluation.objects.create(version=version, kind=version.scorecard.kind, evaluator=evaluator, unit=unit,
                                     unit_path=unit.path, status=EvaluationStatus.SUBMITTED, score=score,
                                     submitted_at=when)


@pytest.mark.django_db
def test_a_run_rates_every_outlet_of_the_branch_from_its_records(outlets, desk, registration):
    start = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    middle = timezone.make_aware(datetime.combine(start + timedelta(days=10), time(10)))
    inspection = _outlet_scorecard(outlets.sqm, outlets.bank.branch_a, ScorecardKind.OUTLET_INSPECTION, "INS")
    mystery = _outlet_scorecard(outlets.sqm, outlets.bank.branch_a, ScorecardKind.MYSTERY_SHOPPING, "MYS")
    _evaluation(inspection, outlets.outlet_a, outlets.sqm, D(90), middle)
    _evaluation(inspection, outlets.outlet_a, outlets.sqm, D(80), middle)
    _evaluation(mystery, outlets.outlet_a, outlets.sqm, D(70), middle)
    _evaluation(mystery, outlets.outlet_a, outlets.sqm, D(10), middle - timedelta(days=40))  # before the period
    for _number in range(2):
        complaint = register_complaint(desk.agent, registration(received_at=middle))
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.NOT_ACCEPTED)  # refused: does not count
    figures.set_customer_count(outlets.sqm, unit=outlets.outlet_a, month=start, customers=20000)
    figures.set_evaluator_tally(outlets.sqm, unit=outlets.outlet_a, month=start, responses=200, satisfied=190)
    commendation(outlets.teller_a, outlets.outlet_a, received_on=start + timedelta(days=3))
    run = services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=start, months=1)
    rated = {rating.unit: rating for rating in run.ratings.all()}
    assert set(rated) == {outlets.outlet_a, outlets.outlet_a2}
    # inspection 85, mystery 70, complaints 1 / 20,000 a month = 0.5 per 10,000 -> 100, commendations 1 * 50 = 50,
    # evaluator 95: (85*30 + 70*20 + 100*20 + 50*10 + 95*20) / 100 = 83.5
    own = rated[outlets.outlet_a]
    assert (own.score, own.stars, own.rank) == (D("83.50"), 4, 1)
    assert {component["code"]: component["score"] for component in own.components}["complaints"] == "100"
    assert rated[outlets.outlet_a2].score is None and rated[outlets.outlet_a2].rank is None
    assert run.parameters["weights"]["inspection"] == "30"


@pytest.mark.django_db
def test_computing_a_period_again_replaces_the_current_rating(outlets):
    start = timezone.localdate().replace(day=1)
    first = services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=start, months=1)
    second = services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=start, months=1)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert OutletRating.objects.filter(unit=outlets.outlet_a).count() == 2
    assert list(selectors.history(outlets.head_a, outlets.outlet_a)) == [second.ratings.get(unit=outlets.outlet_a)]
    assert RatingRun.objects.count() == 2


@pytest.mark.django_db
def test_the_ranking_shows_an_outlet_head_only_their_outlet(outlets):
    start = timezone.localdate().replace(day=1)
    services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=start, months=1)
    assert [rating.unit for rating in selectors.ranking(outlets.head_a)] == [outlets.outlet_a]
    assert {rating.unit for rating in selectors.ranking(outlets.sqm)} == {outlets.outlet_a, outlets.outlet_a2}
    assert list(selectors.ranking(outlets.head_b)) == []
    other = OutletRating.objects.get(unit=outlets.outlet_a2)
    with pytest.raises(NotFound):
        selectors.rating(outlets.head_a, other.pk)


@pytest.mark.django_db
def test_only_the_service_management_rates_and_only_its_units(outlets):
    start = timezone.localdate().replace(day=1)
    from bankdesk.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.compute_ratings(outlets.head_a, unit=outlets.outlet_a, period_start=start, months=1)
    with pytest.raises(NotFound):
        services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_b, period_start=start, months=1)
    with pytest.raises(ValidationFailed) as failure:
        services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=start, months=2)
    assert failure.value.field == "months"
