"""The warnings the daily check raises, with the complaints behind each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.orgs.models import OrgUnit


class WarningKind(models.TextChoices):
    RISE = "rise", _("Unusual rise")
    CUSTOMER_CLUSTER = "customer_cluster", _("Repeat complaints by one customer")
    CAUSE_CLUSTER = "cause_cluster", _("Repeat complaints of one cause")
    OVERDUE_SHARE = "overdue_share", _("Rising share of overdue items")


class WarningStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning status", "Open")  # the project catalogue reads a bare "Open" as 打开
    HANDLED = "handled", _("Handled")


class EarlyWarning(models.Model):
    """One finding of the daily check for one unit (and category, cause or customer) on one day.

    `subject` makes the finding unique per day: "category:<id>", "cause:<id>", "customer:<phone blind index>"
    or "" (the unit as a whole), so a check run twice for a day raises nothing twice."""

    kind = models.CharField(_("kind"), max_length=20, choices=WarningKind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    business_category = models.ForeignKey("complaints.BusinessCategory", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("business category"))
    cause = models.ForeignKey("complaints.Cause", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("cause"))
    subject = models.CharField(max_length=100, blank=True, editable=False)
    day = models.DateField(_("day checked"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    figure = models.DecimalField(_("figure"), max_digits=12, decimal_places=2)
    baseline = models.DecimalField(_("usual level"), max_digits=12, decimal_places=4, null=True, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    complaints = models.ManyToManyField("complaints.Complaint", through="EarlyWarningComplaint", related_name="+",
                                        verbose_name=_("complaints behind it"))
    status = models.CharField(_("status"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "subject", "day"],
                                               name="early_warning_once_a_day")]
        indexes = [models.Index(fields=["unit_path", "day"]), models.Index(fields=["status", "day"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit} · {self.day.isoformat()}"


class EarlyWarningComplaint(models.Model):
    """A complaint behind a warning."""

    warning = models.ForeignKey(EarlyWarning, on_delete=models.PROTECT, related_name="links")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["warning", "complaint"], name="early_warning_complaint_once")]
