from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "bankdesk.scorecards"
    verbose_name = _("Quality monitoring")

    def ready(self):
        pass  # registers its permissions, audit actions, rules, menu, demo and access rules, as knowledge/apps.py does
