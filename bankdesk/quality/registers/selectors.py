"""Reads of the outlet registers, always limited to the units where the user holds quality.view."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.core.tree import next_path
from bankdesk.quality.models import CareService, Commendation, Interception
from bankdesk.quality.permissions import QualityPermission as P

LIST_RELATED = ("unit", "staff", "recorded_by")


@dataclass
class RegisterFilter:
    """What a register list is filtered by; `kind` is the channel, scam type id or care service."""

    unit: object = None
    staff: object = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    include_void: bool = False
    sort: str = ""


@dataclass(frozen=True)
class Register:
    model: type
    date_field: str
    kind_field: str
    sorts: dict

    def default_sort(self) -> str:
        return f"-{self.date_field}"


COMMENDATIONS = Register(Commendation, "received_on", "channel",
                         {"received_on": ("received_on", "id"), "unit": ("unit_path", "-received_on", "id"),
                          "channel": ("channel", "-received_on", "id")})
INTERCEPTIONS = Register(Interception, "occurred_on", "scam_type_id",
                         {"occurred_on": ("occurred_on", "id"), "unit": ("unit_path", "-occurred_on", "id"),
                          "amount_protected": ("amount_protected", "id")})
CARE_SERVICES = Register(CareService, "service_on", "kind",
                         {"service_on": ("service_on", "id"), "unit": ("unit_path", "-service_on", "id"),
                          "kind": ("kind", "-service_on", "id")})


def in_subtree(path_field: str, unit) -> Q:
    return Q(**{f"{path_field}__gte": unit.path, f"{path_field}__lt": next_path(unit.path)})


def visible(user, register: Register):
    require(user, P.VIEW)
    return register.model.objects.filter(scope_q(user, P.VIEW, "unit_path"))


def filtered(user, register: Register, filters: RegisterFilter):
    rows = visible(user, register)
    if filters.unit is not None:
        rows = rows.filter(in_subtree("unit_path", filters.unit))
    if filters.staff is not None:
        rows = rows.filter(staff=filters.staff)
    if filters.date_from:
        rows = rows.filter(**{f"{register.date_field}__gte": filters.date_from})
    if filters.date_to:
        rows = rows.filter(**{f"{register.date_field}__lte": filters.date_to})
    if filters.kind:
        rows = rows.filter(**{register.kind_field: filters.kind})
    if not filters.include_void:
        rows = rows.filter(is_void=False)
    return rows


def register_list(user, register: Register, filters: RegisterFilter):
    """One page's query: the rows with what the list shows joined in."""
    related = (*LIST_RELATED, "scam_type") if register is INTERCEPTIONS else LIST_RELATED
    sort = ordering(filters.sort or register.default_sort(), register.sorts, register.default_sort())
    return filtered(user, register, filters).select_related(*related).order_by(*sort)


def record(user, register: Register, pk: int):
    found = visible(user, register).select_related(*LIST_RELATED).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def interception_totals_by_month(user, filters: RegisterFilter) -> list[dict]:
    """[{month, count, amount, police}] in month order: the chart of interceptions over time."""
    rows = filtered(user, INTERCEPTIONS, filters).annotate(month=TruncMonth("occurred_on")).values("month")
    return list(rows.annotate(count=Count("id"), amount=Sum("amount_protected"),
                              police=Count("id", filter=Q(police_involved=True))).order_by("month"))


def interception_totals_by_outlet(user, filters: RegisterFilter) -> list[dict]:
    """[{unit_id, unit__name, count, amount, police}], the most interceptions first."""
    rows = filtered(user, INTERCEPTIONS, filters).values("unit_id", "unit__name", "unit__code")
    return list(rows.annotate(count=Count("id"), amount=Sum("amount_protected"),
                              police=Count("id", filter=Q(police_involved=True)))
                .order_by("-count", "-amount", "unit__code"))


def honour_list(user, filters: RegisterFilter, limit: int = 20) -> list[dict]:
    """The staff who stopped the most frauds (then the most money): [{staff_id, name, unit, count, amount}]."""
    rows = filtered(user, INTERCEPTIONS, filters).filter(staff__isnull=False).values(
        "staff_id", "staff__display_name", "staff__username", "staff__home_unit__name")
    return list(rows.annotate(count=Count("id"), amount=Sum("amount_protected"))
                .order_by("-count", "-amount", "staff__username")[:limit])
