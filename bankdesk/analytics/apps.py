from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "bankdesk.analytics"
    verbose_name = _("Analytics and regulatory reporting")

    def ready(self):
        from bankdesk.analytics import access_rules, permissions
        from bankdesk.core import access

        permissions.register()
        access.register(access_rules.RULES, owner=self.name)
