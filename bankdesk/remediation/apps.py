from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediationConfig(AppConfig):
    name = "bankdesk.remediation"
    verbose_name = _("Remediation")

    def ready(self):
        from bankdesk.analytics import board_sections
        from bankdesk.complaints import page_panels
        from bankdesk.core import access, audit, home, navigation, rule_catalog, scheduler
        from bankdesk.remediation import access_rules, config, permissions, rule_settings, workspace  # noqa: F401  (config registers the tables)
        from bankdesk.remediation import complaint_panel, dashboard_section, tasks
        from bankdesk.remediation.audit_actions import RemediationAction
        from bankdesk.remediation.web import exports

        permissions.register()
        audit.register_actions(RemediationAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        navigation.register(*workspace.ENTRIES, owner=self.name)
        home.register(*workspace.TILES, owner=self.name)
        page_panels.register(complaint_panel.PANEL, owner=self.name)
        board_sections.register(dashboard_section.SECTION, owner=self.name)
        exports.register_kinds(self.name)
        scheduler.register(scheduler.PeriodicJob("remediation.rectification_sweep", timedelta(hours=1),
                                                 tasks.rectification_sweep))
