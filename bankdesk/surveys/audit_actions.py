"""The audit actions of the surveys app, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyAction(models.TextChoices):
    QUESTIONNAIRE_CREATE = "surveys.questionnaire.create", _("Questionnaire created")
    QUESTIONNAIRE_REVISE = "surveys.questionnaire.revise", _("Questionnaire revised")
    CAMPAIGN_CREATE = "surveys.campaign.create", _("Campaign created")
    CAMPAIGN_STATUS = "surveys.campaign.status", _("Campaign started, paused or finished")
    TARGETS_DRAW = "surveys.targets.draw", _("Campaign targets drawn")
    LIST_IMPORT = "surveys.list.import", _("Call list imported")
    TARGET_CLAIM = "surveys.target.claim", _("Target taken for a call")
    TARGET_RELEASE = "surveys.target.release", _("Target given back to the queue")
    ATTEMPT = "surveys.attempt", _("Call attempt recorded")
