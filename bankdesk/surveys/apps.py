from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "bankdesk.surveys"
    verbose_name = _("Surveys and outbound calls")

    def ready(self):
        pass  # registers its permissions, audit actions, rules, menu, demo and access rules, as knowledge/apps.py does
