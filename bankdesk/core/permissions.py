"""Every permission decision in BankDesk goes through this module.

A user's rights come from role assignments: a role grants a set of permissions, and an assignment
at a unit reaches that unit's whole subtree. Services call `require` / `require_in_scope`; selectors
filter with `scope_q`; views, templates and the API ask `has_permission`. Nothing else decides.
"""

from enum import StrEnum
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.registry import Registry, owner_of
from bankdesk.core.tree import PATH_SEGMENT_WIDTH, next_path

PERMISSIONS = Registry("permission")  # value -> enum member, e.g. "audit.view" -> CorePermission.VIEW_AUDIT
PERMISSION_ENUMS: list = []  # the registered StrEnums, for the system check
ROLE_PERMISSIONS: dict[str, set[str]] = {}
CUSTOMER_DATA_PERMISSIONS: set[str] = set()  # filled by register_customer_data
_superuser = {"role": None}


class CorePermission(StrEnum):
    VIEW_AUDIT = "audit.view"
    MANAGE_RULES = "rules.manage"
    MANAGE_CALENDAR = "calendar.manage"
    REVEAL_PII = "pii.reveal"


def register_permissions(permissions) -> None:
    """An app declares its permissions as a StrEnum in `<app>/permissions.py` and registers it at ready()."""
    PERMISSION_ENUMS.append(permissions)
    for member in permissions:
        PERMISSIONS.add(member.value, member, owner_of(permissions))


def grant(roles, *permissions) -> None:
    """Give every role in `roles` the `permissions` (the app that owns the roles declares the grants)."""
    for role in roles:
        ROLE_PERMISSIONS.setdefault(str(role), set()).update(str(permission) for permission in permissions)


def register_customer_data(*permissions) -> None:
    """An app marks its permissions that open customers' records (complaints with the complainant's
    name and words, personal data in full). A role holding any of them is granted under dual control
    (orgs.services.assign_role)."""
    CUSTOMER_DATA_PERMISSIONS.update(str(permission) for permission in permissions)


def opens_customer_data(role: str) -> bool:
    """True when `role` grants a permission that reads customers' data."""
    return bool(ROLE_PERMISSIONS.get(role, set()) & CUSTOMER_DATA_PERMISSIONS)


def register_superuser_role(role: str) -> None:
    """The role a Django superuser holds at the root of the tree."""
    _superuser["role"] = str(role)


def _grants(user) -> list[tuple[str, str]]:
    """(role, unit path) of the user's active assignments, loaded once per user object."""
    cached = getattr(user, "_bankdesk_grants", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            cached = []
        elif user.is_superuser:
            cached = [(_superuser["role"], "")] if _superuser["role"] else []
        else:
            with connection.cursor() as cursor:
                cursor.execute(_grants_sql(), [user.pk])
                cached = cursor.fetchall()
        user._bankdesk_grants = cached
    return cached


@cache
def _grants_sql() -> str:
    """The active assignments at active units, as SQL: read on every request, and Django compiled the
    equivalent queryset in about 0.25 ms, eight times what running it took."""
    assignment = get_user_model().role_assignments.rel.related_model
    unit = assignment._meta.get_field("unit").related_model
    return (f'SELECT a."role", u."path" FROM "{assignment._meta.db_table}" a '
            f'INNER JOIN "{unit._meta.db_table}" u ON a."unit_id" = u."id" '
            f'WHERE a."user_id" = %s AND a."is_active" AND u."is_active"')


def roles(user) -> set[str]:
    return {role for role, _path in _grants(user)}


def roles_over(user, unit_paths) -> set[str]:
    """The roles the user holds at or above any of `unit_paths` (empty paths are ignored)."""
    return {role for role, path in _grants(user) if any(p and p.startswith(path) for p in unit_paths)}


def scope_paths(user, permission: str) -> list[str]:
    """The unit paths where the user holds `permission`, with paths inside others dropped."""
    paths = sorted({path for role, path in _grants(user) if permission in ROLE_PERMISSIONS.get(role, ())})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def has_permission(user, permission: str, unit=None) -> bool:
    paths = scope_paths(user, permission)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(path) for path in paths)


def covers_whole_bank(user, permission: str) -> bool:
    """True when the user holds `permission` at the root of the tree (bank-wide records)."""
    return any(len(path) <= PATH_SEGMENT_WIDTH for path in scope_paths(user, permission))


def require(user, permission: str) -> None:
    """The user must hold `permission` somewhere, or gets 403."""
    if not has_permission(user, permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def require_whole_bank(user, permission: str) -> None:
    """For records that apply to the whole bank: the user must hold `permission` at the head office.
    403 without the right at all, and 403 for a holder below the head office (who may read them)."""
    require(user, permission)
    if not covers_whole_bank(user, permission):
        raise PermissionDenied(_("Only the head office may change what applies to the whole bank."))


def require_in_scope(user, permission: str, unit) -> None:
    """403 without the right at all; 404 when the object lies outside the user's scope."""
    require(user, permission)
    if not has_permission(user, permission, unit):
        raise NotFound(_("Not found."))


def scope_q(user, permission: str, path_field: str) -> Q:
    """A filter on `path_field` (a unit path) limiting a query to the user's scope."""
    condition = Q(pk__in=[])
    for path in scope_paths(user, permission):
        condition |= Q(**{f"{path_field}__gte": path, f"{path_field}__lt": next_path(path)})
    return condition
