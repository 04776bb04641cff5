"""Complaints from registration to closure (docs/domain-rules.md §2): the record, its clocks and its handling."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import ChoiceLabels, JobStatus
from bankdesk.core.pii import BlindIndexField, EncryptedTextField
from bankdesk.orgs.models import OrgUnit


class Taxonomy(models.Model):
    """An admin-editable list entry; entries are retired (inactive), never deleted."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class ChannelKind(models.TextChoices):
    STAFF = "staff", _("Registered by staff")
    PUBLIC = "public", _("Filed by the customer")
    REGULATOR = "regulator", _("Transferred by a regulator")
    EMAIL = "email", _("E-mail")
    MEDIA = "media", _("Media")


class Channel(Taxonomy):
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices, default=ChannelKind.STAFF)

    class Meta(Taxonomy.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class BusinessCategory(Taxonomy):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent category"))

    class Meta(Taxonomy.Meta):
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Cause(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("cause")
        verbose_name_plural = _("causes")


class ClosureCode(Taxonomy):
    # What the decision letter tells the customer; the code and its name are the bank's own words.
    customer_text = models.CharField(_("what the letter tells the customer"), max_length=300, blank=True)

    class Meta(Taxonomy.Meta):
        verbose_name = _("closure code")
        verbose_name_plural = _("closure codes")


class Severity(models.IntegerChoices):
    MINOR = 1, _("Minor")
    IMPORTANT = 2, _("Important")
    MAJOR = 3, _("Major")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered, awaiting acceptance review")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted")
    ROUTED = "routed", _("Routed to the lead department")
    INVESTIGATING = "investigating", _("Investigating")
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    DECISION_APPROVED = "decision_approved", _("Decision approved")
    COMMUNICATED = "communicated", _("Decision communicated, awaiting callback")
    SCREENING = "screening", _("Not satisfied at callback, awaiting screening")
    REOPENED = "reopened", _("Reopened for re-handling or review")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")
    MERGED = "merged", _("Merged into another complaint")


OPEN_STATUSES = [Status.REGISTERED, Status.ACCEPTED, Status.ROUTED, Status.INVESTIGATING,
                 Status.DECISION_PROPOSED, Status.DECISION_APPROVED, Status.COMMUNICATED, Status.SCREENING,
                 Status.REOPENED]
HANDLING_STATUSES = [Status.ROUTED, Status.INVESTIGATING, Status.REOPENED]


class DeadlineState(models.IntegerChoices):
    ON_TIME = 0, _("On time")
    WARNED = 1, _("Due soon")
    OVERDUE = 2, _("Overdue")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit (HK/Macao)")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit (Taiwan)")
    FOREIGN_RESIDENT = "foreign_resident", _("Foreign permanent resident ID")
    OTHER = "other", _("Other")


class Complaint(ChoiceLabels, models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MINOR)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Registration record (投诉登记表)
    complainant_name = models.CharField(_("complainant"), max_length=100)
    phone = EncryptedTextField(_("phone"))
    phone_index = BlindIndexField(source="phone", kind="phone")
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField(source="id_number", kind="id_number")
    account_number = EncryptedTextField(_("account or card number"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, verbose_name=_("channel"))
    received_at = models.DateTimeField(_("received at"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="complaints",
                             verbose_name=_("unit concerned"))
    unit_path = models.CharField(max_length=255, editable=False)
    staff_concerned = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="complaints_about", verbose_name=_("staff concerned"))
    staff_concerned_name = models.CharField(_("staff concerned (as the customer named them)"), max_length=100,
                                            blank=True)
    business_category = models.ForeignKey(BusinessCategory, on_delete=models.PROTECT,
                                          verbose_name=_("business category"))
    cause = models.ForeignKey(Cause, on_delete=models.PROTECT, verbose_name=_("cause"))
    description = models.TextField(_("the customer's own words"))
    demand = models.TextField(_("what the customer asks for"), blank=True)
    amount_involved = models.DecimalField(_("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    is_group = models.BooleanField(_("group complaint"), default=False)
    group_size = models.PositiveIntegerField(_("people in the group"), null=True, blank=True)
    is_repeat = models.BooleanField(_("repeat of an earlier complaint"), default=False)
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats",
                                  verbose_name=_("earlier complaint"))
    # Where and when it happened, where to write to, and whether staff answered it at once (the 登记表's fields)
    incident_at = models.DateTimeField(_("time of the incident"), null=True, blank=True)
    incident_place = models.CharField(_("place of the incident"), max_length=200, blank=True)
    postal_address = EncryptedTextField(_("postal address"), blank=True)
    resolved_on_the_spot = models.BooleanField(_("resolved on the spot"), default=False)
    disputed_act_approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff who approved the disputed act"))

    # Regulator transfers (监管转办) carry their own reference and deadline, which wins.
    external_reference = models.CharField(_("regulator's reference"), max_length=64, blank=True)
    external_deadline = models.DateTimeField(_("regulator's deadline"), null=True, blank=True)

    # Intake and review
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("registered by"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reviewed by"))
    non_acceptance_reason = models.ForeignKey("NonAcceptanceReason", null=True, blank=True, on_delete=models.PROTECT,
                                              verbose_name=_("reason for not accepting"))
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged",
                                    verbose_name=_("merged into"))
    closure_code = models.ForeignKey(ClosureCode, null=True, blank=True, on_delete=models.PROTECT,
                                     verbose_name=_("closure code"))

    # Routing
    lead_department = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lead department"))
    lead_department_path = models.CharField(max_length=255, blank=True, editable=False)
    assisting_departments = models.ManyToManyField(OrgUnit, blank=True, related_name="+",
                                                   verbose_name=_("assisting departments"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints_handled", verbose_name=_("handler"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    # 签收: the department concerned takes the routed complaint; the dispatch clock stops then, not at routing.
    signed_for_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_for_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("signed for by"))

    # Handling under the clocks: the nearest running deadline is kept here for the work lists.
    current_deadline = models.DateTimeField(_("next deadline"), null=True, blank=True)
    deadline_state = models.PositiveSmallIntegerField(_("deadline state"), choices=DeadlineState.choices,
                                                      default=DeadlineState.ON_TIME)
    extension_level = models.PositiveSmallIntegerField(_("extensions approved"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    failed_callbacks = models.PositiveSmallIntegerField(_("failed callback attempts"), default=0)
    communicated_at = models.DateTimeField(_("decision communicated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Kept at least three years after closure, then archived (archive.py): read-only, still listed, never deleted.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["unit_path", "received_at"]),
            models.Index(fields=["lead_department_path", "received_at"]),
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["handler", "status"]),
            models.Index(fields=["channel", "received_at"]),
            models.Index(fields=["business_category", "received_at"]),
            models.Index(fields=["severity", "received_at"]),
            # received in a period under a unit: the trend's counts read it without the rows (analytics.figures)
            models.Index(fields=["received_at", "unit_path"], name="complaint_received_unit_idx"),
            models.Index(fields=["external_reference"]),
            models.Index(fields=["complainant_name"]),  # staff find a complaint by the exact name
            # A handler's open work, due first on top: a handler keeps every complaint they ever closed, so
            # the index holds only the open ones (my_work filters on exactly OPEN_STATUSES).
            models.Index(fields=["handler", "current_deadline", "id"], condition=Q(status__in=OPEN_STATUSES),
                         name="complaint_open_work_idx"),
            models.Index(fields=["lead_department_path", "deadline_state"]),
            models.Index(fields=["deadline_state", "current_deadline"]),
            # the archive sweep: closed complaints not archived yet, the longest closed first
            models.Index(fields=["closed_at"], condition=Q(archived_at__isnull=True, closed_at__isnull=False),
                         name="complaint_archive_due_idx"),
            # closed in a period with one closure code: the dashboards' "trace to the source" (bank at fault)
            models.Index(fields=["closure_code", "closed_at"], name="complaint_code_closed_idx"),
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def is_closed(self) -> bool:
        return self.status not in OPEN_STATUSES

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_regulator_transfer(self) -> bool:
        """Transferred by a regulator (监管转办): its reference and deadline are the regulator's, and the bank reports
        back to it (申诉反馈)."""
        return self.channel.kind == ChannelKind.REGULATOR

    # The acceptance review's deadline is its clock's (registration starts it). Lists and pages read it in their
    # own query (selectors.with_acceptance_deadline sets these two); a complaint read alone asks its clock.
    @cached_property
    def acceptance_clock(self) -> "Clock | None":
        return self.clocks.filter(kind=ClockKind.ACCEPTANCE).first()

    @cached_property
    def acceptance_deadline(self):
        clock = self.acceptance_clock
        return clock.due_at if clock else None

    @cached_property
    def acceptance_deadline_provisional(self) -> bool:
        clock = self.acceptance_clock
        return bool(clock and clock.provisional)


class NonAcceptanceReason(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("reason for not accepting")
        verbose_name_plural = _("reasons for not accepting")


class TrackingSequence(models.Model):
    """The last tracking number given out on a day (TS-YYYYMMDD-NNNNNN)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class GroupRepresentative(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="representatives")
    name = models.CharField(_("name"), max_length=100)
    phone = EncryptedTextField(_("phone"), blank=True)


class StoredFile(models.Model):
    """File content, stored once by its SHA-256 however often it is attached."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    scan_status = models.CharField(max_length=20, default="not_scanned")
    created_at = models.DateTimeField(auto_now_add=True)


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class NoticeChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class CustomerNotice(models.Model):
    """A message to the customer (e.g. the non-acceptance notice); its text is what was sent."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    text = models.TextField(_("text"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class IdempotencyKey(models.Model):
    """An API client's Idempotency-Key: a retried POST returns the first answer, not a second complaint."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]


class SeverityCondition(models.TextChoices):
    GROUP = "group", _("Group complaint")
    REGULATOR = "regulator", _("Transferred by a regulator")
    MEDIA = "media", _("Media attention")
    AMOUNT_OVER = "amount_over", _("Amount involved over (yuan)")
    KEYWORD = "keyword", _("The customer's words contain")


class SeverityRule(models.Model):
    condition = models.CharField(_("condition"), max_length=20, choices=SeverityCondition.choices)
    parameter = models.CharField(_("parameter"), max_length=200, blank=True,
                                 help_text=_("The amount, or keywords separated by commas"))
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("severity rule")
        verbose_name_plural = _("severity rules")
        ordering = ["-severity", "id"]

    def __str__(self):
        return f"{self.get_condition_display()} {self.parameter} → {self.get_severity_display()}"


class RoutingRule(models.Model):
    """The first active rule, by priority, whose every set condition matches routes the complaint."""

    priority = models.PositiveIntegerField(_("priority"), default=100, help_text=_("Lower runs first"))
    name = models.CharField(_("name"), max_length=100)
    business_category = models.ForeignKey(BusinessCategory, null=True, blank=True, on_delete=models.PROTECT,
                                          verbose_name=_("business category (or its sub-categories)"))
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit concerned (or below)"))
    min_severity = models.PositiveSmallIntegerField(_("severity at least"), choices=Severity.choices, null=True,
                                                    blank=True)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("channel"))
    lead_department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lead department"))
    assisting_departments = models.ManyToManyField(OrgUnit, blank=True, related_name="+",
                                                   verbose_name=_("assisting departments"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name


# --- Imports: historical complaints from a spreadsheet, complaints by e-mail (email_intake, bulk_import) ----------

class ImportKind(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")



class ImportPhase(models.TextChoices):
    COUNTING = "counting", _("Counting rows")
    VALIDATING = "validating", _("Checking every row")
    WRITING = "writing", _("Registering the complaints")
    DONE = "done", _("Done")


class ImportJob(models.Model):
    """One uploaded file of historical complaints, imported all-or-nothing by a background task.

    `errors` keeps the first MAX_ERRORS problems ({row, field, message}); `error_count` counts them all.
    """

    MAX_ERRORS = 1000

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(_("phase"), max_length=20, choices=ImportPhase.choices, default=ImportPhase.COUNTING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint import")
        verbose_name_plural = _("complaint imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        """Checking the rows is the first half, registering them (one transaction, not observable) the second."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if self.phase == ImportPhase.WRITING:
            return 50
        if not self.total_rows:
            return 0
        return min(50, self.processed_rows * 50 // self.total_rows)


class InboundEmailStatus(models.TextChoices):
    NEEDS_REVIEW = "needs_review", _("Needs completion")
    REGISTERED = "registered", _("Registered")
    DISMISSED = "dismissed", _("Dismissed")


class InboundEmail(models.Model):
    """A mail that reached the complaints mailbox, kept as it came, once per Message-ID.

    A mail with everything a registration needs becomes a complaint at once; one without (no mobile
    number, an automatic reply, text too long ...) waits here for the consumer-protection office to
    complete or dismiss it, with the reason in `review_reason`.
    """

    message_id = models.CharField(_("Message-ID"), max_length=500, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=InboundEmailStatus.choices,
                              default=InboundEmailStatus.NEEDS_REVIEW)
    review_reason = models.CharField(_("why it needs completion"), max_length=500, blank=True)
    sender = models.CharField(_("sender"), max_length=254)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    raw = models.FileField(_("original mail"), upload_to="inbound_email/%Y/%m/")
    attachment_names = models.JSONField(_("attachments"), default=list, blank=True)
    complaint = models.OneToOneField(Complaint, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="inbound_email", verbose_name=_("complaint"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("completed by"))
    reviewed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    dismiss_reason = models.CharField(_("reason for dismissing"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return self.subject or self.message_id


# --- Handling under the clocks (docs/domain-rules.md §2 "Deadlines", "Decisions and closure") -----------------

class ClockKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance review")
    DISPATCH = "dispatch", _("Sending to the department concerned")
    MAJOR_REPLY = "major_reply", _("Major complaint: a clear reply to the customer")
    RESOLUTION = "resolution", _("Internal resolution target")
    INTERNAL = "internal", _("Internal handling limit")
    DECISION = "decision", _("Decision communicated (statutory limit)")
    ASSIST = "assist", _("Assisting department's answer")
    CALLBACK = "callback", _("Callback")
    REVIEW = "review", _("Re-handling or review")
    BECOMES_MAJOR = "becomes_major", _("Unresolved for a month: becomes major")
    REGULATOR_FEEDBACK = "regulator_feedback", _("Feedback to the regulator (申诉反馈)")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MINUTES = "minutes", _("minutes")
    EXTERNAL = "external", _("the regulator's deadline")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class Clock(models.Model):
    """One deadline of a complaint. The sweeper reads only clocks whose `next_check_at` has come.

    `next_check_at` is the next moment something is due (the warning, the deadline, the next chase);
    it is empty for paused and stopped clocks, so the sweep never scans the open complaints.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="clocks")
    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    assist_request = models.ForeignKey("AssistRequest", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="clocks")
    state = models.CharField(_("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    limit_count = models.PositiveIntegerField(_("limit"), null=True, blank=True)
    limit_unit = models.CharField(_("limit unit"), max_length=15, choices=LimitUnit.choices)
    started_at = models.DateTimeField(_("started"))
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"))
    provisional = models.BooleanField(_("provisional (no official calendar)"), default=False)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(_("times chased"), default=0)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["next_check_at"]), models.Index(fields=["complaint", "state"]),
                   # the intake queue: acceptance clocks, the review due first
                   models.Index(fields=["kind", "due_at"], name="clock_kind_due_idx")]

    def __str__(self):
        return f"{self.complaint} {self.get_kind_display()}"

    @property
    def is_external(self) -> bool:
        return self.limit_unit == LimitUnit.EXTERNAL

    @property
    def length(self) -> str:
        """The limit as the rule states it: "15 个自然日", "10 分钟", "监管机构规定的期限"."""
        if self.limit_unit == LimitUnit.EXTERNAL:
            return str(LimitUnit.EXTERNAL.label)
        return f"{self.limit_count} {LimitUnit(self.limit_unit).label}"

    @property
    def met(self) -> bool | None:
        """Whether the step was done in time; None while the clock runs."""
        return None if self.stopped_at is None else self.stopped_at <= self.due_at


class PauseReason(Taxonomy):
    """The reasons a rule allows a clock to pause for: waiting for the customer's material, or an external
    appraisal, test or assessment (鉴定、检测、评估). A reason may require the customer to be told before the pause
    starts; an administrator decides that for each reason."""

    requires_notice = models.BooleanField(_("the customer must be told"), default=False)

    class Meta(Taxonomy.Meta):
        verbose_name = _("reason to pause the clock")
        verbose_name_plural = _("reasons to pause the clock")


class ClockPause(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="pauses")
    reason = models.ForeignKey(PauseReason, on_delete=models.PROTECT, verbose_name=_("reason"))
    note = models.TextField(_("note"), blank=True)
    started_at = models.DateTimeField(_("paused at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    notice = models.ForeignKey(CustomerNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("notice to the customer"))

    class Meta:
        ordering = ["started_at", "id"]


class HandlingNote(models.Model):
    """An investigation note (调查记录)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CallerEnquiry(models.Model):
    """A customer called about the complaint (most often to ask how far it is): logged by the agent who took
    the call at the desk, shown to the handler on the complaint page and the timeline."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="enquiries")
    text = models.CharField(_("what the caller asked"), max_length=500)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("taken by"))
    created_at = models.DateTimeField(_("called at"), auto_now_add=True)

    class Meta:
        verbose_name = _("caller's enquiry")
        verbose_name_plural = _("callers' enquiries")
        ordering = ["created_at", "id"]


class AssistRequest(models.Model):
    """A request to an assisting department and its answer (责任部门处理情况表)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="assist_requests")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    question = models.TextField(_("what is asked"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    findings = models.TextField(_("what the department found"), blank=True)
    actions_taken = models.TextField(_("what the department did"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]


class ContactChannel(models.TextChoices):
    CALL = "call", _("Phone call")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


class CustomerContact(models.Model):
    """A contact with the customer while handling (call, SMS, letter ...), logged by whoever made it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    summary = models.TextField(_("what was said"))
    contacted_at = models.DateTimeField(_("when"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contacted_at", "id"]


class Remedy(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    FEE_REFUND = "fee_refund", _("Fee refund")
    COMPENSATION = "compensation", _("Compensation")
    RECORD_CORRECTION = "record_correction", _("Correction of the record")
    EXPLANATION = "explanation", _("Explanation")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for rework")
    COMMUNICATED = "communicated", _("Communicated")


class Decision(models.Model):
    """处理意见: proposed by the handler (经办), approved by someone else within their limit (授权)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="decisions")
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices,
                              default=DecisionStatus.PROPOSED)
    finding = models.TextField(_("finding"))
    basis = models.TextField(_("basis and reasons for the decision"), blank=True)
    remedies = models.JSONField(_("remedy"), default=list)
    fee_refund_amount = models.DecimalField(_("fee refund (yuan)"), max_digits=14, decimal_places=2, null=True,
                                            blank=True)
    compensation_amount = models.DecimalField(_("compensation (yuan)"), max_digits=14, decimal_places=2, null=True,
                                              blank=True)
    closure_code = models.ForeignKey(ClosureCode, on_delete=models.PROTECT, verbose_name=_("closure code"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("approver's note"), blank=True)
    communicated_at = models.DateTimeField(null=True, blank=True)
    communication_channel = models.CharField(max_length=10, choices=NoticeChannel.choices, blank=True)
    letter = models.CharField(max_length=200, blank=True, help_text="Storage path of the decision letter (PDF)")

    class Meta:
        ordering = ["proposed_at", "id"]

    def remedy_labels(self) -> list[str]:
        labels = dict(Remedy.choices)
        return [str(labels.get(code, code)) for code in self.remedies]

    @property
    def payout(self):
        """What the bank pays the customer: the fee refund and the compensation together (the approval limit)."""
        return (self.fee_refund_amount or 0) + (self.compensation_amount or 0)


class ExtensionKind(models.TextChoices):
    EXTENSION = "extension", _("Extension for a complex case")
    FURTHER = "further", _("Further extension for an especially complex case")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="extension_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=ExtensionKind.choices)
    reason = models.TextField(_("why the case needs more time"))
    notice_channel = models.CharField(_("customer told by"), max_length=10, choices=NoticeChannel.choices, blank=True)
    notice_text = models.TextField(_("notice to the customer"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("approver's note"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class ReopenKind(models.TextChoices):
    REHANDLE = "rehandle", _("Re-handling")
    REVIEW = "review", _("Review (核查)")


class CallbackRecord(models.Model):
    """回访: one attempt to reach the customer after the decision, and the survey when reached."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="callbacks")
    reached = models.BooleanField(_("customer reached"))
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reopen_kind = models.CharField(_("the customer asks for"), max_length=10, choices=ReopenKind.choices, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ReviewRequest(models.Model):
    """The customer's own request for a review (核查) of the decision, made on the tracking page within the time
    the rules allow; the complaint post acts on it (reopens the complaint for review, or explains)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="review_requests")
    reason = models.TextField(_("why the customer asks for a review"))
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request for a review")
        verbose_name_plural = _("requests for a review")
        ordering = ["requested_at", "id"]


class ScreeningOutcome(models.TextChoices):
    REOPEN = "reopen", _("Handled wrongly: reopen for re-handling or review")
    UPHOLD = "uphold", _("Handled properly: close, the customer still dissatisfied")


class Screening(models.Model):
    """复核: the consumer-protection office screens the customer's dissatisfaction (source 004, article 2.4.6):
    a "not satisfied" callback or the customer's request for a review, whichever sent the answer here."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="screenings")
    callback = models.ForeignKey(CallbackRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_request = models.ForeignKey("ReviewRequest", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ScreeningOutcome.choices)
    reopen_kind = models.CharField(_("reopened for"), max_length=10, choices=ReopenKind.choices, blank=True)
    reason = models.TextField(_("reason"))
    notice = models.ForeignKey(CustomerNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("notice to the customer"))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class RegulatorFeedback(models.Model):
    """申诉反馈: what the bank reported back to the regulator that transferred the complaint, when and by whom.
    Append-only (an interim report, then the result); the first one stops the regulator-feedback clock."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="regulator_feedback")
    content = models.TextField(_("what was reported to the regulator"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback to the regulator")
        verbose_name_plural = _("feedback to the regulator")
        ordering = ["sent_at", "id"]
