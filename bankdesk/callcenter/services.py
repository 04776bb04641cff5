"""Every write of the call-center app: checked, in a transaction, with its audit event.

Skills, queues and teams are written by the editable tables (config.py, core.config_tables.save_entry);
agents here, because an agent links a user, a team and skills with their levels."""

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.callcenter.audit_actions import CallcenterAction
from bankdesk.callcenter.models import Agent, AgentSkill, Skill, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import text_problem
from bankdesk.core.permissions import require_in_scope

AGENT_FIELDS = ["agent_code", "team", "is_active"]


def _snapshot(agent: Agent) -> dict:
    data = audit.snapshot(agent, AGENT_FIELDS)
    data["skills"] = {row.skill.code: row.level for row in agent.agent_skills.select_related("skill")}
    return data


def _check_agent_code(agent_code: str, agent: Agent | None = None) -> str:
    code = (agent_code or "").strip()
    if not code or len(code) > 32 or text_problem(code):
        raise ValidationFailed(_("Enter the agent ID of the call distributor (up to 32 characters)."),
                               field="agent_code")
    taken = Agent.objects.filter(agent_code=code).exclude(pk=agent.pk if agent else None).exists()
    if taken:
        raise ValidationFailed(_("Another agent already has the ID %(code)s.") % {"code": code}, field="agent_code")
    return code


def _check_levels(skills: dict[Skill, int]) -> None:
    for skill, level in skills.items():
        if not 1 <= int(level) <= 5:
            raise ValidationFailed(_("A skill level is a whole number from 1 to 5 (%(skill)s).") % {"skill": skill},
                                   field="skills")


def _set_skills(agent: Agent, skills: dict[Skill, int]) -> None:
    AgentSkill.objects.filter(agent=agent).exclude(skill__in=list(skills)).delete()  # a link, not a record
    for skill, level in skills.items():
        AgentSkill.objects.update_or_create(agent=agent, skill=skill, defaults={"level": int(level)})


@transaction.atomic
def create_agent(actor, *, user, agent_code: str, team: Team, skills: dict[Skill, int] | None = None) -> Agent:
    """Make `user` an agent of `team`; the actor manages the call center over the team's unit."""
    require_in_scope(actor, CallcenterPermission.MANAGE, team.unit)
    if Agent.objects.filter(user=user).exists():
        raise ValidationFailed(_("%(user)s is an agent already.") % {"user": user}, field="user")
    skills = skills or {}
    _check_levels(skills)
    agent = Agent.objects.create(user=user, agent_code=_check_agent_code(agent_code), team=team)
    _set_skills(agent, skills)
    audit.record(CallcenterAction.AGENT_CREATE, agent, after=_snapshot(agent), actor=actor)
    return agent


@transaction.atomic
def update_agent(actor, agent: Agent, *, agent_code: str, team: Team, is_active: bool,
                 skills: dict[Skill, int]) -> Agent:
    """Move an agent to another team, change the ACD login or the skills, or retire the agent."""
    require_in_scope(actor, CallcenterPermission.MANAGE, agent.team.unit)
    require_in_scope(actor, CallcenterPermission.MANAGE, team.unit)
    _check_levels(skills)
    before = _snapshot(agent)
    agent.agent_code = _check_agent_code(agent_code, agent)
    agent.team = team
    agent.is_active = is_active
    agent.save()
    _set_skills(agent, skills)
    audit.record(CallcenterAction.AGENT_UPDATE, agent, before=before, after=_snapshot(agent), actor=actor)
    return agent
