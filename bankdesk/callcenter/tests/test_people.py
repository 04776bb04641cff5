"""Teams, agents and skills: the services (rights, scope, audit, deactivation), the API and the pages."""

import pytest

from bankdesk.callcenter import selectors, services
from bankdesk.callcenter.models import Agent, Skill, Team
from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.orgs.models import Role


@pytest.fixture
def viewer_b(bank):
    """A manager of branch B: holds callcenter.view, but over branch B only."""
    return bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b)


@pytest.fixture
def planner_b(bank, center):
    return bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)


# --- Services ------------------------------------------------------------------------------------------------------

def test_a_team_is_made_changed_and_audited(center):
    team = services.create_team(center.head, services.TeamInput("T2", " 二组 ", center.unit, center.head))
    assert (team.name, team.leader) == ("二组", center.head)
    services.update_team(center.head, team, services.TeamInput("T2", "二组（夜班）", center.unit, None))
    actions = list(AuditEvent.objects.filter(object_id=str(team.pk), action__startswith="callcenter.team")
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["callcenter.team.create", "callcenter.team.update"]


def test_a_team_is_deactivated_only_without_active_agents(center):
    data = services.TeamInput(center.team.code, center.team.name, center.unit, None, is_active=False)
    with pytest.raises(ValidationFailed) as refused:
        services.update_team(center.head, center.team, data)
    assert refused.value.field == "is_active"
    services.update_agent(center.head, center.agent, agent_code="8001", team=center.team, is_active=False,
                          skills={center.skill: 4})
    services.update_team(center.head, center.team, data)
    assert Team.objects.get(pk=center.team.pk).is_active is False
    assert Agent.objects.filter(pk=center.agent.pk).exists()  # deactivated, never deleted


def test_rights_and_scope_of_the_writes(center, bank, planner_b):
    with pytest.raises(PermissionDenied):  # an agent holds callcenter.view, not manage
        services.create_team(center.agent_user, services.TeamInput("T9", "九组", center.unit))
    with pytest.raises(NotFound):  # branch B's planner cannot reach the head office's call center
        services.create_team(planner_b, services.TeamInput("T9", "九组", center.unit))
    with pytest.raises(NotFound):
        services.update_agent(planner_b, center.agent, agent_code="8001", team=center.team, is_active=True,
                              skills={})
    with pytest.raises(PermissionDenied):  # skills are bank-wide: the head office's
        services.create_skill(center.head, services.SkillInput("CARD", "信用卡"))
    skill = services.create_skill(bank.admin, services.SkillInput("CARD", "信用卡"))
    assert AuditEvent.objects.filter(action="callcenter.skill.create", object_id=str(skill.pk)).exists()


def test_an_agent_must_be_staff_in_scope_with_valid_skills(center, bank):
    outsider = bank.user("teller_b", Role.TELLER, bank.outlet_b)
    with pytest.raises(ValidationFailed) as refused:
        services.create_agent(center.head, user=outsider, agent_code="8100", team=center.team)
    assert refused.value.field == "user"
    newcomer = bank.user("cc_new", Role.AGENT, center.unit)
    with pytest.raises(ValidationFailed) as refused:
        services.create_agent(center.head, user=newcomer, agent_code="8001", team=center.team)
    assert refused.value.field == "agent_code"
    retired = Skill.objects.create(code="OLD", name="旧技能", is_active=False)
    with pytest.raises(ValidationFailed) as refused:
        services.create_agent(center.head, user=newcomer, agent_code="8100", team=center.team, skills={retired: 3})
    assert refused.value.field == "skills"


def test_another_branch_sees_no_team_or_agent(center, viewer_b):
    assert selectors.teams(viewer_b).count() == 0
    assert selectors.agents(viewer_b).count() == 0
    with pytest.raises(NotFound):
        selectors.team(viewer_b, center.team.pk)
    with pytest.raises(NotFound):
        selectors.agent(viewer_b, center.agent.pk)


# --- API -----------------------------------------------------------------------------------------------------------

def test_the_api_makes_and_changes_teams_agents_and_skills(center, bank, logged_in):
    admin = logged_in(bank.admin)
    answer = admin.post("/api/callcenter/skills", {"code": "CARD", "name": "信用卡"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["is_active"] is True
    card = answer.json()["id"]

    client = logged_in(center.head)
    answer = client.post("/api/callcenter/teams", {"code": "T2", "name": "二组", "unit_id": center.unit.pk,
                                                   "leader_id": center.head.pk}, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    team = answer.json()
    assert (team["unit"], team["leader"], team["active_agents"]) == ("CC", "cc_head", 0)

    newcomer = bank.user("cc_new", Role.AGENT, center.unit)
    answer = client.post("/api/callcenter/agents", {
        "user_id": newcomer.pk, "agent_code": "8002", "team_id": team["id"],
        "skills": [{"skill": "GENERAL", "level": 2}, {"skill": "CARD", "level": 5}]}, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    agent = answer.json()
    assert sorted((row["skill"], row["level"]) for row in agent["skills"]) == [("CARD", 5), ("GENERAL", 2)]

    answer = client.patch(f"/api/callcenter/agents/{agent['id']}", {"skills": [{"skill": "CARD", "level": 4}]},
                          content_type="application/json")
    assert answer.json()["skills"] == [{"skill": "CARD", "level": 4}] and answer.json()["agent_code"] == "8002"
    answer = client.patch(f"/api/callcenter/agents/{agent['id']}", {"is_active": False},
                          content_type="application/json")
    assert answer.json()["is_active"] is False and answer.json()["skills"] == [{"skill": "CARD", "level": 4}]
    answer = client.patch(f"/api/callcenter/teams/{team['id']}", {"is_active": False, "leader_id": None},
                          content_type="application/json")
    assert (answer.json()["is_active"], answer.json()["leader"]) == (False, None)

    admin = logged_in(bank.admin)
    answer = admin.patch(f"/api/callcenter/skills/{card}", {"is_active": False}, content_type="application/json")
    assert answer.json()["is_active"] is False and answer.json()["name"] == "信用卡"
    assert AuditEvent.objects.filter(action="callcenter.agent.update", object_id=str(agent["id"])).count() == 2


def test_api_lists_filter_sort_and_count(center, bank, logged_in):
    for number, name in enumerate(["丙组", "甲组"], start=2):
        services.create_team(center.head, services.TeamInput(f"T{number}", name, center.unit))
    client = logged_in(center.agent_user)
    teams = client.get("/api/callcenter/teams", {"sort": "-code", "page_size": 2}).json()
    assert ([row["code"] for row in teams["items"]], teams["total"]) == (["T3", "T2"], 3)
    assert client.get("/api/callcenter/teams", {"q": "甲"}).json()["items"][0]["code"] == "T3"
    assert client.get("/api/callcenter/teams", {"sort": "-agents"}).json()["items"][0]["active_agents"] == 1
    assert client.get("/api/callcenter/agents", {"skill": center.skill.pk, "q": "cc_agent"}).json()["total"] == 1
    assert client.get("/api/callcenter/agents", {"active": "no"}).json()["total"] == 0
    skills = client.get("/api/callcenter/skills").json()
    assert skills["items"] == [{"id": center.skill.pk, "code": "GENERAL", "name": "综合", "is_active": True,
                                "active_agents": 1}]
    assert client.get("/api/callcenter/teams", {"active": "maybe"}).json()["field"] == "active"


def test_api_lists_are_a_fixed_number_of_queries(center, bank, logged_in, django_assert_num_queries,
                                                  django_assert_max_num_queries):
    client = logged_in(center.head)
    client.get("/api/callcenter/teams")  # the first request fills caches
    with django_assert_max_num_queries(5) as few:  # session, user, grants, COUNT, rows (unit, leader joined)
        client.get("/api/callcenter/teams")
    for number in range(4):
        team = services.create_team(center.head, services.TeamInput(f"X{number}", f"组{number}", center.unit,
                                                                    center.head))
        user = bank.user(f"x{number}", Role.AGENT, center.unit)
        services.create_agent(center.head, user=user, agent_code=f"7{number}", team=team, skills={center.skill: 2})
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/callcenter/teams").json()["total"] == 5
    with django_assert_num_queries(len(few.captured_queries) + 1):  # COUNT, agents (user, team joined), skills
        assert client.get("/api/callcenter/agents").json()["total"] == 5


def test_the_api_refuses_without_the_right(center, logged_in):
    client = logged_in(center.agent_user)
    answer = client.post("/api/callcenter/teams", {"code": "T2", "name": "二组", "unit_id": center.unit.pk},
                         content_type="application/json")
    assert answer.status_code == 403
    assert client.patch(f"/api/callcenter/agents/{center.agent.pk}", {"is_active": False},
                        content_type="application/json").status_code == 403
    head = logged_in(center.head)
    answer = head.post("/api/callcenter/skills", {"code": "CARD", "name": "信用卡"}, content_type="application/json")
    assert answer.status_code == 403  # a head below the head office: skills are bank-wide


def test_another_branch_sees_nothing_in_the_api(center, viewer_b, planner_b, logged_in):
    client = logged_in(viewer_b)
    assert client.get("/api/callcenter/teams").json()["total"] == 0
    assert client.get("/api/callcenter/agents").json()["total"] == 0
    assert client.get(f"/api/callcenter/teams/{center.team.pk}").status_code == 404
    assert client.get(f"/api/callcenter/agents/{center.agent.pk}").status_code == 404
    other = logged_in(planner_b)
    assert other.patch(f"/api/callcenter/teams/{center.team.pk}", {"name": "x"},
                       content_type="application/json").status_code == 404
    answer = other.post("/api/callcenter/teams", {"code": "T9", "name": "九组", "unit_id": center.unit.pk},
                        content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == "unit_id"
    assert Team.objects.filter(code="T9").count() == 0


# --- Pages ---------------------------------------------------------------------------------------------------------

def test_the_lists_filter_sort_count_in_chinese(center, bank, logged_in, django_assert_max_num_queries,
                                               django_assert_num_queries):
    services.create_team(center.head, services.TeamInput("T2", "夜班组", center.unit))
    client = logged_in(center.head)
    page = client.get("/callcenter/teams/", {"q": "夜班", "sort": "-code"}).content.decode()
    assert "夜班组" in page and "一组" not in page and "1 条记录" in page and "新增班组" in page
    with django_assert_max_num_queries(14):  # the page's own (session, user, grants, menu), filters, COUNT, rows
        page = client.get("/callcenter/agents/", {"team": center.team.pk}).content.decode()
    assert "8001" in page and "综合 (4)" in page and "坐席" in page
    assert "技能" in client.get("/callcenter/skills/").content.decode()


def test_a_form_keeps_its_input_on_error_and_deactivates(center, logged_in):
    client = logged_in(center.head)
    answer = client.post("/callcenter/teams/new/", {"code": "T1", "name": "重复的组", "unit": center.unit.pk})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "重复的组" in page and "T1" in page  # the input stays; the code is taken
    assert Team.objects.count() == 1
    answer = client.post(f"/callcenter/agents/{center.agent.pk}/", {
        "agent_code": "8001", "team": center.team.pk, f"skill_{center.skill.pk}": "5"})  # is_active unticked
    assert answer.status_code == 302
    agent = Agent.objects.get(pk=center.agent.pk)
    assert agent.is_active is False and agent.agent_skills.get().level == 5


def test_the_pages_refuse_without_the_right_and_out_of_scope(center, viewer_b, planner_b, logged_in):
    client = logged_in(center.agent_user)
    assert client.get("/callcenter/teams/").status_code == 200
    assert client.get("/callcenter/teams/new/").status_code == 403
    assert client.get(f"/callcenter/agents/{center.agent.pk}/").status_code == 403
    assert logged_in(planner_b).get(f"/callcenter/teams/{center.team.pk}/").status_code == 404
    page = logged_in(viewer_b).get("/callcenter/agents/").content.decode()
    assert "8001" not in page and "0 条记录" in page
