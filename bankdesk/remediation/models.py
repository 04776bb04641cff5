"""Remediation after a complaint (domain.md §2 "Decisions and closure", "Rectification and accountability"):
payment orders under maker-checker, rectification items (溯源整改) and accountability records (问责).

Every row that belongs to a unit keeps a copy of the unit's path (`unit_path`) for scoped lists without a
join, as the complaints do. Nothing is deleted: orders are cancelled or rejected, items verified, records
rejected or revised on appeal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import Taxonomy
from bankdesk.core.pii import EncryptedTextField
from bankdesk.orgs.models import OrgUnit, Role

MONEY = {"max_digits": 14, "decimal_places": 2}


class AuthorityLimit(models.Model):
    """How much a role may approve at a unit's subtree (授权额度). A bank-wide entry has no unit; the most
    specific active entry over the order's unit wins; a role with no entry falls back to the complaints'
    approval-limit rule of that role (head 5,000 / consumer protection 50,000 / management 1,000,000 yuan)."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit (empty: the whole bank)"))
    limit_yuan = models.DecimalField(_("limit (yuan)"), **MONEY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["role", "unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["role", "unit"], name="remediation_one_limit_per_role_unit")]
        indexes = [models.Index(fields=["role", "is_active"])]

    def __str__(self):
        return f"{self.get_role_display()} · {self.unit or _('whole bank')} · {self.limit_yuan}"


class PaymentKind(models.TextChoices):
    COMPENSATION = "compensation", _("Compensation")
    FEE_REFUND = "fee_refund", _("Fee refund")


class PaymentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    PARTLY_APPROVED = "partly_approved", _("Awaiting the second approval")
    APPROVED = "approved", _("Approved, to be exported")
    EXPORTED = "exported", _("In a payment file, awaiting the payment reference")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


PENDING_PAYMENT_STATUSES = [PaymentStatus.PROPOSED, PaymentStatus.PARTLY_APPROVED]
LIVE_PAYMENT_STATUSES = [*PENDING_PAYMENT_STATUSES, PaymentStatus.APPROVED, PaymentStatus.EXPORTED,
                         PaymentStatus.PAID]


class PaymentOrder(models.Model):
    """A compensation or fee refund to pay under an approved decision: proposed (经办), approved (授权)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="payment_orders",
                                  verbose_name=_("complaint"))
    decision = models.ForeignKey("complaints.Decision", on_delete=models.PROTECT, related_name="payment_orders",
                                 verbose_name=_("decision"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    payee_name = EncryptedTextField(_("payee"))
    payee_account = EncryptedTextField(_("payee account"))
    payee_bank = models.CharField(_("payee bank"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices,
                              default=PaymentStatus.PROPOSED)
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for the rejection"), max_length=300, blank=True)
    export_batch = models.CharField(_("payment file"), max_length=40, blank=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("payment recorded by"))

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "proposed_at"]),
                   models.Index(fields=["status", "proposed_at"]),
                   models.Index(fields=["export_batch"])]

    def __str__(self):
        return f"FK{self.pk:08d}"


class PaymentApproval(models.Model):
    """One approver's yes or no on an order; two different people for amounts above the threshold."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("approver"))
    approved = models.BooleanField(_("approved"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_by_code = models.BooleanField(_("confirmed with a one-time code"), default=False)
    limit_yuan = models.DecimalField(_("approver's limit (yuan)"), **MONEY)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment approval")
        verbose_name_plural = _("payment approvals")
        ordering = ["decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "approver"], name="remediation_one_vote_per_approver")]


class ApproverDevice(models.Model):
    """An approver's TOTP authenticator (RFC 6238, 30-second steps, 6 digits); the secret is encrypted at rest.
    `last_step` refuses the replay of a code already used."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approver_device")
    secret = EncryptedTextField(_("secret"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approver's authenticator")
        verbose_name_plural = _("approvers' authenticators")


class RootCause(Taxonomy):
    """The cause taxonomy of rectification (root causes, not the customer's complaint causes)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    REPORTED = "reported", _("Reported done, awaiting verification")
    VERIFIED = "verified", _("Verified")


OPEN_RECTIFICATION_STATUSES = [RectificationStatus.OPEN, RectificationStatus.REPORTED]


class RectificationItem(models.Model):
    """溯源整改: the root cause behind one or more bank-at-fault complaints, fixed and prevented by its owner,
    verified by the consumer-protection office."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    root_cause = models.ForeignKey(RootCause, null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("root cause"))
    summary = models.CharField(_("what went wrong"), max_length=300)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    reported_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("verified by"))
    verification_note = models.TextField(_("verification"), blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    chase_count = models.PositiveSmallIntegerField(_("chases"), default=0)
    last_chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["unit_path", "opened_at"]),
                   models.Index(fields=["status", "is_overdue", "due_on"]),
                   models.Index(fields=["owner", "status"]),
                   models.Index(fields=["root_cause", "opened_at"])]

    def __str__(self):
        return f"ZG{self.pk:06d}"


class RectificationLink(models.Model):
    """A complaint covered by an item; a complaint belongs to one item at most."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="links")
    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.PROTECT, related_name="rectification_link")
    linked_at = models.DateTimeField(auto_now_add=True)


class RectificationEvidence(models.Model):
    """A file proving the fix; its content is kept once by its hash (complaints.StoredFile)."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey("complaints.StoredFile", on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "id"]


class PenaltyLevel(Taxonomy):
    """A step of the bank's penalty ladder (seed 004 article 2 by default), edited by the administrator."""

    fine_yuan = models.DecimalField(_("fine (yuan)"), null=True, blank=True, **MONEY)
    points = models.PositiveSmallIntegerField(_("points deducted"), default=0)

    class Meta(Taxonomy.Meta):
        verbose_name = _("penalty level")
        verbose_name_plural = _("penalty levels")


class AccountabilityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    APPROVED = "approved", _("In force")
    REJECTED = "rejected", _("Not approved")
    APPEALED = "appealed", _("Appealed, awaiting the decision")
    UPHELD = "upheld", _("Appeal dismissed, in force")
    REVISED = "revised", _("Changed on appeal")


class AccountabilityRecord(models.Model):
    """问责: a staff member held to account for a complaint, with a penalty from the ladder."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="accountability_records", verbose_name=_("complaint"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accountability_records",
                              verbose_name=_("staff member"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    penalty = models.ForeignKey(PenaltyLevel, on_delete=models.PROTECT, verbose_name=_("penalty"))
    facts = models.TextField(_("facts and grounds"))
    status = models.CharField(_("status"), max_length=20, choices=AccountabilityStatus.choices,
                              default=AccountabilityStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("approved by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("approver's note"), max_length=300, blank=True)
    appeal_text = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("appeal decided by"))
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    appeal_note = models.CharField(_("appeal decision"), max_length=300, blank=True)
    original_penalty = models.ForeignKey(PenaltyLevel, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("penalty before the appeal"))

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "proposed_at"]),
                   models.Index(fields=["staff", "proposed_at"]),
                   models.Index(fields=["status", "proposed_at"])]

    def __str__(self):
        return f"WZ{self.pk:06d}"
