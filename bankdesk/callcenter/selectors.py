"""Reads of the call-center app, each limited to the user's scope."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from bankdesk.callcenter.models import Agent, AgentSkill, IntervalImport, Skill, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q


def interval_imports(user):
    """The imports the user uploaded, and those of uploaders whose home unit lies in the user's scope."""
    require(user, CallcenterPermission.IMPORT_STATS)
    return IntervalImport.objects.select_related("created_by").filter(
        Q(created_by=user) | scope_q(user, CallcenterPermission.IMPORT_STATS, "created_by__home_unit__path"))


def interval_import(user, job_id: int) -> IntervalImport:
    job = interval_imports(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


# --- Teams, agents and skills: lists with filters and sorting, one record each ----------------------------------

ACTIVE_CHOICES = ("", "yes", "no")  # every record, active ones, inactive ones


def _active(found, active: str):
    return found.filter(is_active=active == "yes") if active in ("yes", "no") else found


@dataclass(frozen=True)
class TeamFilter:
    q: str = ""  # in the code or the name
    unit: object = None  # an OrgUnit: teams at it or below
    active: str = ""
    sort: str = "code"


TEAM_SORTS = {"code": ("code",), "name": ("name", "code"), "unit": ("unit__path", "code"),
              "agents": ("active_agents", "code")}


def teams(user, filters: TeamFilter | None = None):
    """The teams at units in the user's scope, with their unit, leader and count of active agents (one query)."""
    require(user, CallcenterPermission.VIEW)
    filters = filters or TeamFilter()
    found = Team.objects.filter(scope_q(user, CallcenterPermission.VIEW, "unit__path")).select_related(
        "unit", "leader")
    if filters.q.strip():
        words = filters.q.strip()
        found = found.filter(Q(code__icontains=words) | Q(name__icontains=words))
    if filters.unit is not None:
        found = found.filter(unit__path__startswith=filters.unit.path)
    found = _active(found, filters.active).annotate(
        active_agents=Count("agents", filter=Q(agents__is_active=True)))
    return found.order_by(*ordering(filters.sort, TEAM_SORTS, "code"))


def team(user, team_id: int) -> Team:
    found = teams(user).filter(pk=team_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class AgentFilter:
    q: str = ""  # in the agent ID, the username or the name
    team: object = None  # a Team or its id
    skill: object = None  # a Skill or its id
    active: str = ""
    sort: str = "agent_code"


AGENT_SORTS = {"agent_code": ("agent_code",), "name": ("user__display_name", "agent_code"),
               "team": ("team__code", "agent_code"), "updated_at": ("updated_at", "id")}


def agents(user, filters: AgentFilter | None = None, *, team: int | None = None, active_only: bool = False):
    """The agents of the teams the user sees, with their user, team and skills (two queries a page and the count)."""
    require(user, CallcenterPermission.VIEW)
    filters = filters or AgentFilter()
    found = (Agent.objects.filter(scope_q(user, CallcenterPermission.VIEW, "team__unit__path"))
             .select_related("user", "team__unit")
             .prefetch_related(Prefetch("agent_skills", queryset=AgentSkill.objects.select_related("skill"))))
    team = team or filters.team
    if team:
        found = found.filter(team=team)
    if filters.skill:
        found = found.filter(agent_skills__skill=filters.skill)
    if filters.q.strip():
        words = filters.q.strip()
        found = found.filter(Q(agent_code__icontains=words) | Q(user__username__icontains=words)
                             | Q(user__display_name__icontains=words))
    found = _active(found, "yes" if active_only else filters.active)
    return found.order_by(*ordering(filters.sort, AGENT_SORTS, "agent_code"))


def agent(user, agent_id: int) -> Agent:
    found = agents(user).filter(pk=agent_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class SkillFilter:
    q: str = ""
    active: str = ""
    sort: str = "code"


SKILL_SORTS = {"code": ("code",), "name": ("name", "code"), "agents": ("active_agents", "code")}


def skills(user, filters: SkillFilter | None = None):
    """The bank's skills (bank-wide, so every holder of callcenter.view sees them), with the count of active agents
    having each in the user's scope."""
    require(user, CallcenterPermission.VIEW)
    filters = filters or SkillFilter()
    found = Skill.objects.all()
    if filters.q.strip():
        words = filters.q.strip()
        found = found.filter(Q(code__icontains=words) | Q(name__icontains=words))
    in_scope = Q(agent_skills__agent__is_active=True) & scope_q(user, CallcenterPermission.VIEW,
                                                                "agent_skills__agent__team__unit__path")
    found = _active(found, filters.active).annotate(active_agents=Count("agent_skills", filter=in_scope))
    return found.order_by(*ordering(filters.sort, SKILL_SORTS, "code"))


def skill(user, skill_id: int) -> Skill:
    found = skills(user).filter(pk=skill_id).first()
    if found is None:
        raise NotFound()
    return found
