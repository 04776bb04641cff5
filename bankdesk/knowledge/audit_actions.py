"""The audit actions of the knowledge app, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeAction(models.TextChoices):
    ARTICLE_CREATE = "knowledge.article.create", _("Article created")
    ARTICLE_UPDATE = "knowledge.article.update", _("Article changed")
    PHRASE_UPDATE = "knowledge.phrase.update", _("Service phrase changed")
    CASES_IMPORT = "knowledge.cases.import", _("Case library imported")
