"""The organisation tree, users and the roles they hold at a unit.

Units form a tree stored as a materialised path: every unit's `path` is its parent's path plus a
fixed-width segment of digits, so a subtree is one range scan on the indexed `path` column
(`path >= P AND path < next(P)`), on SQLite and PostgreSQL alike, whatever the collation.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.core.pii import BlindIndexField, EncryptedTextField
from bankdesk.core.tree import PATH_SEGMENT_WIDTH, next_path  # noqa: F401  (re-exported for the org tree's users)


class UnitKind(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    BRANCH = "branch", _("Branch")
    SUB_BRANCH = "sub_branch", _("Sub-branch")
    OUTLET = "outlet", _("Outlet")
    DEPARTMENT = "department", _("Department")
    CALL_CENTER = "call_center", _("Call center")


# The kinds of unit each kind may sit under (docs/domain-rules.md §1): 总行 > 分行 > 支行 > 网点, each level under any level
# above it; departments under the head office, a branch, a sub-branch, the call center or another department; the
# call center under the head office or a branch. Only a head office stands at the root.
PARENT_KINDS = {
    UnitKind.HEAD_OFFICE: frozenset(),
    UnitKind.BRANCH: frozenset({UnitKind.HEAD_OFFICE}),
    UnitKind.SUB_BRANCH: frozenset({UnitKind.HEAD_OFFICE, UnitKind.BRANCH}),
    UnitKind.OUTLET: frozenset({UnitKind.HEAD_OFFICE, UnitKind.BRANCH, UnitKind.SUB_BRANCH}),
    UnitKind.DEPARTMENT: frozenset({UnitKind.HEAD_OFFICE, UnitKind.BRANCH, UnitKind.SUB_BRANCH, UnitKind.CALL_CENTER,
                                    UnitKind.DEPARTMENT}),
    UnitKind.CALL_CENTER: frozenset({UnitKind.HEAD_OFFICE, UnitKind.BRANCH}),
}


class Role(models.TextChoices):
    """The roles of docs/domain-rules.md §1 that log in (customers use a tracking number instead)."""

    AGENT = "agent", _("Call-center agent")
    CALLBACK_SEAT = "callback_seat", _("Callback seat (complaint post)")
    LOBBY_MANAGER = "lobby_manager", _("Lobby manager")
    TELLER = "teller", _("Teller")
    HANDLER = "handler", _("Complaint handler")
    UNIT_HEAD = "unit_head", _("Department / outlet head")
    CONSUMER_PROTECTION = "consumer_protection", _("Consumer-protection officer")
    QA_INSPECTOR = "qa_inspector", _("QA inspector")
    WORKFORCE_PLANNER = "workforce_planner", _("Workforce planner")
    MANAGEMENT = "management", _("Management")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("System administrator")


class OrgUnitQuerySet(models.QuerySet):
    def subtree(self, unit: "OrgUnit"):
        return self.filter(path__gte=unit.path, path__lt=next_path(unit.path))

    def active(self):
        return self.filter(is_active=True)


class OrgUnit(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def is_within(self, ancestor: "OrgUnit") -> bool:
        return self.path.startswith(ancestor.path)

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and every unit above it, nearest last."""
        return [self.path[:end] for end in range(PATH_SEGMENT_WIDTH, len(self.path) + 1, PATH_SEGMENT_WIDTH)]


class User(AbstractUser):
    """A member of staff. Scope and rights come from role assignments, not from Django groups."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=32, blank=True, db_index=True)
    home_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("home unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_index = BlindIndexField(source="mobile", kind="phone")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username


class RoleAssignment(models.Model):
    """A user holds a role at a unit; the role's rights reach that unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_assignment")]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} @ {self.unit}"


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RoleGrantRequest(models.Model):
    """A grant of a role that opens customers' data: it takes effect only when a second
    administrator, neither the one who asked nor the grantee, approves it (orgs.services)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grant_requests",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason for the rejection"), max_length=200, blank=True)
    assignment = models.ForeignKey(RoleAssignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("role assignment"))

    class Meta:
        verbose_name = _("role grant request")
        verbose_name_plural = _("role grant requests")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], condition=models.Q(status="pending"),
                                               name="one_pending_grant_request")]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} @ {self.unit}"


class ApiToken(models.Model):
    """A token for an integration, acting as one user. Only a SHA-256 hash of it is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set at creation from the rule security.api_token_lifetime_days; a token past it is refused.
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class CustomerCount(models.Model):
    """How many customers a unit served in a month: the denominator of "complaints per 10,000 customers"
    (outlet star ratings, analytics). Entered or imported by the service-management team."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="customer_counts", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    customers = models.PositiveIntegerField(_("customers"))
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    updated_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("customer count")
        verbose_name_plural = _("customer counts")
        ordering = ["-month", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_customer_count_per_month")]
        indexes = [models.Index(fields=["unit_path", "month"])]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}: {self.customers}"
