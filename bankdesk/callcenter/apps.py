from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcenterConfig(AppConfig):
    name = "bankdesk.callcenter"
    verbose_name = _("Call center")

    def ready(self):
        pass  # registers its permissions, audit actions, rules, menu, demo and access rules, as knowledge/apps.py does
