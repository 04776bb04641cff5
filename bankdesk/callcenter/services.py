"""Every write of the call-center app: checked, in a transaction, the row locked, with its audit event.

Teams, agents and skills are written here (their pages and API call these functions); queues and call reasons
by the editable tables (config.py, core.config_tables.save_entry).

Rights: callcenter.manage over the team's unit for a team and its agents (a move between teams needs it over
both units, and the agent's user must belong to a unit in that scope); skills apply to the whole bank, so only
a holder of callcenter.manage at the head office adds or changes one. Nothing is deleted: a team, an agent or a
skill is deactivated (a team only once it has no active agents)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.callcenter.audit_actions import CallcenterAction
from bankdesk.callcenter.models import Agent, AgentSkill, Skill, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import control_character_problem, text_problem
from bankdesk.core.permissions import has_permission, require_in_scope, require_whole_bank

MANAGE = CallcenterPermission.MANAGE
AGENT_FIELDS = ["agent_code", "team", "is_active"]
TEAM_FIELDS = ["code", "name", "unit", "leader", "is_active"]
SKILL_FIELDS = ["code", "name", "is_active"]


# --- Checks shared by the writes ------------------------------------------------------------------------------

def _code(value: str, field: str, message: str) -> str:
    code = (value or "").strip()
    if not code or len(code) > 32 or text_problem(code) or control_character_problem(code) or " " in code:
        raise ValidationFailed(message, field=field)
    return code


def _name(value: str, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name or len(name) > 100 or text_problem(name) or control_character_problem(name):
        raise ValidationFailed(_("Enter a name of up to 100 characters."), field=field)
    return name


def _user_in_scope(actor, user, field: str) -> None:
    """A user the actor may name (agent, team leader): active, at a unit where the actor manages the call center."""
    if user is None:
        return
    if not user.is_active or user.home_unit_id is None or not has_permission(actor, MANAGE, user.home_unit):
        raise ValidationFailed(_("Choose an active member of staff of a unit in your scope."), field=field)


# --- Skills ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SkillInput:
    code: str
    name: str
    is_active: bool = True


def _skill_code(code: str, skill: Skill | None = None) -> str:
    code = _code(code, "code", _("Enter a code of up to 32 characters without spaces."))
    if Skill.objects.filter(code=code).exclude(pk=skill.pk if skill else None).exists():
        raise ValidationFailed(_("Another skill already has the code %(code)s.") % {"code": code}, field="code")
    return code


@transaction.atomic
def create_skill(actor, data: SkillInput) -> Skill:
    """Add a skill (bank-wide: head office only)."""
    require_whole_bank(actor, MANAGE)
    skill = Skill.objects.create(code=_skill_code(data.code), name=_name(data.name), is_active=data.is_active)
    audit.record(CallcenterAction.SKILL_CREATE, skill, after=audit.snapshot(skill, SKILL_FIELDS), actor=actor)
    return skill


@transaction.atomic
def update_skill(actor, skill: Skill, data: SkillInput) -> Skill:
    """Rename a skill, change its code, or deactivate it (agents keep their level; queues keep asking it)."""
    require_whole_bank(actor, MANAGE)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    before = audit.snapshot(skill, SKILL_FIELDS)
    skill.code, skill.name, skill.is_active = _skill_code(data.code, skill), _name(data.name), data.is_active
    skill.save()
    audit.record(CallcenterAction.SKILL_UPDATE, skill, before=before, after=audit.snapshot(skill, SKILL_FIELDS),
                 actor=actor)
    return skill


# --- Teams -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamInput:
    code: str
    name: str
    unit: object  # OrgUnit
    leader: object = None  # User
    is_active: bool = True


def _team_code(code: str, team: Team | None = None) -> str:
    code = _code(code, "code", _("Enter a code of up to 32 characters without spaces."))
    if Team.objects.filter(code=code).exclude(pk=team.pk if team else None).exists():
        raise ValidationFailed(_("Another team already has the code %(code)s.") % {"code": code}, field="code")
    return code


def _checked_team(actor, data: TeamInput, team: Team | None = None) -> TeamInput:
    if data.unit is None:
        raise ValidationFailed(_("Choose the unit the team belongs to."), field="unit")
    require_in_scope(actor, MANAGE, data.unit)
    _user_in_scope(actor, data.leader, "leader")
    return TeamInput(_team_code(data.code, team), _name(data.name), data.unit, data.leader, data.is_active)


@transaction.atomic
def create_team(actor, data: TeamInput) -> Team:
    """Add a team at a unit where the actor manages the call center."""
    data = _checked_team(actor, data)
    team = Team.objects.create(code=data.code, name=data.name, unit=data.unit, leader=data.leader,
                               is_active=data.is_active)
    audit.record(CallcenterAction.TEAM_CREATE, team, after=audit.snapshot(team, TEAM_FIELDS), actor=actor)
    return team


@transaction.atomic
def update_team(actor, team: Team, data: TeamInput) -> Team:
    """Change a team, move it to another unit of the actor's scope, or deactivate it once it has no active agent."""
    require_in_scope(actor, MANAGE, team.unit)
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    data = _checked_team(actor, data, team)
    if not data.is_active and team.agents.filter(is_active=True).exists():
        raise ValidationFailed(_("The team still has active agents: move or deactivate them first."),
                               field="is_active")
    before = audit.snapshot(team, TEAM_FIELDS)
    team.code, team.name, team.unit, team.leader, team.is_active = (data.code, data.name, data.unit, data.leader,
                                                                    data.is_active)
    team.save()
    audit.record(CallcenterAction.TEAM_UPDATE, team, before=before, after=audit.snapshot(team, TEAM_FIELDS),
                 actor=actor)
    return team


# --- Agents ----------------------------------------------------------------------------------------------------

def _snapshot(agent: Agent) -> dict:
    data = audit.snapshot(agent, AGENT_FIELDS)
    data["skills"] = {row.skill.code: row.level for row in agent.agent_skills.select_related("skill")}
    return data


def _check_agent_code(agent_code: str, agent: Agent | None = None) -> str:
    code = _code(agent_code, "agent_code", _("Enter the agent ID of the call distributor (up to 32 characters)."))
    taken = Agent.objects.filter(agent_code=code).exclude(pk=agent.pk if agent else None).exists()
    if taken:
        raise ValidationFailed(_("Another agent already has the ID %(code)s.") % {"code": code}, field="agent_code")
    return code


def _check_levels(skills: dict[Skill, int], current: set[int] = frozenset()) -> None:
    for skill, level in skills.items():
        if not 1 <= int(level) <= 5:
            raise ValidationFailed(_("A skill level is a whole number from 1 to 5 (%(skill)s).") % {"skill": skill},
                                   field="skills")
        if not skill.is_active and skill.pk not in current:
            raise ValidationFailed(_("The skill %(skill)s is no longer in use.") % {"skill": skill}, field="skills")


def _check_team(team: Team, agent: Agent | None = None) -> None:
    if team is None or (not team.is_active and (agent is None or agent.team_id != team.pk)):
        raise ValidationFailed(_("Choose an active team."), field="team")


def _set_skills(agent: Agent, skills: dict[Skill, int]) -> None:
    AgentSkill.objects.filter(agent=agent).exclude(skill__in=list(skills)).delete()  # a link, not a record
    for skill, level in skills.items():
        AgentSkill.objects.update_or_create(agent=agent, skill=skill, defaults={"level": int(level)})


@transaction.atomic
def create_agent(actor, *, user, agent_code: str, team: Team, skills: dict[Skill, int] | None = None) -> Agent:
    """Make `user` (a member of staff in the actor's scope) an agent of `team`; the actor manages the call center
    over the team's unit."""
    if team is None:
        raise ValidationFailed(_("Choose an active team."), field="team")
    require_in_scope(actor, MANAGE, team.unit)
    _check_team(team)
    if user is None:
        raise ValidationFailed(_("Choose the member of staff."), field="user")
    _user_in_scope(actor, user, "user")
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
    """Move an agent to another team, change the ACD login or the skills, or deactivate the agent."""
    require_in_scope(actor, MANAGE, agent.team.unit)
    agent = Agent.objects.select_for_update().select_related("team__unit").get(pk=agent.pk)
    if team is None:
        raise ValidationFailed(_("Choose an active team."), field="team")
    require_in_scope(actor, MANAGE, team.unit)
    _check_team(team, agent)
    _check_levels(skills, set(agent.agent_skills.values_list("skill_id", flat=True)))
    before = _snapshot(agent)
    agent.agent_code = _check_agent_code(agent_code, agent)
    agent.team = team
    agent.is_active = is_active
    agent.save()
    _set_skills(agent, skills)
    audit.record(CallcenterAction.AGENT_UPDATE, agent, before=before, after=_snapshot(agent), actor=actor)
    return agent
