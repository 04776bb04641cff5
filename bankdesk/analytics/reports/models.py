"""The regulatory statistics tables (监管统计报表): one row per report kind, period and unit, holding the
table last computed; a report submitted to the regulator is frozen, and its frozen copy (FrozenReport) is
append-only, so later edits to complaints never change a submitted figure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import AppendOnlyError, JobStatus


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly statistics")
    QUARTERLY = "quarterly", _("Quarterly statistics")
    HALF_YEARLY = "half_yearly", _("Half-yearly statistics")
    ANNUAL = "annual", _("Annual statistics")
    DISCLOSURE = "disclosure", _("Annual public disclosure")


class RegulatoryReport(models.Model):
    """A statistics table of one kind for one period and one unit's subtree, computed in the background
    (`status`, `progress`) over the complaints its requester may see there."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    period_first = models.DateField(_("first day"))
    period_last = models.DateField(_("last day"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    rows = models.JSONField(_("table"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("computed by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    submitted = models.BooleanField(_("submitted"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("frozen by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regulatory report")
        verbose_name_plural = _("regulatory reports")
        ordering = ["-period_first", "kind", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["kind", "period_first", "unit"],
                                               name="analytics_report_one_per_period")]
        indexes = [models.Index(fields=["unit_path", "period_first"], name="analytics_report_scope"),
                   models.Index(fields=["kind", "period_first"], name="analytics_report_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label} {self.unit}"

    @property
    def period_label(self) -> str:
        from bankdesk.analytics.reports.kinds import period_label

        return period_label(self.kind, self.period_first)

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class FrozenReportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("a frozen report is never changed")

    def delete(self):
        raise AppendOnlyError("a frozen report is never changed")

    _raw_delete = delete


class FrozenReport(models.Model):
    """The copy of a report's table as it was submitted: written once when the report is frozen, never
    changed nor deleted (the ORM refuses both)."""

    report = models.OneToOneField(RegulatoryReport, on_delete=models.PROTECT, related_name="frozen_copy",
                                  verbose_name=_("report"))
    rows = models.JSONField(_("table"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("computed by"))
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("frozen by"))

    objects = FrozenReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")

    def __str__(self):
        return str(self.report)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("a frozen report is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("a frozen report is never changed")
