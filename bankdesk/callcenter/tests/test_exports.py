"""The skill, team and agent lists and the standard scripts exported in the background (kinds callcenter.skills,
callcenter.teams, callcenter.agents, callcenter.scripts): the page's rows in the user's scope under Chinese
headers, filtered as the page is, the button on each page, 403 without callcenter.view."""

import pytest
from django.urls import reverse

from bankdesk.callcenter import scripts, services
from bankdesk.callcenter.models import CallReason, Team
from bankdesk.orgs.models import Role
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


@pytest.fixture
def branch_team(bank, center):
    """A team of branch B's call center with an agent of its own."""
    team = Team.objects.create(code="B1", name="西城一组", unit=center.branch_center)
    planner = bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)
    services.create_agent(planner, user=bank.user("b_agent", Role.AGENT, center.branch_center), agent_code="9001",
                          team=team, skills={center.skill: 2})
    return team


@pytest.mark.parametrize("kind,url", [("callcenter.skills", "callcenter:skills"),
                                      ("callcenter.teams", "callcenter:teams"),
                                      ("callcenter.agents", "callcenter:agents"),
                                      ("callcenter.scripts", "callcenter:scripts")])
def test_the_button_and_the_right(center, bank, logged_in, kind, url):
    assert f'value="{kind}"' in logged_in(center.agent_user).get(reverse(url)).content.decode()
    assert request_export(logged_in(bank.user("teller", Role.TELLER, bank.outlet_a)), kind).status_code == 403


def test_teams_in_scope(center, branch_team, bank, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(bank.admin)
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "callcenter.teams", "xlsx"))
    assert header == ["代码", "名称", "机构", "班组长", "在岗坐席", "启用"]
    assert sorted((row[0], row[4]) for row in rows) == [("B1", 1), ("T1", 1)]
    branch_b = logged_in(bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b))
    job = run_export(branch_b, django_capture_on_commit_callbacks, "callcenter.teams", "csv")
    assert [row[0] for row in table(branch_b, job)[1:]] == ["B1"]


def test_agents_filtered_and_in_scope(center, branch_team, bank, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(bank.admin)
    job = run_export(client, django_capture_on_commit_callbacks, "callcenter.agents", "csv", f"team={center.team.pk}")
    header, *rows = table(client, job)
    assert header[:2] == ["工号", "名称"]
    assert [(row[0], row[4]) for row in rows] == [("8001", "综合 (4)")]
    branch_b = logged_in(bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b))
    text = pdf_text(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "callcenter.agents", "pdf"))
    assert "9001" in text and "西城一组" in text and "8001" not in text


def test_skills_count_the_agents_in_scope(center, branch_team, bank, logged_in, django_capture_on_commit_callbacks):
    branch_b = logged_in(bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b))
    job = run_export(branch_b, django_capture_on_commit_callbacks, "callcenter.skills", "xlsx")
    assert [row[:3] for row in table(branch_b, job)[1:]] == [["GENERAL", "综合", 1]]
    whole = logged_in(bank.admin)
    assert [row[2] for row in table(whole, run_export(whole, django_capture_on_commit_callbacks,
                                                      "callcenter.skills", "xlsx"))[1:]] == [2]


def test_the_standard_scripts(center, bank, logged_in, django_capture_on_commit_callbacks):
    loss, fee = (CallReason.objects.create(code="card_loss", name="挂失补卡"),
                 CallReason.objects.create(code="fee", name="收费咨询"))
    scripts.create_script(center.head, scripts.ScriptInput(loss, "挂失补卡话术", "您好，请您先致电挂失。", center.unit))
    scripts.create_script(center.head, scripts.ScriptInput(fee, "年费说明", "您好，年费按卡种收取。", center.unit))
    client = logged_in(center.agent_user)
    assert 'value="callcenter.scripts"' in client.get(reverse("callcenter:scripts")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "callcenter.scripts", "xlsx",
                                             f"reason={loss.pk}"))
    assert header == ["来电原因", "标题", "适用单位", "话术"]
    assert rows == [["挂失补卡", "挂失补卡话术", center.unit.name, "您好，请您先致电挂失。"]]
    other = logged_in(bank.user("b_agent", Role.AGENT, center.branch_center))  # the head office's center's own
    assert table(other, run_export(other, django_capture_on_commit_callbacks, "callcenter.scripts"))[1:] == []
