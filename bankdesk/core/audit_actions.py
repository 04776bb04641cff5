"""The audit actions core itself records, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoreAction(models.TextChoices):
    RULE_CHANGE = "rule.change", _("Rule changed")
    CALENDAR_DAY_SET = "calendar.day.set", _("Holiday entered")
    CALENDAR_YEAR_PUBLISH = "calendar.year.publish", _("Year's calendar entered")
    PII_REVEAL = "pii.reveal", _("Personal data shown in full")
    PII_KEY_ROTATE = "pii.key_rotate", _("Personal data moved to a new key")
    TASK_REQUEUED = "core.task.requeued", _("Task queued again after its worker stopped")
    TASK_ABANDONED = "core.task.abandoned", _("Task given up: its workers stopped too often")
    EXPORT_REQUEST = "core.export.request", _("Export requested")
    EXPORT_DOWNLOAD = "core.export.download", _("Exported file downloaded")
    EXPORT_EXPIRE = "core.export.expire", _("Exported file expired and deleted")
