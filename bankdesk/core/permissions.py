"""Every permission decision in BankDesk goes through this module.

A user's rights come from role assignments: a role grants a set of permissions, and an assignment
at a unit reaches that unit's whole subtree. Services call `require` / `require_in_scope`; selectors
filter with `scope_q`; views, templates and the API ask `has_permission`. Nothing else decides.
"""

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _

from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.orgs.models import PATH_SEGMENT_WIDTH, OrgUnit, Role, next_path


class Permission(StrEnum):
    VIEW_AUDIT = "audit.view"
    MANAGE_ORG = "org.manage"
    VIEW_ORG = "org.view"
    MANAGE_USERS = "users.manage"
    MANAGE_RULES = "rules.manage"
    MANAGE_CALENDAR = "calendar.manage"
    REVEAL_PII = "pii.reveal"
    REGISTER_COMPLAINT = "complaint.register"
    VIEW_COMPLAINTS = "complaint.view"
    REVIEW_COMPLAINTS = "complaint.review"
    WITHDRAW_COMPLAINT = "complaint.withdraw"
    EXPORT_COMPLAINTS = "complaint.export"
    IMPORT_COMPLAINTS = "complaint.import"
    MANAGE_TAXONOMIES = "complaint.taxonomies"
    HANDLE_COMPLAINTS = "complaint.handle"
    APPROVE_DECISIONS = "complaint.approve"
    APPROVE_FURTHER_EXTENSION = "complaint.approve_further_extension"
    CALLBACK_COMPLAINTS = "complaint.callback"
    REOPEN_COMPLAINTS = "complaint.reopen"
    VIEW_KNOWLEDGE = "knowledge.view"
    MANAGE_KNOWLEDGE = "knowledge.manage"


_EVERY_STAFF_ROLE = set(Role.values)

ROLE_PERMISSIONS: dict[str, set[Permission]] = {
    role: {Permission.VIEW_ORG, Permission.VIEW_KNOWLEDGE} for role in _EVERY_STAFF_ROLE}
for _role in (Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION):
    ROLE_PERMISSIONS[_role].add(Permission.REVEAL_PII)
for _role in (Role.AGENT, Role.LOBBY_MANAGER, Role.TELLER, Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION):
    ROLE_PERMISSIONS[_role].add(Permission.REGISTER_COMPLAINT)
for _role in (Role.LOBBY_MANAGER, Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT,
              Role.AUDITOR):
    ROLE_PERMISSIONS[_role] |= {Permission.VIEW_COMPLAINTS, Permission.EXPORT_COMPLAINTS}
ROLE_PERMISSIONS[Role.CONSUMER_PROTECTION] |= {
    Permission.REVIEW_COMPLAINTS, Permission.WITHDRAW_COMPLAINT, Permission.IMPORT_COMPLAINTS,
    Permission.MANAGE_TAXONOMIES,
}
ROLE_PERMISSIONS[Role.HANDLER].add(Permission.WITHDRAW_COMPLAINT)
for _role in (Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION):
    ROLE_PERMISSIONS[_role] |= {Permission.HANDLE_COMPLAINTS, Permission.CALLBACK_COMPLAINTS}
for _role in (Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT):
    ROLE_PERMISSIONS[_role].add(Permission.APPROVE_DECISIONS)
for _role in (Role.CONSUMER_PROTECTION, Role.MANAGEMENT):
    ROLE_PERMISSIONS[_role] |= {Permission.APPROVE_FURTHER_EXTENSION, Permission.REOPEN_COMPLAINTS}
for _role in (Role.CONSUMER_PROTECTION, Role.ADMIN):
    ROLE_PERMISSIONS[_role].add(Permission.MANAGE_KNOWLEDGE)
ROLE_PERMISSIONS[Role.AUDITOR] |= {Permission.VIEW_AUDIT}
ROLE_PERMISSIONS[Role.ADMIN] |= {
    Permission.VIEW_AUDIT,
    Permission.MANAGE_ORG,
    Permission.MANAGE_USERS,
    Permission.MANAGE_RULES,
    Permission.MANAGE_CALENDAR,
}

# Permissions that open customers' records: complaints with the complainant's name and words, and
# their personal data in full. Registering alone is not among them (it writes a complaint and sees
# only the status of earlier ones from the same number). A role holding any of these is granted
# under dual control (orgs.services.assign_role).
CUSTOMER_DATA_PERMISSIONS = frozenset({
    Permission.REVEAL_PII, Permission.VIEW_COMPLAINTS, Permission.EXPORT_COMPLAINTS, Permission.REVIEW_COMPLAINTS,
    Permission.HANDLE_COMPLAINTS, Permission.CALLBACK_COMPLAINTS, Permission.APPROVE_DECISIONS,
})


def opens_customer_data(role: str) -> bool:
    """True when `role` grants a permission that reads customers' data."""
    return bool(ROLE_PERMISSIONS.get(role, set()) & CUSTOMER_DATA_PERMISSIONS)


def _grants(user) -> list[tuple[str, str]]:
    """(role, unit path) of the user's active assignments, loaded once per user object."""
    cached = getattr(user, "_bankdesk_grants", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            cached = []
        elif user.is_superuser:
            cached = [(Role.ADMIN, "")]
        else:
            cached = list(user.role_assignments.filter(is_active=True, unit__is_active=True)
                          .values_list("role", "unit__path"))
        user._bankdesk_grants = cached
    return cached


def roles(user) -> set[str]:
    return {role for role, _path in _grants(user)}


def roles_over(user, unit_paths) -> set[str]:
    """The roles the user holds at or above any of `unit_paths` (empty paths are ignored)."""
    return {role for role, path in _grants(user) if any(p and p.startswith(path) for p in unit_paths)}


def scope_paths(user, permission: Permission) -> list[str]:
    """The unit paths where the user holds `permission`, with paths inside others dropped."""
    paths = sorted({path for role, path in _grants(user) if permission in ROLE_PERMISSIONS.get(role, ())})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def has_permission(user, permission: Permission, unit: OrgUnit | None = None) -> bool:
    paths = scope_paths(user, permission)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(path) for path in paths)


def covers_whole_bank(user, permission: Permission) -> bool:
    """True when the user holds `permission` at the root of the tree (bank-wide records)."""
    return any(len(path) <= PATH_SEGMENT_WIDTH for path in scope_paths(user, permission))


def require(user, permission: Permission) -> None:
    """The user must hold `permission` somewhere, or gets 403."""
    if not has_permission(user, permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def require_whole_bank(user, permission: Permission) -> None:
    """For records that apply to the whole bank: the user must hold `permission` at the head office.
    403 without the right at all, and 403 for a holder below the head office (who may read them)."""
    require(user, permission)
    if not covers_whole_bank(user, permission):
        raise PermissionDenied(_("Only the head office may change what applies to the whole bank."))


def require_in_scope(user, permission: Permission, unit: OrgUnit) -> None:
    """403 without the right at all; 404 when the object lies outside the user's scope."""
    require(user, permission)
    if not has_permission(user, permission, unit):
        raise NotFound(_("Not found."))


def scope_q(user, permission: Permission, path_field: str) -> Q:
    """A filter on `path_field` (a unit path) limiting a query to the user's scope."""
    condition = Q(pk__in=[])
    for path in scope_paths(user, permission):
        condition |= Q(**{f"{path_field}__gte": path, f"{path_field}__lt": next_path(path)})
    return condition
