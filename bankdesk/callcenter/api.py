"""The call-center API: queues, teams, agents, interval statistics, indicators, the wallboard and imports.

Thin: selectors and kpis read, acd_import writes. Schemas are prefixed "Callcenter": ninja names a schema by
its class, and one name in two apps would be one schema in the spec. Paths start /callcenter/ (workforce's router is mounted
at /api/callcenter too: its paths are its own)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from bankdesk.callcenter import acd_import, kpis, selectors
from bankdesk.callcenter.forms import MAX_BUCKETS
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Date, Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate

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
    leader: str | None

    @staticmethod
    def resolve_leader(team):
        return team.leader.username if team.leader_id else None


class CallcenterSkillLevelOut(Schema):
    skill: str = Field(..., alias="skill.code")
    level: int


class CallcenterAgentOut(Schema):
    id: int
    agent_code: str
    username: str = Field(..., alias="user.username")
    name: str
    team: str = Field(..., alias="team.code")
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


@router.get("/callcenter/teams", response=list[CallcenterTeamOut])
def list_teams(request):
    return list(selectors.teams(request.user))


@router.get("/callcenter/agents", response=CallcenterAgentPageOut)
def list_agents(request, team: Id | None = None, page: PageNumber = 1,
                page_size: int = Query(100, ge=1, le=200)):
    result = paginate(selectors.agents(request.user, team=team), page, page_size)
    return {"items": result.items, "total": result.total, "page": result.number, "page_size": result.size}


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
