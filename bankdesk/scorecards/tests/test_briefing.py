"""The pre-shift briefing (班前会): a team's low scores and fatal items, calibration findings, complaints about
its agents and the calls that went wrong, of one day; who may read it and what they see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bankdesk.callcenter.models import Agent, Team
from bankdesk.complaints.handling import enquiries
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Complaint
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.orgs.models import Role
from bankdesk.scorecards import briefing, evaluations
from bankdesk.scorecards.tests.conftest import build_scorecard, items_of
from bankdesk.scorecards.tests.test_evaluations import answers


@pytest.fixture
def team(qa, bank):
    """Team one of the call center: qa.agent and qa.agent2, led by `leader` (an agent); `outsider` is an agent
    of the call center in team two."""
    qa.leader = bank.user("leader", Role.AGENT, qa.cc)
    qa.outsider = bank.user("outsider", Role.AGENT, qa.cc)
    one = Team.objects.create(code="T1", name="一组", unit=qa.cc, leader=qa.leader)
    two = Team.objects.create(code="T2", name="二组", unit=qa.cc)
    Agent.objects.create(user=qa.agent, agent_code="1001", team=one)
    Agent.objects.create(user=qa.agent2, agent_code="1002", team=one)
    Agent.objects.create(user=qa.leader, agent_code="1000", team=one)
    Agent.objects.create(user=qa.outsider, agent_code="2001", team=two)
    qa.team, qa.team_two = one, two
    return one


def scored(qa, card, staff, *, identity="yes", accuracy="15", comment="", inspector=None):
    inspector = inspector or qa.inspector
    evaluation = evaluations.start_evaluation(inspector, card.versions.get(), staff=staff, call_id=f"C-{staff.pk}")
    return evaluations.submit_evaluation(inspector, evaluation, answers(evaluation.version, identity=identity,
                                                                        accuracy=accuracy), comment=comment)


@pytest.fixture
def yesterday_of_the_team(qa, team, call_card, desk, registration):
    """Everything the briefing looks at, made today: a fatal slip of agent, a low score of agent2, a good call of
    agent, a low score of the outsider (another team), a closed calibration about agent where the inspectors
    disagree on accuracy, a complaint about agent2, and three calls logged by agent (the second about the same
    complaint, the third about an overdue one)."""
    made = {
        "fatal": scored(qa, call_card, qa.agent, identity="no", comment="未核实身份即办理挂失"),
        "low": scored(qa, call_card, qa.agent2, accuracy="4", comment="解答不完整"),
        "good": scored(qa, call_card, qa.agent),
        "other_team": scored(qa, call_card, qa.outsider, identity="no"),
    }
    session = evaluations.create_calibration(qa.inspector, call_card.versions.get(), title="本周校准", staff=qa.agent,
                                             call_id="CAL-1")
    for inspector, accuracy in [(qa.inspector, "20"), (qa.inspector2, "5")]:
        evaluation = evaluations.start_evaluation(inspector, None, calibration=session)
        evaluations.submit_evaluation(inspector, evaluation, answers(session.version, accuracy=accuracy))
    evaluations.close_calibration(qa.inspector, session)
    made["session"] = session
    made["about_agent2"] = register_complaint(desk.agent, registration(staff_concerned_id=qa.agent2.pk))
    chased = register_complaint(desk.agent, registration(phone="13900000001"))
    late = register_complaint(desk.agent, registration(phone="13900000002"))
    Complaint.objects.filter(pk=late.pk).update(current_deadline=timezone.now() - timedelta(hours=1))
    made["first"] = enquiries.log_caller_enquiry(qa.agent, chased.pk, "")
    made["again"] = enquiries.log_caller_enquiry(qa.agent, chased.pk, "客户再次来电催办")
    made["late"] = enquiries.log_caller_enquiry(qa.agent, late.pk, "")
    made["chased"], made["overdue"] = chased, late
    return made


def test_the_leader_sees_the_days_errors_of_the_team(qa, team, yesterday_of_the_team):
    made = yesterday_of_the_team
    today = timezone.localdate()
    found = briefing.briefing(qa.leader, team.pk, today)
    assert found.names_shown
    assert [finding.evaluation.pk for finding in found.evaluations] == [made["fatal"].pk, made["low"].pk]
    fatal, low = found.evaluations
    assert fatal.staff_name == str(qa.agent) and fatal.evaluation.comment == "未核实身份即办理挂失"
    assert [(item.text, item.is_fatal, item.points) for item in fatal.items] == [("核实客户身份", True, 0),
                                                                              ("业务解答准确", False, 15)]
    assert [(item.text, item.points) for item in low.items] == [("业务解答准确", 4)]
    assert not fatal.may_open  # the leader is an agent: evaluations of others stay the inspectors'
    [session] = found.calibrations
    assert session.session.pk == made["session"].pk and session.inspectors == 2
    assert [(item.text, item.minimum, item.maximum) for item in session.apart] == [("业务解答准确", 5, 20)]
    assert [(row["tracking_number"], row["staff_name"]) for row in found.complaints] == [
        (made["about_agent2"].tracking_number, str(qa.agent2))]
    assert found.calls_logged == 3
    assert [(call.call.pk, call.overdue, call.calls) for call in found.calls] == [
        (made["again"].pk, False, 2), (made["late"].pk, True, 1)]


def test_another_day_shows_nothing_and_the_default_is_the_previous_working_day(qa, team, yesterday_of_the_team):
    today = timezone.localdate()
    found = briefing.briefing(qa.leader, team.pk, today - timedelta(days=1))
    assert (found.evaluations, found.calibrations, found.complaints, found.calls, found.calls_logged) == (
        [], [], [], [], 0)
    day = briefing.previous_working_day(today)
    assert day < today and (today - day).days <= 10


def test_an_agent_sees_colleagues_findings_without_names(qa, team, yesterday_of_the_team):
    found = briefing.briefing(qa.agent, team.pk, timezone.localdate())
    assert not found.names_shown
    assert [(finding.staff_name, finding.may_open) for finding in found.evaluations] == [(str(qa.agent), True),
                                                                                         ("", False)]
    assert [row["staff_name"] for row in found.complaints] == [""]


def test_who_reads_which_team(qa, team, bank, desk):
    assert list(briefing.teams(qa.agent)) == [team]
    assert list(briefing.teams(qa.leader)) == [team]
    assert list(briefing.teams(qa.outsider)) == [qa.team_two]
    assert list(briefing.teams(qa.inspector)) == [team, qa.team_two]  # reads QA results at the call center
    with pytest.raises(NotFound):
        briefing.briefing(qa.outsider, team.pk, timezone.localdate())
    head_b = bank.user("head_b", Role.UNIT_HEAD, bank.branch_b)
    assert list(briefing.teams(head_b)) == []
    with pytest.raises(NotFound):
        briefing.briefing(head_b, team.pk, timezone.localdate())
    with pytest.raises(PermissionDenied):
        briefing.teams(desk.handler_a1)


def test_the_briefing_takes_a_fixed_number_of_queries(qa, team, yesterday_of_the_team, call_card,
                                                      django_assert_num_queries):
    today = timezone.localdate()
    briefing.briefing(qa.inspector, team.pk, today)  # rules and role assignments read once
    # team, evaluations, their items, calibration sessions, their scores, complaints, calls
    with django_assert_num_queries(7):
        found = briefing.briefing(qa.inspector, team.pk, today)
    for number in range(5):
        scored(qa, call_card, qa.agent2, identity="no", comment=f"第{number}通")
    with django_assert_num_queries(7):
        more = briefing.briefing(qa.inspector, team.pk, today)
    assert len(more.evaluations) == len(found.evaluations) + 5


def test_the_page(qa, team, yesterday_of_the_team, bank, desk, logged_in):
    url = reverse("scorecards:briefing")
    today = timezone.localdate().isoformat()
    page = logged_in(qa.leader).get(url, {"team": team.pk, "day": today})
    assert page.status_code == 200
    text = page.content.decode()
    assert "未核实身份即办理挂失" in text and yesterday_of_the_team["about_agent2"].tracking_number in text
    assert "本周校准" in text and "客户再次来电催办" in text
    assert page.context["briefing"].team == team
    assert logged_in(qa.leader).get(url).context["day"] < timezone.localdate()  # the previous working day
    assert logged_in(desk.handler_a1).get(url).status_code == 403
    # another team's id is no choice: the page shows the user's own team, never the other one
    outsider = logged_in(qa.outsider).get(url, {"team": team.pk, "day": today})
    assert outsider.status_code == 200 and outsider.context["briefing"].team == qa.team_two
    assert "未核实身份即办理挂失" not in outsider.content.decode()
    head_b = bank.user("head_b", Role.UNIT_HEAD, bank.branch_b)
    other_branch = logged_in(head_b).get(url, {"team": team.pk, "day": today})
    assert other_branch.status_code == 200 and other_branch.context["briefing"] is None
    assert "未核实身份即办理挂失" not in other_branch.content.decode()


def test_the_menu_offers_the_briefing_to_agents_and_supervisors(qa, team, desk, logged_in):
    url = reverse("scorecards:briefing")
    assert url in logged_in(qa.agent).get(reverse("scorecards:my_results")).content.decode()
    assert url not in logged_in(desk.handler_a1).get(reverse("scorecards:my_results")).content.decode()


def test_a_scorecard_without_pass_mark_uses_the_low_score_rule(qa, team, bank):
    card = build_scorecard(qa.inspector, qa.cc, code="CALL-NOPASS", pass_mark=None)
    low = scored(qa, card, qa.agent, accuracy="2")  # 40 + 60 * (2 + 10) / 30 = 64 < 80
    fine = scored(qa, card, qa.agent2, accuracy="19")
    found = briefing.briefing(qa.inspector, team.pk, timezone.localdate())
    assert [finding.evaluation.pk for finding in found.evaluations] == [low.pk]
    assert fine.passed is None and items_of(card.versions.get())
