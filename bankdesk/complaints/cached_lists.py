"""What every registration reads and an administrator rarely changes, kept per process (core.caching.Memo):
the active channels, business categories and causes by code, which categories have active sub-categories,
the active severity rules, and the active units by code. Saving or deleting any of them drops the copy (the
receivers below, connected at start; moving a unit's subtree saves the unit too); another process without
a shared cache reads again within a minute."""

from django.db.models.signals import post_delete, post_save

from bankdesk.complaints.models import BusinessCategory, Cause, Channel, SeverityRule
from bankdesk.core.caching import Memo
from bankdesk.orgs.models import OrgUnit

LIST_MODELS = {"channel": Channel, "business_category": BusinessCategory, "cause": Cause}


def _active(model) -> dict:
    entries = model.objects.filter(is_active=True)
    if model is BusinessCategory:
        entries = entries.select_related("parent")
    return {entry.code: entry for entry in entries}


def _read_lists() -> dict:
    lists = {name: _active(model) for name, model in LIST_MODELS.items()}
    lists["with_sub_categories"] = {entry.parent_id for entry in lists["business_category"].values()
                                    if entry.parent_id}
    return lists


LISTS = Memo("bankdesk:complaints:lists", _read_lists)
SEVERITY_RULES = Memo("bankdesk:complaints:severity-rules",
                      lambda: list(SeverityRule.objects.filter(is_active=True)))
UNITS = Memo("bankdesk:complaints:units", lambda: {unit.code: unit for unit in OrgUnit.objects.filter(is_active=True)})


def active_entry(name: str, code: str):
    """The active entry of list `name` (channel, business_category, cause) with `code`, or None."""
    return LISTS.get()[name].get(code)


def has_active_sub_categories(category: BusinessCategory) -> bool:
    return category.pk in LISTS.get()["with_sub_categories"]


def active_severity_rules() -> list[SeverityRule]:
    return SEVERITY_RULES.get()


def active_unit(code: str) -> OrgUnit | None:
    return UNITS.get().get(code)


def connect() -> None:
    for model in LIST_MODELS.values():
        post_save.connect(LISTS.drop, sender=model, dispatch_uid=f"cached_lists.{model.__name__}.save")
        post_delete.connect(LISTS.drop, sender=model, dispatch_uid=f"cached_lists.{model.__name__}.delete")
    post_save.connect(SEVERITY_RULES.drop, sender=SeverityRule, dispatch_uid="cached_lists.SeverityRule.save")
    post_delete.connect(SEVERITY_RULES.drop, sender=SeverityRule, dispatch_uid="cached_lists.SeverityRule.delete")
    post_save.connect(UNITS.drop, sender=OrgUnit, dispatch_uid="cached_lists.OrgUnit.save")
    post_delete.connect(UNITS.drop, sender=OrgUnit, dispatch_uid="cached_lists.OrgUnit.delete")
