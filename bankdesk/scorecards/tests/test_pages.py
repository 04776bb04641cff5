"""The quality-monitoring pages: scoring a call, lists, calibration spread, trends, the editor."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bankdesk.scorecards import evaluations
from bankdesk.scorecards.models import Evaluation, EvaluationStatus, Item, ScorecardVersion, VersionStatus
from bankdesk.scorecards.tests.conftest import build_scorecard, items_of
from bankdesk.scorecards.tests.test_evaluations import answers


def scored(qa, card, inspector=None, *, identity="yes", call_id="C1", staff=None):
    inspector = inspector or qa.inspector
    evaluation = evaluations.start_evaluation(inspector, card.versions.get(), staff=staff or qa.agent, call_id=call_id)
    return evaluations.submit_evaluation(inspector, evaluation, answers(evaluation.version, identity=identity))


def test_an_inspector_scores_a_call_on_the_pages(qa, call_card, logged_in):
    client = logged_in(qa.inspector)
    version = call_card.versions.get()
    response = client.post(reverse("scorecards:evaluation_start"), {
        "version": version.pk, "staff": qa.agent.username, "call_id": "C20260301-7"})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("scorecards:evaluation_score", args=[evaluation.pk])
    ids = items_of(version)
    form = {f"item_{ids['规范问候']}": "yes", f"item_{ids['核实客户身份']}": "yes",
            f"item_{ids['业务解答准确']}": "25", f"item_{ids['规范结束语']}": "na", "comment": "语速偏快"}
    response = client.post(reverse("scorecards:evaluation_score", args=[evaluation.pk]), {**form, "submit": "1"})
    assert response.status_code == 200  # 25 is more than the item's 20 points: the form comes back filled
    page = response.content.decode()
    assert "0 到 20.00 分" in page or "0 to 20.00" in page
    assert 'value="25"' in page and "语速偏快" in page
    form[f"item_{ids['业务解答准确']}"] = "15"
    response = client.post(reverse("scorecards:evaluation_score", args=[evaluation.pk]), {**form, "submit": "1"})
    assert response.url == reverse("scorecards:evaluation", args=[evaluation.pk])
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.score == Decimal("85.00")
    detail = client.get(response.url).content.decode()
    assert "85.00" in detail and "75.00" in detail  # the total and the second section


def test_saving_keeps_a_draft(qa, call_card, logged_in):
    client = logged_in(qa.inspector)
    evaluation = evaluations.start_evaluation(qa.inspector, call_card.versions.get(), staff=qa.agent, call_id="C1")
    greeting = items_of(evaluation.version)["规范问候"]
    response = client.post(reverse("scorecards:evaluation_score", args=[evaluation.pk]),
                           {f"item_{greeting}": "no", "save": "1"})
    assert response.url == reverse("scorecards:evaluation_score", args=[evaluation.pk])
    assert evaluation.scores.get().points == 0
    assert evaluation.status == EvaluationStatus.DRAFT


def test_the_subject_form_names_a_bad_staff_member(qa, call_card, bank, logged_in):
    bank.user("agent_far", "agent", bank.branch_b)
    client = logged_in(qa.inspector)
    response = client.post(reverse("scorecards:evaluation_start"), {
        "version": call_card.versions.get().pk, "staff": "agent_far", "call_id": "C1"})
    assert response.status_code == 200 and not Evaluation.objects.exists()
    assert 'value="agent_far"' in response.content.decode()


def test_the_list_filters_counts_and_reads_in_few_queries(qa, call_card, logged_in, django_assert_max_num_queries):
    for number in range(6):
        scored(qa, call_card, identity="no" if number % 3 == 0 else "yes", call_id=f"C{number}")
    client = logged_in(qa.inspector2)
    client.get(reverse("scorecards:evaluations"))  # the session and caches warmed: what remains is the page's own
    with django_assert_max_num_queries(6):  # session, user, grants, count, the page, the inbox badge
        response = client.get(reverse("scorecards:evaluations"), {"fatal_only": "on", "sort": "-score"})
    assert response.context["page"].total == 2
    response = client.get(reverse("scorecards:evaluations"), {"call_id": "C4"})
    assert [evaluation.call_id for evaluation in response.context["page"].items] == ["C4"]


def test_an_agent_sees_only_their_own_submitted_evaluations(qa, call_card, logged_in):
    mine = scored(qa, call_card)
    scored(qa, call_card, staff=qa.agent2)
    evaluations.start_evaluation(qa.inspector, call_card.versions.get(), staff=qa.agent, call_id="DRAFT")
    client = logged_in(qa.agent)
    response = client.get(reverse("scorecards:evaluations"))
    assert [evaluation.pk for evaluation in response.context["page"].items] == [mine.pk]
    other = Evaluation.objects.exclude(pk=mine.pk).first()
    assert client.get(reverse("scorecards:evaluation", args=[other.pk])).status_code == 404
    assert client.get(reverse("scorecards:evaluation_start")).status_code == 403
    assert client.get(reverse("scorecards:trends")).status_code == 200


def test_another_branch_sees_nothing(qa, call_card, logged_in):
    evaluation = scored(qa, call_card)
    client = logged_in(qa.inspector_b)
    assert client.get(reverse("scorecards:evaluations")).context["page"].total == 0
    assert client.get(reverse("scorecards:evaluation", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("scorecards:scorecard", args=[call_card.pk])).status_code == 404
    assert client.post(reverse("scorecards:evaluation_void", args=[evaluation.pk]), {"reason": "x"}).status_code == 404


def test_the_calibration_page_shows_the_spread(qa, call_card, logged_in):
    session = evaluations.create_calibration(qa.inspector, call_card.versions.get(), title="校准", staff=qa.agent,
                                             call_id="CAL")
    for inspector, accuracy, greeting in [(qa.inspector, "20", "yes"), (qa.inspector2, "10", "no")]:
        evaluation = evaluations.start_evaluation(inspector, None, calibration=session)
        evaluations.submit_evaluation(inspector, evaluation, answers(evaluation.version, accuracy=accuracy,
                                                                     greeting=greeting))
    response = logged_in(qa.inspector).get(reverse("scorecards:calibration", args=[session.pk]))
    spread = response.context["spread"]
    accuracy = spread.sections[1][1][0]
    assert (accuracy.minimum, accuracy.maximum, accuracy.std_dev, accuracy.apart) == (
        Decimal(10), Decimal(20), Decimal("5.00"), True)
    # totals 100.00 and (40 * 0.5 + 60 * 20/30) = 60.00: std dev 20
    assert (spread.total.minimum, spread.total.maximum, spread.total.std_dev) == (
        Decimal("60.00"), Decimal("100.00"), Decimal("20.00"))
    assert "apart" in response.content.decode() or "分歧" in response.content.decode()


def test_trends_chart_the_months(qa, call_card, logged_in):
    scored(qa, call_card)
    scored(qa, call_card, identity="no")
    response = logged_in(qa.inspector).get(reverse("scorecards:trends"), {"months": 3})
    chart = response.context["chart"]
    assert len(chart["months"]) == 3 and chart["count"][-1] == 2 and chart["fatal"][-1] == 1
    assert chart["average"][-1] == 45.0
    assert [row["staff__username"] for row in response.context["page"].items] == [qa.agent.username]
    assert 'id="qa-trend-data"' in response.content.decode()
    own = logged_in(qa.agent).get(reverse("scorecards:trends"), {"staff": qa.agent2.username})
    assert own.context["staff"] == qa.agent.username and own.context["page"] is None


def test_the_editor_builds_and_publishes_a_version(qa, logged_in):
    client = logged_in(qa.inspector)
    response = client.post(reverse("scorecards:scorecard_create"), {
        "code": "CC-NEW", "name": "新评分表", "kind": "call", "unit": qa.cc.pk, "pass_mark": "80"})
    version = ScorecardVersion.objects.get(scorecard__code="CC-NEW")
    assert response.url == reverse("scorecards:version", args=[version.pk])
    client.post(reverse("scorecards:section_add", args=[version.pk]), {"title": "开场", "weight": "30"})
    section = version.sections.get()
    response = client.post(reverse("scorecards:item_add", args=[section.pk]), {
        "text": "问候", "answer_type": "points", "max_points": "5", "is_fatal": "on"})
    assert response.status_code == 200 and not Item.objects.exists()  # a fatal item is answered yes or no
    client.post(reverse("scorecards:item_add", args=[section.pk]), {"text": "问候", "answer_type": "yes_no",
                                                                     "max_points": "5"})
    client.post(reverse("scorecards:version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    response = client.post(reverse("scorecards:section_add", args=[version.pk]), {"title": "再加", "weight": "1"})
    assert response.status_code == 200 and version.sections.count() == 1
    client.post(reverse("scorecards:draft_start", args=[version.scorecard_id]))
    assert version.scorecard.versions.filter(status=VersionStatus.DRAFT, number=2).exists()


@pytest.mark.parametrize("name", ["scorecard_create", "evaluation_start", "calibration_create"])
def test_an_agent_cannot_open_the_inspectors_forms(qa, logged_in, name):
    assert logged_in(qa.agent).get(reverse(f"scorecards:{name}")).status_code == 403


def test_pages_render_for_the_inspector(qa, call_card, logged_in):
    evaluation = scored(qa, call_card)
    client = logged_in(qa.inspector)
    for url in [reverse("scorecards:evaluations"), reverse("scorecards:evaluation", args=[evaluation.pk]),
                reverse("scorecards:scorecards"), reverse("scorecards:scorecard", args=[call_card.pk]),
                reverse("scorecards:version", args=[evaluation.version_id]), reverse("scorecards:calibrations"),
                reverse("scorecards:calibration_create"), reverse("scorecards:evaluation_start")]:
        assert client.get(url).status_code == 200, url


def test_trends_by_team(qa, call_card, logged_in):
    from bankdesk.callcenter.models import Agent, Team

    team = Team.objects.create(code="T1", name="一组", unit=qa.cc)
    Agent.objects.create(user=qa.agent, agent_code="1001", team=team)
    scored(qa, call_card)
    scored(qa, call_card, staff=qa.agent2, identity="no")
    client = logged_in(qa.inspector)
    response = client.get(reverse("scorecards:trends"))
    assert [(row["staff__callcenter_agent__team__name"], row["average"]) for row in response.context["teams"]] == [
        ("一组", Decimal("90"))]
    response = client.get(reverse("scorecards:trends"), {"team": team.pk})
    assert response.context["chart"]["count"][-1] == 1 and response.context["teams"] is None


def test_my_results_show_the_own_trend_and_evaluations(qa, call_card, logged_in):
    mine = scored(qa, call_card)
    scored(qa, call_card, staff=qa.agent2)
    response = logged_in(qa.agent).get(reverse("scorecards:my_results"))
    assert [evaluation.pk for evaluation in response.context["evaluations"]] == [mine.pk]
    assert response.context["chart"]["count"][-1] == 1
    assert logged_in(qa.inspector).get(reverse("scorecards:my_results")).status_code == 403
