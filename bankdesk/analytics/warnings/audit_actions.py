"""The audit actions of early warning, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningAction(models.TextChoices):
    RAISE = "analytics.warning.raise", _("Early warning raised")
    HANDLE = "analytics.warning.handle", _("Early warning marked handled")
