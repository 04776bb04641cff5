"""The workforce API, mounted at /api/callcenter: the Erlang C and Erlang A calculators."""

from ninja import Field, Query, Router, Schema

from bankdesk.core.inputs import Id, InputSchema
from bankdesk.workforce import calculator

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
