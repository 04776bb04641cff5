from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "bankdesk.workforce"
    verbose_name = _("Workforce management")

    def ready(self):
        from bankdesk.core import access, audit, rule_catalog
        from bankdesk.workforce import access_rules, config, permissions, rule_settings  # noqa: F401  (config registers the editable tables)
        from bankdesk.workforce.audit_actions import WorkforceAction

        permissions.register()
        audit.register_actions(WorkforceAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
