from functools import cache

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.core.pii import EncryptedTextField


class ChoiceLabels:
    """A model mix-in: `get_<field>_display` from each field's choices gathered once per process. Django builds
    the dictionary on every call, hashing (so translating) every lazy label: 160 µs for a complaint's status,
    asked for every complaint a list or the API shows."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


@cache
def _choice_labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    _raw_delete = delete


class JobStatus(models.TextChoices):
    """Where a background job (an import, a report build) stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class FileImportJob(models.Model):
    """An uploaded file imported by a background task (abstract: each app's import adds what it imports).

    The task counts the rows (`total_rows`), checks them (`processed_rows` moves on, so a page can show
    `progress_percent`) and keeps the first MAX_ERRORS problems in `errors` as {row, field, message};
    `error_count` counts them all. `sha256` lets an app notice the same file uploaded twice.
    """

    MAX_ERRORS = 1000

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
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
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        if self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)

    def add_error(self, row: int | None, field: str | None, message: str) -> None:
        """Count a problem and keep it while fewer than MAX_ERRORS are kept (saved by the caller)."""
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS:
            self.errors.append({"row": row, "field": field or "", "message": str(message)})


class AuditSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    WORKER = "worker", _("Background worker")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    """One append-only record of a change: who, when, what, before and after.

    The ORM refuses update and delete; a database trigger refuses them too (migration 0002).
    """

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=AuditSource.choices)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["action", "occurred_at"]),
            models.Index(fields=["unit_path", "occurred_at"]),
            models.Index(fields=["object_repr", "occurred_at"]),  # the trail filtered by a tracking number or name
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    WORKDAY = "workday", _("Make-up working day")
    ORDINARY = "ordinary", _("Ordinary day (entry withdrawn)")


class CalendarYear(models.Model):
    """A year whose official holiday calendar has been entered; other years are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the weekend rule: a holiday, or a make-up working day (调休).

    An entry made in error is never deleted: it is set to ORDINARY, which the calendar ignores.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RuleSetting(models.Model):
    """A rule with a number (deadline, threshold, limit): the default comes from core.rule_catalog."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    value = models.JSONField(_("value"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        ordering = ["key"]

    def __str__(self):
        return self.key


class RuleChange(models.Model):
    """The history of a rule setting's values, newest first."""

    rule = models.ForeignKey(RuleSetting, on_delete=models.PROTECT, related_name="changes")
    old_value = models.JSONField(null=True)
    new_value = models.JSONField()
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


class SchedulerLease(models.Model):
    """Held by the one scheduler process allowed to enqueue periodic work at a time."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()


class PeriodicRun(models.Model):
    """When the scheduler last enqueued each periodic job."""

    job = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField()


class Notification(models.Model):
    """An in-app message to a member of staff (inbox); e-mail and SMS copies go through their backends."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=200, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self):
        return self.text


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent out")
    FAILED = "failed", _("Failed")


class SmsOutbox(models.Model):
    """A text message waiting for the bank's SMS gateway job, which sends it and records the outcome."""

    phone = EncryptedTextField(_("mobile phone"))
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class RateCount(models.Model):
    """Hits of one caller on one limited action in one fixed time window (core.ratelimit).

    Shared by every worker and kept across restarts, unlike a per-process cache. Rows of windows that
    have ended are counters, not records: ratelimit drops them when it opens a new window.
    """

    key = models.CharField(max_length=200, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")


class ExportStatus(models.TextChoices):
    """Where an export stands: queued, being written, ready to download, failed, or its file expired."""

    QUEUED = "queued", pgettext_lazy("export status", "Queued")
    RUNNING = "running", pgettext_lazy("export status", "Being written")
    SUCCEEDED = "succeeded", pgettext_lazy("export status", "Ready")
    FAILED = "failed", pgettext_lazy("export status", "Failed")
    EXPIRED = "expired", pgettext_lazy("export status", "Expired")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ExportJob(models.Model):
    """A list or report written to a file by a background task (core/export_jobs.py) for the user who asked.

    The task runs the kind's own scoped selector as the requester, with the filters given, and writes the
    file in chunks (`progress`, `row_count`) under MEDIA_ROOT/exports/ (never served directly: the download
    checks the requester and the right again). The file is kept until `expires_at` (the rule
    core.export_retention_days); the daily expiry deletes it and marks the job expired, keeping the row."""

    kind = models.CharField(_("export"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows expected"), default=0)
    row_count = models.PositiveIntegerField(_("rows written"), default=0)
    file_path = models.CharField(max_length=255, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    unit_path = models.CharField(max_length=255, blank=True, editable=False)  # the requester's unit, for the trail
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="core_export_requester"),
                   models.Index(fields=["status", "expires_at"], name="core_export_expiry")]

    def __str__(self):
        return f"{self.title} ({self.get_format_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.SUCCEEDED
