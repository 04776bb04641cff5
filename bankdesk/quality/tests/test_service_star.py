"""The service star of the month: the weighted total by hand, ranks, rounds, publishing."""

from decimal import Decimal

import pytest

from bankdesk.core import rules
from bankdesk.core.errors import Conflict, NotFound, ValidationFailed
from bankdesk.core.models import Notification
from bankdesk.quality.awards import scoring, services
from bankdesk.quality.models import RoundStatus
from bankdesk.quality.ranking import ranks
from bankdesk.quality.tests.conftest import days_ago

D = Decimal
SEED_WEIGHTS = scoring.StarWeights(team=D(30), operations=D(15), lobby=D(15), customers=D(40))


def test_the_total_is_the_weighted_mean_of_seed_002():
    # 0.30 * 90 + 0.15 * 80 + 0.15 * 70 + 0.40 * 95 = 27 + 12 + 10.5 + 38 = 87.5
    assert scoring.total(scoring.StarScores(D(90), D(80), D(70), D(95)), SEED_WEIGHTS) == D("87.50")


def test_weights_need_not_add_up_to_100():
    halves = scoring.StarWeights(team=D(1), operations=D(0), lobby=D(0), customers=D(1))
    assert scoring.total(scoring.StarScores(D(80), D(0), D(0), D("90.01")), halves) == D("85.01")  # 85.005 rounds up


def test_weights_of_nothing_are_refused():
    with pytest.raises(ValueError):
        scoring.total(scoring.StarScores(D(1), D(1), D(1), D(1)), scoring.StarWeights(D(0), D(0), D(0), D(0)))


def test_equal_totals_share_a_rank():
    assert ranks({"a": D(90), "b": D(95), "c": D(90), "d": D(70)}) == {"b": 1, "a": 2, "c": 2, "d": 4}


@pytest.mark.django_db
class TestRounds:
    def test_scores_rank_the_round_and_publishing_tells_the_winners(self, outlets):
        month = days_ago(0).replace(day=1)
        star_round = services.open_round(outlets.head_a, unit=outlets.outlet_a, month=month)
        assert services.open_round(outlets.head_a, unit=outlets.outlet_a, month=month) == star_round
        first = services.set_scores(outlets.head_a, star_round, staff=outlets.teller_a, team_score=90,
                                    operations_score=80, lobby_score=70, customer_score=95, customer_forms=12)
        second = services.set_scores(outlets.head_a, star_round, staff=outlets.lobby_a, team_score=D("99"),
                                     operations_score=99, lobby_score=99, customer_score=99)
        first.refresh_from_db()
        assert (first.total, first.rank, second.rank) == (D("87.50"), 2, 1)
        published = services.publish_round(outlets.head_a, star_round)
        assert published.status == RoundStatus.PUBLISHED
        assert published.weights == {"team": "30", "operations": "15", "lobby": "15", "customers": "40"}
        told = Notification.objects.filter(kind="quality.service_star")
        assert sorted(told.values_list("recipient__username", flat=True)) == ["lobby_a", "teller_a"]
        with pytest.raises(Conflict):
            services.set_scores(outlets.head_a, star_round, staff=outlets.teller_a, team_score=1, operations_score=1,
                                lobby_score=1, customer_score=1)

    def test_the_published_places_follow_the_rule_setting(self, outlets):
        rules.set_value(outlets.bank.admin, "quality.service_star.published_places", "1", "只公布第一名")
        star_round = services.open_round(outlets.head_a, unit=outlets.outlet_a, month=days_ago(0))
        for staff, score in ((outlets.teller_a, 90), (outlets.lobby_a, 80)):
            services.set_scores(outlets.head_a, star_round, staff=staff, team_score=score, operations_score=score,
                                lobby_score=score, customer_score=score)
        services.publish_round(outlets.head_a, star_round)
        assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["teller_a"]

    def test_bad_scores_and_strangers_are_refused(self, outlets):
        star_round = services.open_round(outlets.head_a, unit=outlets.outlet_a, month=days_ago(0))
        base = dict(staff=outlets.teller_a, team_score=90, operations_score=90, lobby_score=90, customer_score=90)
        for field, value in (("team_score", 101), ("customer_score", D("-1")), ("lobby_score", D("9.999")),
                             ("staff", outlets.teller_b), ("staff", None)):
            with pytest.raises(ValidationFailed) as failure:
                services.set_scores(outlets.head_a, star_round, **{**base, field: value})
            assert failure.value.field == field
        with pytest.raises(ValidationFailed):
            services.publish_round(outlets.head_a, star_round)  # nobody scored yet

    def test_another_outlets_head_cannot_open_or_score(self, outlets):
        with pytest.raises(NotFound):
            services.open_round(outlets.head_b, unit=outlets.outlet_a, month=days_ago(0))
        star_round = services.open_round(outlets.sqm, unit=outlets.outlet_a, month=days_ago(0))
        with pytest.raises(NotFound):
            services.set_scores(outlets.head_b, star_round, staff=outlets.teller_a, team_score=1, operations_score=1,
                                lobby_score=1, customer_score=1)

    def test_a_future_month_is_refused(self, outlets):
        from datetime import timedelta

        with pytest.raises(ValidationFailed) as failure:
            services.open_round(outlets.head_a, unit=outlets.outlet_a, month=days_ago(0) + timedelta(days=40))
        assert failure.value.field == "month"
