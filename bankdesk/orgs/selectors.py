"""Reads of the organisation app, always limited to the user's scope."""

from django.db.models import Q

from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.core.pii import blind_index
from bankdesk.orgs.models import ApiToken, GrantStatus, OrgUnit, RoleAssignment, RoleGrantRequest, User, next_path
from bankdesk.orgs.permissions import OrgPermission

UNIT_SORTS = {"path": ("path",), "code": ("code",), "name": ("name",), "kind": ("kind", "path")}
USER_SORTS = {"username": ("username",), "name": ("display_name", "username"), "unit": ("home_unit__path", "username"),
              "date_joined": ("date_joined", "id")}


def visible_units(user, permission: str = OrgPermission.VIEW_ORG, *, kind: str = "", search: str = "",
                  under: OrgUnit | None = None, sort: str = "path"):
    require(user, permission)
    units = OrgUnit.objects.filter(scope_q(user, permission, "path")).select_related("parent")
    if under is not None:
        units = units.subtree(under)
    if kind:
        units = units.filter(kind=kind)
    if search:
        units = units.filter(Q(name__contains=search) | Q(code__icontains=search))
    return units.order_by(*ordering(sort, UNIT_SORTS, "path"))


def visible_users(user, *, search: str = "", unit: OrgUnit | None = None, role: str = "", sort: str = "username"):
    require(user, OrgPermission.MANAGE_USERS)
    users = User.objects.filter(scope_q(user, OrgPermission.MANAGE_USERS, "home_unit__path")).select_related("home_unit")
    if unit is not None:
        users = users.filter(home_unit__path__gte=unit.path, home_unit__path__lt=next_path(unit.path))
    if role:
        users = users.filter(role_assignments__role=role, role_assignments__is_active=True).distinct()
    if search:
        users = users.filter(_user_search(search))
    return users.order_by(*ordering(sort, USER_SORTS, "username"))


def _user_search(text: str) -> Q:
    """Name, user name, staff number, or a mobile number found exactly through its blind index."""
    condition = Q(username__icontains=text) | Q(display_name__contains=text) | Q(staff_number=text)
    if sum(character.isdigit() for character in text) >= 7:
        condition |= Q(mobile_index=blind_index(text, "phone"))
    return condition


def role_assignments_of(user, target: User):
    require(user, OrgPermission.MANAGE_USERS)
    return (RoleAssignment.objects.filter(user=target)
            .filter(scope_q(user, OrgPermission.MANAGE_USERS, "unit__path"))
            .select_related("unit").order_by("-is_active", "unit__path"))


def grant_requests(user, target: User | None = None, *, pending_only: bool = True):
    """Requests to grant roles that open customers' data, at units where the user manages users."""
    require(user, OrgPermission.MANAGE_USERS)
    grants = RoleGrantRequest.objects.filter(scope_q(user, OrgPermission.MANAGE_USERS, "unit__path"))
    if target is not None:
        grants = grants.filter(user=target)
    if pending_only:
        grants = grants.filter(status=GrantStatus.PENDING)
    return grants.select_related("user", "unit", "requested_by", "decided_by").order_by("-requested_at", "-id")


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")
