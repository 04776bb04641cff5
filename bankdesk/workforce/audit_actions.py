"""The audit actions of the workforce app, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkforceAction(models.TextChoices):
    FORECAST_RUN = "workforce.forecast.run", _("Contact forecast requested")
    ROSTER_SOLVE = "workforce.roster.solve", _("Roster requested from the solver")
    ROSTER_PUBLISH = "workforce.roster.publish", _("Roster published to the agents")
    SHIFT_ADD = "workforce.shift.add", _("Shift added to a roster")
    SHIFT_UPDATE = "workforce.shift.update", _("Rostered shift changed")
    SHIFT_CANCEL = "workforce.shift.cancel", _("Rostered shift cancelled")
    ABSENCE_CREATE = "workforce.absence.create", _("Agent's absence entered")
    ABSENCE_UPDATE = "workforce.absence.update", _("Agent's absence changed")
