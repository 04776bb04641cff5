"""The audit actions of the regulatory statistics, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportAction(models.TextChoices):
    REQUEST = "analytics.report.request", _("Regulatory report computation requested")
    COMPUTE = "analytics.report.compute", _("Regulatory report computed")
    FREEZE = "analytics.report.freeze", _("Regulatory report frozen as submitted")
    EXPORT = "analytics.report.export", _("Regulatory report exported")
