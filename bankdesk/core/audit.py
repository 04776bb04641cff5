"""The audit trail: every service records what it changed through `record`.

Who acts, through which channel and in which request is carried in a context variable that the
web middleware, the API, importers and workers set, so services never pass it around.
"""

import json
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.forms.models import model_to_dict
from django.utils import timezone

from bankdesk.core.bulk import Instances
from bankdesk.core.models import AuditEvent, AuditSource
from bankdesk.core.registry import Registry, owner_of

ACTIONS = Registry("audit action")  # action -> its label on screen
ACTION_ENUMS: list = []  # the registered TextChoices, for the system check


class UnregisteredAction(LookupError):
    """`record` was given an action no app registered: a programming error."""


def register_actions(actions) -> None:
    """An app declares its actions as a TextChoices in `<app>/audit_actions.py` and registers it at ready()."""
    ACTION_ENUMS.append(actions)
    for member in actions:
        ACTIONS.add(member.value, member.label, owner_of(actions))


def register_action(action: str, label, owner: str) -> None:
    """One action made at run time (an editable table's "config.<slug>.create")."""
    ACTIONS.add(action, label, owner)


def action_label(action: str) -> str:
    """What an action is called on screen; an action no longer registered shows its code."""
    return str(ACTIONS.get(action, action))


@dataclass(frozen=True)
class AuditContext:
    actor: object = None
    source: str = AuditSource.SYSTEM
    request_id: str = ""


_context: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())


def current() -> AuditContext:
    return _context.get()


@contextmanager
def audit_context(actor=None, source: str = AuditSource.SYSTEM, request_id: str = ""):
    token = _context.set(AuditContext(actor=actor, source=source, request_id=request_id or str(uuid.uuid4())))
    try:
        yield
    finally:
        _context.reset(token)


def bind_actor(actor) -> None:
    """Name the actor of the current context once it is known (API token authentication)."""
    context = current()
    _context.set(AuditContext(actor=actor, source=context.source, request_id=context.request_id))


def to_json(data):
    """Make dates, decimals and UUIDs JSON-safe the way Django serialises them."""
    return None if data is None else json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _plain(value):
    """Related objects as their primary keys (many-to-many fields give lists of objects)."""
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return value.pk if isinstance(value, Model) else value


def snapshot(instance, fields=None, exclude=()) -> dict:
    data = model_to_dict(instance, fields=fields, exclude=exclude)
    return to_json({key: _plain(value) for key, value in data.items()})


def unit_path_of(instance) -> str:
    path = getattr(instance, "path", None)
    if isinstance(path, str):
        return path
    for attribute in ("unit", "home_unit"):
        unit = getattr(instance, attribute, None)
        if unit is not None:
            return unit.path
    return ""


def record(action: str, instance, before=None, after=None, actor=None) -> AuditEvent:
    event = event_for(action, instance, before=before, after=after, actor=actor)
    event.save()
    return event


def event_for(action: str, instance, before=None, after=None, actor=None) -> AuditEvent:
    """The event `record` would write, unsaved, for writers that save many at once (`save_all`)."""
    return _event(action, object_type=instance._meta.label_lower, object_id=str(instance.pk),
                  object_repr=str(instance), unit_path=unit_path_of(instance), before=before, after=after,
                  actor=actor)


def save_all(events: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events)


EVENTS = Instances(AuditEvent)


def events_for(action: str, changes: list[tuple], actor=None, occurred_at=None) -> list[AuditEvent]:
    """The events `event_for` would make for many objects at once: `changes` holds (instance, before,
    after). The action is checked and the context read once, and each distinct before or after (an object
    shared by many changes) made JSON-safe once. Unsaved, for `bulk.Rows(AuditEvent, with_ids=False)`,
    which writes `occurred_at` as given (the time of the call when not)."""
    if action not in ACTIONS:
        raise UnregisteredAction(f"Audit action {action!r} is not registered by any app.")
    context = current()
    actor = actor if actor is not None else context.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    occurred_at = occurred_at or timezone.now()
    common = {"occurred_at": occurred_at, "actor_label": str(actor) if actor else context.source,
              "source": context.source, "request_id": context.request_id, "action": action}
    made: dict[int, tuple] = {}  # id -> (the object, JSON-safe), the object kept so its id is not reused

    def json_safe(value):
        if value is None:
            return None
        if id(value) not in made:
            made[id(value)] = (value, to_json(value))
        return made[id(value)][1]

    return [EVENTS.new({**common, "object_type": instance._meta.label_lower, "object_id": str(instance.pk),
                        "object_repr": str(instance)[:200], "unit_path": unit_path_of(instance),
                        "before": json_safe(before), "after": json_safe(after)}, related={"actor": actor})
            for instance, before, after in changes]


def record_event(action: str, *, object_type: str, object_id: str = "", object_repr: str = "", unit_path: str = "",
                 before=None, after=None, actor=None) -> AuditEvent:
    """An event about something that is not one row (an export, a report)."""
    event = _event(action, object_type=object_type, object_id=object_id, object_repr=object_repr,
                   unit_path=unit_path, before=before, after=after, actor=actor)
    event.save()
    return event


def _event(action: str, *, object_type: str, object_id: str, object_repr: str, unit_path: str, before, after,
           actor) -> AuditEvent:
    if action not in ACTIONS:
        raise UnregisteredAction(f"Audit action {action!r} is not registered by any app.")
    context = current()
    actor = actor if actor is not None else context.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent(
        actor=actor, actor_label=str(actor) if actor else context.source, source=context.source,
        request_id=context.request_id, action=action, object_type=object_type, object_id=object_id,
        object_repr=object_repr[:200], unit_path=unit_path, before=to_json(before), after=to_json(after))
