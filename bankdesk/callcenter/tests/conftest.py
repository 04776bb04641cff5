"""A call center under the head office of the shared test bank, with a queue, a team and an agent."""

from dataclasses import dataclass

import pytest

from bankdesk.callcenter import services
from bankdesk.callcenter.models import Agent, Queue, Skill, Team
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import OrgUnit, Role, UnitKind, User


@dataclass
class Center:
    unit: OrgUnit
    branch_center: OrgUnit  # a call center of branch B, another scope
    skill: Skill
    queue: Queue
    team: Team
    head: User
    agent_user: User
    agent: Agent


@pytest.fixture
def center(bank) -> Center:
    unit = org_services.create_unit(bank.admin, code="CC", name="客服中心", kind=UnitKind.CALL_CENTER, parent=bank.root)
    branch_center = org_services.create_unit(bank.admin, code="B-CC", name="西城客服", kind=UnitKind.CALL_CENTER,
                                             parent=bank.branch_b)
    skill = Skill.objects.create(code="GENERAL", name="综合")
    queue = Queue.objects.create(code="HOTLINE", name="热线", unit=unit, skill=skill)
    team = Team.objects.create(code="T1", name="一组", unit=unit)
    head = bank.user("cc_head", Role.UNIT_HEAD, unit)
    agent_user = bank.user("cc_agent", Role.AGENT, unit)
    agent = services.create_agent(head, user=agent_user, agent_code="8001", team=team, skills={skill: 4})
    return Center(unit, branch_center, skill, queue, team, head, agent_user, agent)
