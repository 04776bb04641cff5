from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "bankdesk.workforce"
    verbose_name = _("Workforce management")

    def ready(self):
        pass  # registers its permissions, audit actions, rules, menu, demo and access rules, as knowledge/apps.py does
