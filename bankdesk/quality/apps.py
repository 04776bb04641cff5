from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "bankdesk.quality"
    verbose_name = _("Outlet service quality")

    def ready(self):
        from bankdesk.core import access, audit, rule_catalog
        from bankdesk.quality import access_rules, config, permissions, rule_settings  # noqa: F401  (config registers the tables)
        from bankdesk.quality.audit_actions import QualityAction

        permissions.register()
        audit.register_actions(QualityAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
