from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "bankdesk.workforce"
    verbose_name = _("Workforce management")

    def ready(self):
        from bankdesk.core import access, audit, demo, navigation, rule_catalog
        from bankdesk.workforce import demo as workforce_demo
        from bankdesk.workforce import access_rules, config, permissions, rule_settings  # noqa: F401  (config registers the editable tables)
        from bankdesk.workforce.audit_actions import WorkforceAction

        permissions.register()
        audit.register_actions(WorkforceAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        P, group = permissions.WorkforcePermission, navigation.CALL_CENTER
        navigation.register(
            navigation.NavEntry(_("Erlang calculator"), "workforce:calculator", permission=P.VIEW, order=110,
                                group=group),
            navigation.NavEntry(_("Forecasts and staffing"), "workforce:forecasts", permission=P.VIEW, order=112,
                                group=group),
            navigation.NavEntry(_("Rosters"), "workforce:rosters", permission=P.VIEW, order=114, group=group),
            navigation.NavEntry(_("Shift templates"), "core:config_table", ("workforce-shift-templates",),
                                permission=P.PLAN, order=116, group=group),
            navigation.NavEntry(_("Agents' work terms"), "core:config_table", ("workforce-work-terms",),
                                permission=P.PLAN, order=117, group=group),
            navigation.NavEntry(_("Special days"), "core:config_table", ("workforce-special-days",),
                                permission=P.PLAN, order=118, group=group),
            navigation.NavEntry(_("Agents' absences"), "workforce:absences", permission=P.VIEW, order=119,
                                group=group),
            navigation.NavEntry(_("My schedule"), "workforce:my_schedule", permission=P.OWN_SCHEDULE, order=30),
            owner=self.name)
        demo.register(workforce_demo.load, owner=self.name)
        from bankdesk.core import exports
        from bankdesk.workforce import export_kinds

        exports.register(*export_kinds.KINDS, owner=self.name)
