from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "bankdesk.quality"
    verbose_name = _("Outlet service quality")

    def ready(self):
        pass  # registers its permissions, audit actions, rules, menu, demo and access rules, as knowledge/apps.py does
