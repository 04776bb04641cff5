"""Writes of the organisation app: units, users, role assignments (with dual control for roles
that open customers' data), API tokens."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, rules
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.inputs import control_character_problem
from bankdesk.core.permissions import opens_customer_data, require, require_in_scope
from bankdesk.core.pii import normalize_phone
from bankdesk.orgs import lockout
from bankdesk.orgs.permissions import OrgPermission
from bankdesk.orgs.audit_actions import OrgAction
from bankdesk.orgs.models import (
    PARENT_KINDS,
    PATH_SEGMENT_WIDTH,
    ApiToken,
    GrantStatus,
    OrgUnit,
    Role,
    RoleAssignment,
    RoleGrantRequest,
    UnitKind,
    User,
)

UNIT_FIELDS = ["code", "name", "name_en", "kind", "parent", "path", "is_active"]
USER_FIELDS = ["username", "display_name", "staff_number", "email", "home_unit", "is_active"]
MOBILE_PATTERN = re.compile(r"1\d{10}")
TOKEN_PREFIX = "bd_"
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _next_child_path(parent: OrgUnit | None) -> str:
    prefix = parent.path if parent else ""
    siblings = OrgUnit.objects.filter(parent=parent).values_list("path", flat=True)
    highest = max((int(path[-PATH_SEGMENT_WIDTH:]) for path in siblings), default=0)
    if highest + 1 >= 10**PATH_SEGMENT_WIDTH:
        raise ValidationFailed(_("This unit has too many sub-units."), field="parent")
    return prefix + str(highest + 1).zfill(PATH_SEGMENT_WIDTH)


def _validate_unit(code: str, name: str, kind: str, name_en: str = "") -> None:
    if not code.strip():
        raise ValidationFailed(_("Enter the unit code."), field="code")
    if not name.strip():
        raise ValidationFailed(_("Enter the unit name."), field="name")
    for field_name, value in (("code", code), ("name", name), ("name_en", name_en)):
        problem = control_character_problem(value)
        if problem:
            raise ValidationFailed(problem, field=field_name)
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Choose a unit kind."), field="kind")


def _check_hierarchy(kind: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    """The unit's kind fits under its parent's (PARENT_KINDS), and a changed unit's children still fit under it."""
    if parent is None and kind != UnitKind.HEAD_OFFICE:
        raise ValidationFailed(_("Only a head office stands at the top of the tree; choose the parent unit."),
                               field="parent")
    if parent is not None and parent.kind not in PARENT_KINDS[kind]:
        raise ValidationFailed(_("A unit of kind “%(kind)s” cannot be placed under a unit of kind “%(parent)s”.")
                               % {"kind": UnitKind(kind).label, "parent": UnitKind(parent.kind).label}, field="parent")
    if unit is not None and kind != unit.kind:
        misfit = unit.children.exclude(kind__in=[child for child, parents in PARENT_KINDS.items() if kind in parents])
        child_kind = misfit.values_list("kind", flat=True).first()
        if child_kind is not None:
            raise ValidationFailed(_("A unit of kind “%(child)s” below this unit cannot stay under a unit of kind "
                                     "“%(kind)s”.") % {"child": UnitKind(child_kind).label,
                                                       "kind": UnitKind(kind).label}, field="kind")


def bootstrap_bank(*, code: str, name: str, admin_username: str, admin_password: str,
                   admin_name: str = "") -> tuple[OrgUnit, User]:
    """The first unit and its administrator, on an empty database (installation, demo)."""
    if OrgUnit.objects.exists():
        raise ValidationFailed(_("The organisation exists already."), field="code")
    _validate_unit(code, name, UnitKind.HEAD_OFFICE)
    with transaction.atomic():
        root = OrgUnit.objects.create(code=code, name=name, kind=UnitKind.HEAD_OFFICE, path="1".zfill(PATH_SEGMENT_WIDTH))
        admin = User(username=admin_username, display_name=admin_name or admin_username, home_unit=root)
        _validate_password(admin_password, admin)
        admin.set_password(admin_password)
        admin.save()
        RoleAssignment.objects.create(user=admin, role=Role.ADMIN, unit=root)
        audit.record(OrgAction.BOOTSTRAP, root, after={"unit": code, "admin": admin_username}, actor=admin)
    return root, admin


def _check_parent(actor, parent: OrgUnit | None) -> None:
    if parent is None:
        if OrgUnit.objects.filter(parent=None).exists():
            raise ValidationFailed(_("Choose the parent unit."), field="parent")
        require(actor, OrgPermission.MANAGE_ORG)
    else:
        require_in_scope(actor, OrgPermission.MANAGE_ORG, parent)


def create_unit(actor, *, code: str, name: str, kind: str, parent: OrgUnit | None, name_en: str = "") -> OrgUnit:
    _validate_unit(code, name, kind, name_en)
    _check_parent(actor, parent)
    _check_hierarchy(kind, parent)
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationFailed(_("A unit with this code exists already."), field="code")
    with transaction.atomic():
        unit = OrgUnit(code=code, name=name, name_en=name_en, kind=kind, parent=parent)
        unit.path = _next_child_path(parent)
        unit.depth = len(unit.path) // PATH_SEGMENT_WIDTH - 1
        try:
            with transaction.atomic():
                unit.save()
        except IntegrityError:
            raise ValidationFailed(_("Another change to this part of the tree came first; try again."), field="parent")
        audit.record(OrgAction.UNIT_CREATE, unit, after=audit.snapshot(unit, UNIT_FIELDS), actor=actor)
    return unit


def update_unit(actor, unit: OrgUnit, *, code: str, name: str, kind: str, parent: OrgUnit | None,
                name_en: str = "", is_active: bool = True) -> OrgUnit:
    """Change a unit; a new parent moves its whole subtree in one UPDATE."""
    require_in_scope(actor, OrgPermission.MANAGE_ORG, unit)
    _validate_unit(code, name, kind, name_en)
    if parent is not None and parent.is_within(unit):
        raise ValidationFailed(_("A unit cannot be moved under itself."), field="parent")
    if kind != unit.kind or parent != unit.parent:  # a unit placed before the rule can still be renamed
        _check_hierarchy(kind, parent, unit)
    if OrgUnit.objects.filter(code=code).exclude(pk=unit.pk).exists():
        raise ValidationFailed(_("A unit with this code exists already."), field="code")
    with transaction.atomic():
        before = audit.snapshot(unit, UNIT_FIELDS)
        if parent != unit.parent:
            _check_parent(actor, parent)
            _move_subtree(unit, parent)
        unit.code, unit.name, unit.name_en, unit.kind, unit.is_active = code, name, name_en, kind, is_active
        unit.save(update_fields=["code", "name", "name_en", "kind", "is_active", "updated_at"])
        audit.record(OrgAction.UNIT_UPDATE, unit, before=before, after=audit.snapshot(unit, UNIT_FIELDS), actor=actor)
    return unit


def _move_subtree(unit: OrgUnit, parent: OrgUnit | None) -> None:
    old_path, new_path = unit.path, _next_child_path(parent)
    depth_change = (len(new_path) - len(old_path)) // PATH_SEGMENT_WIDTH
    OrgUnit.objects.subtree(unit).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + depth_change
    )
    unit.refresh_from_db(fields=["path", "depth"])
    unit.parent = parent
    unit.save(update_fields=["parent"])


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), field="password")


def create_user(actor, *, username: str, display_name: str, password: str, home_unit: OrgUnit,
                staff_number: str = "", email: str = "", mobile: str = "") -> User:
    require_in_scope(actor, OrgPermission.MANAGE_USERS, home_unit)
    if not username.strip():
        raise ValidationFailed(_("Enter a user name."), field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This user name is taken."), field="username")
    if mobile and not MOBILE_PATTERN.fullmatch(normalize_phone(mobile)):
        raise ValidationFailed(_("Enter an 11-digit mobile number starting with 1."), field="mobile")
    user = User(username=username, display_name=display_name, home_unit=home_unit, staff_number=staff_number,
                email=email, mobile=normalize_phone(mobile) if mobile else "")
    _validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit.record(OrgAction.USER_CREATE, user, after=audit.snapshot(user, USER_FIELDS), actor=actor)
    return user


def set_user_active(actor, user: User, is_active: bool) -> User:
    """Users are never deleted; leaving staff are deactivated."""
    require_in_scope(actor, OrgPermission.MANAGE_USERS, user.home_unit)
    if user == actor and not is_active:
        raise ValidationFailed(_("You cannot disable your own account."), field="active")
    with transaction.atomic():
        before = audit.snapshot(user, USER_FIELDS)
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        audit.record(OrgAction.USER_UPDATE, user, before=before, after=audit.snapshot(user, USER_FIELDS), actor=actor)
    return user


def set_password(actor, user: User, password: str) -> None:
    if actor != user:
        require_in_scope(actor, OrgPermission.MANAGE_USERS, user.home_unit)
    _validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(OrgAction.USER_PASSWORD, user, actor=actor)


def assign_role(actor, user: User, role: str, unit: OrgUnit) -> RoleAssignment | RoleGrantRequest:
    """Give `user` a role at `unit`. A role that opens customers' data is not granted at once: the
    answer is a pending RoleGrantRequest that a second administrator approves (approve_role_grant)."""
    require_in_scope(actor, OrgPermission.MANAGE_USERS, unit)
    if role not in Role.values:
        raise ValidationFailed(_("Choose a role."), field="role")
    active = RoleAssignment.objects.filter(user=user, role=role, unit=unit, is_active=True).first()
    if active is not None:
        return active
    if opens_customer_data(role):
        return _request_role(actor, user, role, unit)
    with transaction.atomic():
        return _grant(actor, user, role, unit)


def _grant(actor, user: User, role: str, unit: OrgUnit, **audit_details) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    assignment.is_active = True
    assignment.save(update_fields=["is_active"])
    audit.record(OrgAction.ROLE_ASSIGN, assignment,
                 after={"user": user.pk, "role": role, "unit": unit.code, **audit_details}, actor=actor)
    return assignment


def _request_role(actor, user: User, role: str, unit: OrgUnit) -> RoleGrantRequest:
    pending = RoleGrantRequest.objects.filter(user=user, role=role, unit=unit, status=GrantStatus.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            grant = RoleGrantRequest.objects.create(user=user, role=role, unit=unit, requested_by=actor)
            audit.record(OrgAction.GRANT_REQUEST, grant, after={"user": user.pk, "role": role, "unit": unit.code},
                         actor=actor)
    except IntegrityError:  # the same request, made at the same moment by another administrator
        return RoleGrantRequest.objects.get(user=user, role=role, unit=unit, status=GrantStatus.PENDING)
    return grant


def grant_decision_refusal(actor, grant: RoleGrantRequest) -> str | None:
    """Why `actor` may not decide `grant` (scope apart), or None when they may."""
    if grant.requested_by_id == actor.pk:
        return _("A second administrator must decide a grant you asked for.")
    if grant.user_id == actor.pk:
        return _("Nobody decides a grant of a role to themselves.")
    return None


def _decide(actor, grant: RoleGrantRequest) -> RoleGrantRequest:
    """Check that `actor` may decide `grant` and return it locked, still pending."""
    require_in_scope(actor, OrgPermission.MANAGE_USERS, grant.unit)
    refusal = grant_decision_refusal(actor, grant)
    if refusal:
        raise PermissionDenied(refusal)
    locked = RoleGrantRequest.objects.select_for_update().select_related("user", "unit").get(pk=grant.pk)
    if locked.status != GrantStatus.PENDING:
        raise Conflict(_("This request has been decided already."))
    return locked


def approve_role_grant(actor, grant: RoleGrantRequest) -> RoleAssignment:
    """The second administrator's approval: the role takes effect."""
    with transaction.atomic():
        grant = _decide(actor, grant)
        assignment = _grant(actor, grant.user, grant.role, grant.unit, requested_by=grant.requested_by_id,
                            grant_request=grant.pk)
        grant.status, grant.decided_by, grant.decided_at = GrantStatus.APPROVED, actor, timezone.now()
        grant.assignment = assignment
        grant.save(update_fields=["status", "decided_by", "decided_at", "assignment"])
        audit.record(OrgAction.GRANT_APPROVE, grant, after={"user": grant.user_id, "role": grant.role,
                                                             "unit": grant.unit.code}, actor=actor)
    return assignment


def reject_role_grant(actor, grant: RoleGrantRequest, reason: str) -> RoleGrantRequest:
    if not reason or not reason.strip():
        raise ValidationFailed(_("Say why the grant is rejected."), field="reason")
    with transaction.atomic():
        grant = _decide(actor, grant)
        grant.status, grant.decided_by, grant.decided_at = GrantStatus.REJECTED, actor, timezone.now()
        grant.reason = reason.strip()[:200]
        grant.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit.record(OrgAction.GRANT_REJECT, grant, after={"user": grant.user_id, "role": grant.role,
                                                            "unit": grant.unit.code, "reason": grant.reason},
                     actor=actor)
    return grant


def revoke_role(actor, assignment: RoleAssignment) -> RoleAssignment:
    require_in_scope(actor, OrgPermission.MANAGE_USERS, assignment.unit)
    if assignment.user_id == actor.pk and assignment.role == Role.ADMIN:
        raise ValidationFailed(_("You cannot withdraw your own administrator role; ask another administrator."),
                               field="role")
    with transaction.atomic():
        assignment.is_active = False
        assignment.save(update_fields=["is_active"])
        audit.record(OrgAction.ROLE_REVOKE, assignment,
                     before={"user": assignment.user_id, "role": assignment.role, "unit": assignment.unit.code}, actor=actor)
    return assignment


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_token(actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's own use; the plaintext is returned once and never stored."""
    if not name.strip():
        raise ValidationFailed(_("Name the token after the system that will use it."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        expires_at = timezone.now() + timedelta(days=rules.get("security.api_token_lifetime_days"))
        token = ApiToken.objects.create(user=actor, name=name.strip(), prefix=raw[:10], token_hash=_hash_token(raw),
                                        expires_at=expires_at)
        audit.record(OrgAction.TOKEN_CREATE, token, after={"name": token.name, "prefix": token.prefix,
                                                       "expires_at": expires_at.isoformat()}, actor=actor)
    return token, raw


def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        require_in_scope(actor, OrgPermission.MANAGE_USERS, token.user.home_unit)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(OrgAction.TOKEN_REVOKE, token, after={"name": token.name, "prefix": token.prefix}, actor=actor)
    return token


def authenticate_token(raw: str, request=None) -> User | None:
    """The active user behind a live token, recording its use (at most once a minute).

    A token past its expiry is refused, and so is one whose account django-axes has locked out for
    this caller (as the login page would refuse its password): guessing the password must not leave
    a door open through the API.
    """
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(token_hash=_hash_token(raw), revoked_at=None, expires_at__gt=now, user__is_active=True).first())
    if token is None:
        return None
    if request is not None and lockout.is_locked_out(request, token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
