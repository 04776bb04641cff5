"""The audit trail as people read it: who did what to which object, and each changed field by its label
with the old and new values by name ("经办人 张处理 → 李处理", not "handler: 4 → 7").

Labels come from the models' verbose names; a key of an event that is no field of its model (a routing
step's "department", a decision's "remedies") is named by the app that records it (`register_fields`).
Names of related rows (units, people, codes) are read for a whole page at once: one query per model.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from bankdesk.core.audit import action_label
from bankdesk.core.formats import local_datetime, money
from bankdesk.core.registry import Registry, owner_of

SHOWN_CHANGES = 4  # changes shown on the event's line; the rest behind "more"
LONGEST_VALUE = 60  # characters of a value shown; the whole value is in the raw record
NAME_FIELDS = ("name", "display_name", "title", "username", "code")  # what a related row is called, first found
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

FIELDS = Registry("audit field")  # (object type, key) -> AuditField


@dataclass(frozen=True)
class AuditField:
    """How to read one key of an object type's events that is no field of its model (or reads differently)."""

    label: object  # lazy text
    model: str = ""  # "orgs.OrgUnit": the value names a row of it, by id or (text) by its code
    choices: tuple = ()  # (value, label) pairs
    money: bool = False


def register_fields(object_type: str, fields: dict, owner: str) -> None:
    for key, audit_field in fields.items():
        FIELDS.add((object_type, key), audit_field, owner_of(owner))


@dataclass
class Change:
    label: str
    old: str | None  # None: the field was not there before (a creation, a step's own detail)
    new: str
    title: str = ""  # the whole values when shortened


@dataclass
class EventLine:
    event: object
    action: str
    object_type: str
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN_CHANGES]

    @property
    def more(self) -> list[Change]:
        return self.changes[SHOWN_CHANGES:]


# --- How each key reads -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Reading:
    label: str
    related: type[models.Model] | None = None
    choices: dict | None = None
    money: bool = False


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _reading(object_type: str, model, key: str) -> _Reading:
    registered = FIELDS.get((object_type, key))
    if registered is not None:
        related = apps.get_model(registered.model) if registered.model else None
        choices = {str(value): str(text) for value, text in registered.choices} or None
        return _Reading(str(registered.label), related, choices, registered.money)
    try:
        model_field = model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        model_field = None
    if model_field is None:
        return _Reading(key)
    label = str(getattr(model_field, "verbose_name", key))
    return _Reading(label, model_field.related_model if model_field.is_relation else None,
                    {str(value): str(text) for value, text in model_field.flatchoices} or None)


# --- Names of related rows, one query per model ------------------------------------------------------------

def _lookup_field(model) -> str | None:
    """The natural key a text value of `model` is given by in events (a unit's code, a user's user name)."""
    names = {model_field.name for model_field in model._meta.get_fields()}
    return next((name for name in ("code", "username") if name in names), None)


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _wanted(lines) -> dict:
    """(model, "pk" or natural key) -> the values the page's events name."""
    wanted = defaultdict(set)
    for line, readings in lines:
        for key, reading in readings.items():
            if reading.related is None:
                continue
            for data in (line.event.before, line.event.after):
                if isinstance(data, dict) and key in data:
                    for value in _values(data[key]):
                        if isinstance(value, int) and not isinstance(value, bool):
                            wanted[(reading.related, "pk")].add(value)
                        elif isinstance(value, str) and value and _lookup_field(reading.related):
                            wanted[(reading.related, _lookup_field(reading.related))].add(value)
    return wanted


def _names(wanted: dict) -> dict:
    """(model, key, value) -> the row's name."""
    names = {}
    for (model, key), values in wanted.items():
        present = {model_field.name for model_field in model._meta.concrete_fields}
        columns = [name for name in NAME_FIELDS if name in present]
        lookup = model._meta.pk.name if key == "pk" else key
        for row in model._default_manager.filter(**{f"{lookup}__in": values}).values(lookup, *columns):
            name = next((row[column] for column in columns if row[column]), None)
            names[(model, key, row[lookup])] = str(name if name is not None else row[lookup])
    return names


# --- Values as text -----------------------------------------------------------------------------------------

def _one(value, reading: _Reading, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if reading.related is not None and isinstance(value, (int, str)):
        key = "pk" if isinstance(value, int) else _lookup_field(reading.related)
        if (reading.related, key, value) in names:
            return names[(reading.related, key, value)]
    if reading.choices and str(value) in reading.choices:
        return reading.choices[str(value)]
    if reading.money:
        try:
            return money(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        parsed = parse_datetime(value)
        if parsed is not None:
            return local_datetime(parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _text(value, reading: _Reading, names: dict) -> str:
    if isinstance(value, list):
        return "、".join(_one(item, reading, names) for item in value) if value else "—"
    return _one(value, reading, names)


def _short(text: str) -> str:
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"


def _changes(event, readings: dict, names: dict) -> list[Change]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = []
    for key in [*after, *(key for key in before if key not in after)]:
        old, new = before.get(key), after.get(key)
        if key in before and old == new:
            continue
        if key not in before and new in (None, "", []):
            continue  # a creation lists what it set
        old_text = _text(old, readings[key], names) if key in before else None
        new_text = _text(new, readings[key], names)
        whole = f"{old_text} → {new_text}" if old_text is not None else new_text
        shortened = _short(new_text) != new_text or (old_text is not None and _short(old_text) != old_text)
        changes.append(Change(readings[key].label, _short(old_text) if old_text is not None else None,
                              _short(new_text), whole if shortened else ""))
    return changes


def describe(events) -> list[EventLine]:
    """The events as lines of the trail, the related rows they name read in one query per model."""
    lines = []
    for event in events:
        model = _model_of(event.object_type)
        keys = {*(event.before or {} if isinstance(event.before, dict) else {}),
                *(event.after or {} if isinstance(event.after, dict) else {})}
        readings = {key: _reading(event.object_type, model, key) for key in keys}
        object_type = str(model._meta.verbose_name) if model is not None else event.object_type
        lines.append((EventLine(event, action_label(event.action), object_type), readings))
    names = _names(_wanted(lines))
    for line, readings in lines:
        line.changes = _changes(line.event, readings, names)
    return [line for line, _readings in lines]


def object_types() -> list[tuple[str, str]]:
    """(object type, its name) of every model of BankDesk's apps, for the trail's filter."""
    found = [(model._meta.label_lower, str(model._meta.verbose_name)) for model in apps.get_models()
             if model.__module__.startswith("bankdesk.")]
    return sorted(found, key=lambda pair: pair[1])
