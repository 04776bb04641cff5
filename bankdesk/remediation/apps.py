from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediationConfig(AppConfig):
    name = "bankdesk.remediation"
    verbose_name = _("Remediation")

    def ready(self):
        from bankdesk.core import audit, rule_catalog, scheduler
        from bankdesk.remediation import tasks
        from bankdesk.remediation import config, permissions, rule_settings  # noqa: F401  (config registers the tables)
        from bankdesk.remediation.audit_actions import RemediationAction

        permissions.register()
        audit.register_actions(RemediationAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        scheduler.register(scheduler.PeriodicJob("remediation.rectification_sweep", timedelta(hours=1),
                                                 tasks.rectification_sweep))
