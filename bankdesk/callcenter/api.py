"""The call-center API: queues, skills, teams, agents, interval statistics, indicators, the wallboard and imports.

Thin: selectors and kpis read, services and acd_import write. Schemas are prefixed "Callcenter": ninja names a
schema by its class, and one name in two apps would be one schema in the spec. Paths start /callcenter/
(workforce's router is mounted at /api/callcenter too: its paths are its own)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from bankdesk.callcenter import acd_import, kpis, selectors, services
from bankdesk.callcenter.forms import MAX_BUCKETS
from bankdesk.callcenter.models import Skill
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Date, Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.core.permissions import scope_q
from bankdesk.orgs.models import OrgUnit, User

router = Router(tags=["callcenter"])


class CallcenterQueueOut(Schema):
    id: int
    code: str
    name: str
    unit: str = Field(..., alias="unit.code")
    service_level_seconds: int
    service_level_percent: Decimal


class CallcenterTeamOut(Schema):
    id: int
    code: str
    name: str
    unit: str = Field(..., alias="unit.code")
    unit_id: int
    leader: str | None
    leader_id: int | None
    is_active: bool
    active_agents: int | None = Field(None, description="Active agents of the team")

    @staticmethod
    def resolve_leader(team):
        return team.leader.username if team.leader_id else None


class CallcenterTeamPageOut(Schema):
    items: list[CallcenterTeamOut]
    total: int
    page: int
    page_size: int


class CallcenterSkillOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool
    active_agents: int | None = Field(None, description="Active agents with the skill in your scope")


class CallcenterSkillPageOut(Schema):
    items: list[CallcenterSkillOut]
    total: int
    page: int
    page_size: int


class CallcenterSkillLevelOut(Schema):
    skill: str = Field(..., alias="skill.code")
    level: int


class CallcenterAgentOut(Schema):
    id: int
    agent_code: str
    user_id: int
    username: str = Field(..., alias="user.username")
    name: str
    team: str = Field(..., alias="team.code")
    team_id: int
    is_active: bool
    skills: list[CallcenterSkillLevelOut] = Field(..., alias="agent_skills.all")

    @staticmethod
    def resolve_name(agent):
        return str(agent.user)


class CallcenterAgentPageOut(Schema):
    items: list[CallcenterAgentOut]
    total: int
    page: int
    page_size: int


Active = Literal["", "yes", "no"]
ACTIVE = Field("", description="yes: active only; no: inactive only; empty: all")


class CallcenterTeamQuery(InputSchema):
    q: str = Field("", max_length=100, description="Words in the code or the name")
    unit: Id | None = Field(None, description="Teams at this unit or below")
    active: Active = ACTIVE
    sort: str = Field("code", max_length=20, description="code, name, unit or agents; '-' first for descending")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


class CallcenterAgentQuery(InputSchema):
    q: str = Field("", max_length=100, description="Words in the agent ID, the username or the name")
    team: Id | None = None
    skill: Id | None = None
    active: Active = ACTIVE
    sort: str = Field("agent_code", max_length=20, description="agent_code, name, team or updated_at; '-' first "
                                                               "for descending")
    page: PageNumber = 1
    page_size: int = Field(100, ge=1, le=200)


class CallcenterSkillQuery(InputSchema):
    q: str = Field("", max_length=100)
    active: Active = ACTIVE
    sort: str = Field("code", max_length=20, description="code, name or agents; '-' first for descending")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


class CallcenterSkillIn(InputSchema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=100)
    is_active: bool = True


class CallcenterSkillChange(InputSchema):
    """The fields to change; those left out stay as they are. is_active false deactivates the skill."""

    code: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class CallcenterTeamIn(InputSchema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=100)
    unit_id: Id
    leader_id: Id | None = None
    is_active: bool = True


class CallcenterTeamChange(InputSchema):
    """The fields to change; those left out stay as they are. is_active false deactivates the team (refused while
    it has active agents); leader_id null removes the leader."""

    code: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=100)
    unit_id: Id | None = None
    leader_id: Id | None = None
    is_active: bool | None = None


class CallcenterSkillLevelIn(InputSchema):
    skill: str = Field(..., max_length=32, description="The skill's code")
    level: int = Field(..., ge=1, le=5)


class CallcenterAgentIn(InputSchema):
    user_id: Id
    agent_code: str = Field(..., max_length=32)
    team_id: Id
    skills: list[CallcenterSkillLevelIn] = []


class CallcenterAgentChange(InputSchema):
    """The fields to change; those left out stay as they are. skills, when given, replaces every skill; is_active
    false deactivates the agent."""

    agent_code: str | None = Field(None, max_length=32)
    team_id: Id | None = None
    is_active: bool | None = None
    skills: list[CallcenterSkillLevelIn] | None = None


class CallcenterIntervalOut(Schema):
    queue: str = Field(..., alias="queue.code")
    interval_start: datetime
    length_minutes: int
    offered: int
    answered: int
    answered_within_threshold: int
    abandoned: int
    handle_time_seconds: int
    answer_wait_seconds: int
    longest_wait_seconds: int
    waiting_at_end: int
    staffed_seconds: int
    available_seconds: int
    talk_seconds: int
    wrap_seconds: int
    not_ready_seconds: int


class CallcenterIntervalPageOut(Schema):
    items: list[CallcenterIntervalOut]
    total: int
    page: int
    page_size: int


class CallcenterFiguresOut(Schema):
    """Sums of the intervals and the indicators from them (null where nothing was offered or answered)."""

    offered: int
    answered: int
    answered_within_threshold: int
    abandoned: int
    handle_time_seconds: int
    answer_wait_seconds: int
    service_level: Decimal | None = Field(None, description="% of offered calls answered within the target")
    abandonment_rate: Decimal | None
    answer_rate: Decimal | None
    average_speed_of_answer: Decimal | None = Field(None, description="seconds")
    average_handle_time: Decimal | None = Field(None, description="seconds")
    occupancy: Decimal | None = Field(None, description="% of available time spent talking or wrapping up")


class CallcenterKpiRowOut(Schema):
    start: date
    figures: CallcenterFiguresOut


class CallcenterKpiOut(Schema):
    period: str
    date_from: date
    date_to: date
    total: CallcenterFiguresOut
    rows: list[CallcenterKpiRowOut]


class CallcenterKpiQuery(InputSchema):
    period: str = Field("day", description="day, week or month")
    queue: Id | None = None
    date_from: Date | None = None
    date_to: Date | None = None


class CallcenterIntervalQuery(InputSchema):
    queue: Id | None = None
    date_from: Date | None = None
    date_to: Date | None = None
    page: PageNumber = 1
    page_size: int = Field(100, ge=1, le=200)


class CallcenterAgentsOut(Schema):
    staffed: Decimal | None
    available: Decimal | None
    talk: Decimal | None
    wrap: Decimal | None
    not_ready: Decimal | None


class CallcenterQueueBoardOut(Schema):
    queue: CallcenterQueueOut
    today: CallcenterFiguresOut
    meets_target: bool | None
    latest_interval_start: datetime | None
    waiting_now: int | None
    longest_wait_seconds: int | None
    agents: CallcenterAgentsOut | None


class CallcenterWallboardOut(Schema):
    generated_at: datetime
    combined: CallcenterFiguresOut
    queues: list[CallcenterQueueBoardOut]


class CallcenterImportOut(Schema):
    id: int
    original_name: str
    status: str
    progress_percent: int
    total_rows: int
    processed_rows: int
    rows_created: int
    rows_updated: int
    error_count: int
    errors: list[dict]
    created_at: datetime
    finished_at: datetime | None


def _queue(user, queue_id: int | None):
    if queue_id is None:
        return None
    queue = kpis.queues(user).filter(pk=queue_id).first()
    if queue is None:
        raise ValidationFailed(_("No such queue in your scope."), field="queue")
    return queue


def _span(first: date | None, last: date | None):
    if first and last and first > last:
        raise ValidationFailed(_("The end date is before the start date."), field="date_to")
    start = kpis.local_day_start(first) if first else None
    end = kpis.local_day_start(last + timedelta(days=1)) if last else None
    return start, end


@router.get("/callcenter/queues", response=list[CallcenterQueueOut])
def list_queues(request):
    """The active queues in your scope with their service-level targets."""
    return list(kpis.queues(request.user).select_related("unit"))


def _given(given: dict, name: str, current):
    """A PATCH field: its new value when sent (null counts as not sent), else the current one."""
    return current if given.get(name) is None else given[name]


def _page(result) -> dict:
    return {"items": result.items, "total": result.total, "page": result.number, "page_size": result.size}


def _unit(user, unit_id: int | None, field: str = "unit_id"):
    """A unit of the user's reach (callcenter.view), or a field error that does not tell whether it exists."""
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(scope_q(user, CallcenterPermission.VIEW, "path"), pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(_("No such unit in your scope."), field=field)
    return unit


def _user(user_id: int | None, field: str):
    """A user by id; the service decides whether the actor may name them (the same error either way)."""
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id).select_related("home_unit").first()
    if found is None:
        raise ValidationFailed(_("Choose an active member of staff of a unit in your scope."), field=field)
    return found


def _team_of(user, team_id: int):
    found = selectors.teams(user).filter(pk=team_id).first()
    if found is None:
        raise ValidationFailed(_("No such team in your scope."), field="team_id")
    return found


def _levels(rows) -> dict:
    by_code = {skill.code: skill for skill in Skill.objects.filter(code__in=[row.skill for row in rows])}
    levels = {}
    for row in rows:
        if row.skill not in by_code:
            raise ValidationFailed(_("No skill has the code %(code)s.") % {"code": row.skill}, field="skills")
        if by_code[row.skill] in levels:
            raise ValidationFailed(_("The skill %(code)s is given twice.") % {"code": row.skill}, field="skills")
        levels[by_code[row.skill]] = row.level
    return levels


# --- Skills ----------------------------------------------------------------------------------------------------

@router.get("/callcenter/skills", response=CallcenterSkillPageOut)
def list_skills(request, query: Query[CallcenterSkillQuery]):
    """The bank's skills (bank-wide), with the active agents having each in your scope."""
    filters = selectors.SkillFilter(q=query.q, active=query.active, sort=query.sort)
    return _page(paginate(selectors.skills(request.user, filters), query.page, query.page_size))


@router.get("/callcenter/skills/{skill_id}", response=CallcenterSkillOut)
def get_skill(request, skill_id: Id):
    return selectors.skill(request.user, skill_id)


@router.post("/callcenter/skills", response={201: CallcenterSkillOut})
def create_skill(request, payload: CallcenterSkillIn):
    """Add a skill: bank-wide, so only with callcenter.manage at the head office."""
    skill = services.create_skill(request.user, services.SkillInput(payload.code, payload.name, payload.is_active))
    return Status(201, selectors.skill(request.user, skill.pk))


@router.patch("/callcenter/skills/{skill_id}", response=CallcenterSkillOut)
def update_skill(request, skill_id: Id, payload: CallcenterSkillChange):
    """Change a skill, or deactivate it (is_active false); skills are never deleted."""
    skill = selectors.skill(request.user, skill_id)
    given = payload.model_dump(exclude_unset=True)
    data = services.SkillInput(code=_given(given, "code", skill.code), name=_given(given, "name", skill.name),
                               is_active=_given(given, "is_active", skill.is_active))
    services.update_skill(request.user, skill, data)
    return selectors.skill(request.user, skill_id)


# --- Teams -----------------------------------------------------------------------------------------------------

@router.get("/callcenter/teams", response=CallcenterTeamPageOut)
def list_teams(request, query: Query[CallcenterTeamQuery]):
    """The teams at units in your scope, with their active agents."""
    filters = selectors.TeamFilter(q=query.q, unit=_unit(request.user, query.unit, "unit"), active=query.active,
                                   sort=query.sort)
    return _page(paginate(selectors.teams(request.user, filters), query.page, query.page_size))


@router.get("/callcenter/teams/{team_id}", response=CallcenterTeamOut)
def get_team(request, team_id: Id):
    return selectors.team(request.user, team_id)


@router.post("/callcenter/teams", response={201: CallcenterTeamOut})
def create_team(request, payload: CallcenterTeamIn):
    """Add a team at a unit where you manage the call center."""
    team = services.create_team(request.user, services.TeamInput(
        payload.code, payload.name, _unit(request.user, payload.unit_id), _user(payload.leader_id, "leader_id"),
        payload.is_active))
    return Status(201, selectors.team(request.user, team.pk))


@router.patch("/callcenter/teams/{team_id}", response=CallcenterTeamOut)
def update_team(request, team_id: Id, payload: CallcenterTeamChange):
    """Change a team, or deactivate it (is_active false) once it has no active agents; teams are never deleted."""
    team = selectors.team(request.user, team_id)
    given = payload.model_dump(exclude_unset=True)
    data = services.TeamInput(
        code=_given(given, "code", team.code), name=_given(given, "name", team.name),
        unit=_unit(request.user, given["unit_id"]) if given.get("unit_id") else team.unit,
        leader=_user(given["leader_id"], "leader_id") if "leader_id" in given else team.leader,
        is_active=_given(given, "is_active", team.is_active))
    services.update_team(request.user, team, data)
    return selectors.team(request.user, team_id)


# --- Agents ----------------------------------------------------------------------------------------------------

@router.get("/callcenter/agents", response=CallcenterAgentPageOut)
def list_agents(request, query: Query[CallcenterAgentQuery]):
    """The agents of the teams in your scope, with their skills and levels."""
    filters = selectors.AgentFilter(q=query.q, team=query.team, skill=query.skill, active=query.active,
                                    sort=query.sort)
    return _page(paginate(selectors.agents(request.user, filters), query.page, query.page_size))


@router.get("/callcenter/agents/{agent_id}", response=CallcenterAgentOut)
def get_agent(request, agent_id: Id):
    return selectors.agent(request.user, agent_id)


@router.post("/callcenter/agents", response={201: CallcenterAgentOut})
def create_agent(request, payload: CallcenterAgentIn):
    """Make a member of staff an agent of a team, with the call distributor's agent ID and skill levels (1-5)."""
    agent = services.create_agent(request.user, user=_user(payload.user_id, "user_id"),
                                  agent_code=payload.agent_code, team=_team_of(request.user, payload.team_id),
                                  skills=_levels(payload.skills))
    return Status(201, selectors.agent(request.user, agent.pk))


@router.patch("/callcenter/agents/{agent_id}", response=CallcenterAgentOut)
def update_agent(request, agent_id: Id, payload: CallcenterAgentChange):
    """Move an agent, change the agent ID or the skills, or deactivate the agent (is_active false)."""
    agent = selectors.agent(request.user, agent_id)
    given = payload.model_dump(exclude_unset=True)
    skills = _levels(payload.skills) if payload.skills is not None else {
        row.skill: row.level for row in agent.agent_skills.all()}
    services.update_agent(
        request.user, agent, agent_code=_given(given, "agent_code", agent.agent_code),
        team=_team_of(request.user, given["team_id"]) if given.get("team_id") else agent.team,
        is_active=_given(given, "is_active", agent.is_active), skills=skills)
    return selectors.agent(request.user, agent_id)


@router.get("/callcenter/intervals", response=CallcenterIntervalPageOut)
def list_intervals(request, query: Query[CallcenterIntervalQuery]):
    """Interval statistics of your queues, oldest first; dates are local (Beijing) days, both included."""
    start, end = _span(query.date_from, query.date_to)
    found = kpis.intervals(request.user, queue=_queue(request.user, query.queue), start=start, end=end)
    result = paginate(found.select_related("queue").order_by("interval_start", "queue_id"), query.page,
                      query.page_size)
    return {"items": result.items, "total": result.total, "page": result.number, "page_size": result.size}


@router.get("/callcenter/kpis", response=CallcenterKpiOut)
def kpi_series(request, query: Query[CallcenterKpiQuery]):
    """Indicators per day, week (from Monday) or month of local time; by default the last 30 days,
    12 weeks or 12 months."""
    if query.period not in kpis.PERIODS:
        raise ValidationFailed(_("Group by day, week or month."), field="period")
    first, last = kpis.default_range(query.period, timezone.localdate())
    first, last = query.date_from or first, query.date_to or last
    if (last - first).days > MAX_BUCKETS[query.period]:
        raise ValidationFailed(_("Choose a shorter span, or group by week or month."), field="date_from")
    start, end = _span(first, last)
    found = kpis.intervals(request.user, queue=_queue(request.user, query.queue), start=start, end=end)
    rows = [{"start": day, "figures": figures.as_dict()} for day, figures in kpis.series(found, query.period)]
    return {"period": query.period, "date_from": first, "date_to": last, "total": kpis.totals(found).as_dict(),
            "rows": rows}


@router.get("/callcenter/wallboard", response=CallcenterWallboardOut)
def wallboard(request):
    """Today's figures per queue and together, and each queue's latest interval (waiting calls, agents)."""
    boards = kpis.wallboard(request.user)
    return {"generated_at": timezone.now(), "combined": kpis.combined(boards).as_dict(), "queues": [{
        "queue": board.queue, "today": board.today.as_dict(), "meets_target": board.meets_target,
        "latest_interval_start": board.latest.interval_start if board.latest else None,
        "waiting_now": board.latest.waiting_at_end if board.latest else None,
        "longest_wait_seconds": board.latest.longest_wait_seconds if board.latest else None,
        "agents": board.agents or None} for board in boards]}


@router.get("/callcenter/imports", response=list[CallcenterImportOut])
def list_imports(request, page: PageNumber = 1):
    return paginate(selectors.interval_imports(request.user), page).items


@router.get("/callcenter/imports/{job_id}", response=CallcenterImportOut)
def get_import(request, job_id: Id):
    return selectors.interval_import(request.user, job_id)


@router.post("/callcenter/imports", response={202: CallcenterImportOut})
def start_import(request, file: File[UploadedFile]):
    """Upload ACD interval statistics (CSV or XLSX); the import runs in the background: poll the job."""
    return Status(202, acd_import.start_import(request.user, file))
from bankdesk.callcenter import desk_api  # noqa: E402,F401  (the desk's operations on this router)
