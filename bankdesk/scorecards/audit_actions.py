"""The audit actions of quality monitoring, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QaAction(models.TextChoices):
    SCORECARD_CREATE = "qa.scorecard.create", _("Scorecard created")
    SCORECARD_UPDATE = "qa.scorecard.update", _("Scorecard changed")
    DRAFT_START = "qa.version.draft", _("New scorecard version started")
    DRAFT_UPDATE = "qa.version.update", _("Scorecard draft changed")
    VERSION_PUBLISH = "qa.version.publish", _("Scorecard version published")
    EVALUATION_START = "qa.evaluation.start", _("Evaluation started")
    EVALUATION_SAVE = "qa.evaluation.save", _("Evaluation scores saved")
    EVALUATION_SUBMIT = "qa.evaluation.submit", _("Evaluation submitted")
    EVALUATION_VOID = "qa.evaluation.void", _("Evaluation voided")
    CALIBRATION_CREATE = "qa.calibration.create", _("Calibration session created")
    CALIBRATION_CLOSE = "qa.calibration.close", _("Calibration session closed")
