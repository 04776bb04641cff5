"""The workforce API, mounted at /api/callcenter: the Erlang C and Erlang A calculators, and the agents' absences
(leave and unavailability by date range) the roster solver keeps them off on."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Date, Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.core.permissions import scope_q
from bankdesk.workforce import calculator, selectors, services
from bankdesk.workforce.models import AbsenceKind
from bankdesk.workforce.permissions import WorkforcePermission

router = Router(tags=["workforce"])


class ErlangQuery(InputSchema):
    calls: float = Field(..., ge=0, le=1_000_000, description="Calls offered in the interval")
    interval_minutes: float = Field(30, gt=0, le=1440, description="Length of the interval")
    aht_seconds: float = Field(..., gt=0, le=86_400, description="Average handle time (talk + after-call work)")
    target_seconds: float | None = Field(None, ge=0, le=3600, description=(
        "Answer within; default the queue's target, else the call center's (15 s)"))
    target_service_level: float | None = Field(None, gt=0, lt=100, description=(
        "Share of calls to answer within the target time, as 0.8 or 80; default the queue's, else 80%"))
    agents: int | None = Field(None, ge=0, le=100_000, description="Evaluate this many agents instead of searching")
    shrinkage: float | None = Field(None, ge=0, le=0.9, description=(
        "Share of paid time off the phones, for `scheduled_agents`; default the rule setting (30%)"))
    max_occupancy: float | None = Field(None, gt=0, le=1, description=(
        "Cap on the agents' busy share when searching; none unless given"))
    queue: Id | None = Field(None, description="Take the service-level target of this queue")


class ErlangAQuery(ErlangQuery):
    patience_seconds: float = Field(..., ge=1, le=86_400, description=(
        "Mean time a caller waits before hanging up, in seconds (at least 1)"))


class ErlangOut(Schema):
    agents: int
    service_level: float = Field(description="Calls answered within the target over calls offered")
    asa_seconds: float | None = Field(description="Mean wait of answered calls; null when the queue is unstable")
    occupancy: float
    scheduled_agents: int = Field(description="Agents to roster so that `agents` are on the phones after shrinkage")
    traffic_erlangs: float
    target_seconds: float
    target_service_level: float
    shrinkage: float
    max_occupancy: float | None
    meets_target: bool


class ErlangCOut(ErlangOut):
    probability_wait: float


class ErlangAOut(ErlangOut):
    abandon_rate: float
    patience_seconds: float


def _question(query: ErlangQuery) -> calculator.Question:
    return calculator.Question(**query.dict())


@router.get("/erlang-c", response=ErlangCOut)
def erlang_c(request, query: Query[ErlangQuery]):
    """Erlang C (M/M/n): the fewest agents meeting the service-level target, counted up from the smallest
    stable number, or with `agents` the figures of that many."""
    return calculator.erlang_c(request.user, _question(query))


@router.get("/erlang-a", response=ErlangAOut)
def erlang_a(request, query: Query[ErlangAQuery]):
    """Erlang A (M/M/n+M): as Erlang C, with callers hanging up after an exponential patience of mean
    `patience_seconds`; service level counts answered-in-time calls over all offered."""
    return calculator.erlang_a(request.user, _question(query))


# --- Agents' absences (leave and unavailability by date range) ---------------------------------------------------

Kind = Literal[tuple(AbsenceKind.values)]


class WorkforceAbsenceOut(Schema):
    id: int
    agent_id: int
    agent_code: str = Field(..., alias="agent.agent_code")
    team: str = Field(..., alias="agent.team.code")
    kind: str
    first_day: date
    last_day: date
    note: str
    is_active: bool
    created_by: str = Field(..., alias="created_by.username")
    updated_at: datetime


class WorkforceAbsencePageOut(Schema):
    items: list[WorkforceAbsenceOut]
    total: int
    page: int
    page_size: int


class WorkforceAbsenceQuery(InputSchema):
    q: str = Field("", max_length=100, description="Words in the agent ID, username or name")
    team: Id | None = None
    kind: Literal["", *AbsenceKind.values] = ""
    active: Literal["", "yes", "no"] = Field("", description="yes: in force; no: cancelled; empty: all")
    date_from: Date | None = Field(None, description="Absences that reach this day or later")
    date_to: Date | None = Field(None, description="Absences that begin by this day")
    sort: str = Field("-first_day", max_length=20, description="first_day, agent, kind or updated_at; '-' first "
                                                              "for descending")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


class WorkforceAbsenceIn(InputSchema):
    agent_id: Id
    kind: Kind = AbsenceKind.ANNUAL_LEAVE.value
    first_day: Date
    last_day: Date
    note: str = Field("", max_length=200)


class WorkforceAbsenceChange(InputSchema):
    """The fields to change; those left out stay as they are. is_active false cancels the absence (it stays)."""

    kind: Kind | None = None
    first_day: Date | None = None
    last_day: Date | None = None
    note: str | None = Field(None, max_length=200)
    is_active: bool | None = None


def _planned_agent(user, agent_id: int):
    from bankdesk.callcenter.models import Agent

    agent = Agent.objects.filter(scope_q(user, WorkforcePermission.PLAN, "team__unit__path"), pk=agent_id) \
        .select_related("team__unit").first()
    if agent is None:
        raise ValidationFailed(_("No such agent in your scope."), field="agent_id")
    return agent


@router.get("/absences", response=WorkforceAbsencePageOut)
def list_absences(request, query: Query[WorkforceAbsenceQuery]):
    """Agents' leave and unavailability in your scope; a roster solved after one keeps the agent off those days."""
    filters = selectors.AbsenceFilter(q=query.q, team=query.team, kind=query.kind, active=query.active,
                                      date_from=query.date_from, date_to=query.date_to, sort=query.sort)
    result = paginate(selectors.absences(request.user, filters), query.page, query.page_size)
    return {"items": result.items, "total": result.total, "page": result.number, "page_size": result.size}


@router.get("/absences/{absence_id}", response=WorkforceAbsenceOut)
def get_absence(request, absence_id: Id):
    return selectors.absence(request.user, absence_id)


@router.post("/absences", response={201: WorkforceAbsenceOut})
def create_absence(request, payload: WorkforceAbsenceIn):
    """Enter an agent's absence from the first to the last day (both included); planners over the agent's unit."""
    made = services.create_absence(request.user, services.AbsenceInput(
        _planned_agent(request.user, payload.agent_id), payload.kind, payload.first_day, payload.last_day,
        payload.note))
    return Status(201, selectors.absence(request.user, made.pk))


@router.patch("/absences/{absence_id}", response=WorkforceAbsenceOut)
def update_absence(request, absence_id: Id, payload: WorkforceAbsenceChange):
    absence = selectors.absence(request.user, absence_id)
    given = {name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None}
    services.update_absence(request.user, absence, services.AbsenceInput(
        absence.agent, given.get("kind", absence.kind), given.get("first_day", absence.first_day),
        given.get("last_day", absence.last_day), given.get("note", absence.note),
        given.get("is_active", absence.is_active)))
    return selectors.absence(request.user, absence_id)
