"""The Erlang calculator behind the API and the page: inputs completed with the bank's defaults.

The service-level target comes from the request, else from the queue named (its own target), else
from the call center's default (seed 004: 80% within 15 s). Shrinkage, when not given, is the rule
setting; it only turns the agents on the phones into agents to roster. A maximum occupancy applies
only when given: the answer is then Erlang's, published tables' figure, unless the caller caps it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.permissions import has_permission
from bankdesk.workforce import erlang
from bankdesk.workforce.permissions import WorkforcePermission


@dataclass(frozen=True)
class Question:
    calls: float
    interval_minutes: float
    aht_seconds: float
    target_seconds: float | None = None
    target_service_level: float | None = None  # a share (0.8) or a percentage (80)
    agents: int | None = None
    shrinkage: float | None = None
    max_occupancy: float | None = None
    patience_seconds: float | None = None
    queue: int | None = None


def share(value: float | Decimal) -> float:
    """0.8 stays 0.8; 80 (a percentage) becomes 0.8."""
    value = float(value)
    return value / 100 if value >= 1 else value


def _queue(user, queue_id: int):
    from bankdesk.callcenter.models import Queue

    queue = Queue.objects.select_related("unit").filter(pk=queue_id).first()
    if queue is None or not has_permission(user, WorkforcePermission.VIEW, queue.unit):
        raise NotFound()
    return queue


def target_of(user, question: Question) -> erlang.Target:
    queue = _queue(user, question.queue) if question.queue else None
    seconds = question.target_seconds
    if seconds is None:
        seconds = queue.service_level_seconds if queue else rules.get("callcenter.service_level_seconds")
    level = question.target_service_level
    if level is None:
        level = queue.service_level_percent if queue else rules.get("callcenter.service_level_percent")
    return erlang.Target(float(seconds), share(level))


def _shrinkage(question: Question) -> float:
    if question.shrinkage is not None:
        return question.shrinkage
    return rules.get("workforce.shrinkage_percent") / 100


def _limit_or_refuse(found):
    try:
        return found()
    except ValueError:
        raise ValidationFailed(_("No more than %(limit)d agents can be planned for one interval: check the calls "
                                 "and the handling time.") % {"limit": rules.get("workforce.max_agents")},
                               field="calls") from None


def _common(question: Question, target: erlang.Target, result, shrinkage: float) -> dict:
    return {
        "agents": result.agents, "service_level": result.service_level, "asa_seconds": _finite(result.asa_seconds),
        "occupancy": result.occupancy, "scheduled_agents": erlang.scheduled_agents(result.agents, shrinkage),
        "traffic_erlangs": erlang.Load(question.calls, question.interval_minutes, question.aht_seconds).erlangs,
        "target_seconds": target.seconds, "target_service_level": target.service_level,
        "shrinkage": shrinkage, "max_occupancy": question.max_occupancy,
        "meets_target": result.service_level >= target.service_level,
    }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def erlang_c(user, question: Question) -> dict:
    """Agents needed (or, with `agents`, how that many do) by Erlang C."""
    load = erlang.Load(question.calls, question.interval_minutes, question.aht_seconds)
    target = target_of(user, question)
    limit = rules.get("workforce.max_agents")
    if question.agents is not None:
        result = erlang.erlang_c(load, target, question.agents)
    else:
        result = _limit_or_refuse(lambda: erlang.required_agents_c(
            load, target, question.max_occupancy or 1.0, limit=limit))
    return {**_common(question, target, result, _shrinkage(question)), "probability_wait": result.probability_wait}


def erlang_a(user, question: Question) -> dict:
    """Agents needed (or, with `agents`, how that many do) by Erlang A, callers hanging up after their patience."""
    load = erlang.Load(question.calls, question.interval_minutes, question.aht_seconds)
    target = target_of(user, question)
    limit = rules.get("workforce.max_agents")
    if question.agents is not None:
        result = erlang.erlang_a(load, target, question.agents, question.patience_seconds)
    else:
        result = _limit_or_refuse(lambda: erlang.required_agents_a(
            load, target, question.patience_seconds, question.max_occupancy or 1.0, limit=limit))
    return {**_common(question, target, result, _shrinkage(question)), "abandon_rate": result.abandon_rate,
            "patience_seconds": question.patience_seconds}
