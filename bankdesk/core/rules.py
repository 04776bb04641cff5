"""Read and change rule settings. Reads are cached per process for a minute."""

from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.core import audit, caching
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import RuleChange, RuleSetting
from bankdesk.core.permissions import CorePermission, require_whole_bank
from bankdesk.core.rule_catalog import RULES, RuleDefinition, all_rules

CACHE_KEY = "bankdesk:rules"
CACHE_SECONDS = 60


def _stored_values() -> dict:
    return caching.read_once(CACHE_KEY, _cached_values)


def _cached_values() -> dict:
    values = cache.get(CACHE_KEY)
    if values is None:
        values = dict(RuleSetting.objects.values_list("key", "value"))
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return values


def invalidate() -> None:
    caching.drop(CACHE_KEY)


def get(key: str):
    definition = RULES[key]  # KeyError: no app registered this rule (a programming error)
    stored = _stored_values().get(key)
    value = definition.default if stored is None else _coerce(definition, stored)
    if definition.maximum_reason and value > definition.maximum:  # stored before a law set the maximum
        return definition.maximum
    return value


def _coerce(definition: RuleDefinition, raw):
    if isinstance(definition.default, bool):
        return bool(raw)
    if isinstance(definition.default, Decimal):
        return Decimal(str(raw))
    return int(raw)


def parse_value(definition: RuleDefinition, text) -> int | Decimal:
    """Turn user input into a rule value, or raise ValidationFailed saying what to fix."""
    try:
        value = _coerce(definition, str(text).strip())
    except (ValueError, InvalidOperation):
        expected = _("a whole number") if isinstance(definition.default, int) else _("a number")
        raise ValidationFailed(_("Enter %(expected)s.") % {"expected": expected}, field="value")
    if definition.maximum_reason and value > definition.maximum:
        raise ValidationFailed(_("At most %(max)s: %(reason)s") % {"max": definition.maximum,
                                                                  "reason": definition.maximum_reason},
                               field="value")
    if value < definition.minimum or (definition.maximum is not None and value > definition.maximum):
        raise ValidationFailed(
            _("Enter a value between %(min)s and %(max)s.")
            % {"min": definition.minimum, "max": definition.maximum if definition.maximum is not None else "∞"},
            field="value",
        )
    return value


def _to_json(value):
    return str(value) if isinstance(value, Decimal) else value


def set_value(actor, key: str, text, reason: str) -> RuleSetting:
    """Rules apply to the whole bank: only a holder of the right at the head office changes them."""
    require_whole_bank(actor, CorePermission.MANAGE_RULES)
    definition = RULES.get(key)
    if definition is None:
        raise ValidationFailed(_("Unknown rule."), field="key")
    if not reason or not reason.strip():
        raise ValidationFailed(_("Say why the rule changes."), field="reason")
    value = _to_json(parse_value(definition, text))
    with transaction.atomic():
        setting, _created = RuleSetting.objects.select_for_update().get_or_create(
            key=key, defaults={"value": _to_json(definition.default)}
        )
        old_value = setting.value
        setting.value = value
        setting.updated_by = actor
        setting.save()
        RuleChange.objects.create(rule=setting, old_value=old_value, new_value=value, reason=reason.strip(),
                                  changed_by=actor)
        audit.record(CoreAction.RULE_CHANGE, setting, before={"value": old_value}, after={"value": value, "reason": reason}, actor=actor)
        invalidate()
    return setting


def ensure_defaults() -> int:
    """Create a row for every rule that has none; existing values are never touched."""
    existing = set(RuleSetting.objects.values_list("key", flat=True))
    missing = [RuleSetting(key=r.key, value=_to_json(r.default)) for r in all_rules() if r.key not in existing]
    RuleSetting.objects.bulk_create(missing)
    invalidate()
    return len(missing)
