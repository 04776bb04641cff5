from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "bankdesk.quality"
    verbose_name = _("Outlet service quality")

    def ready(self):
        from bankdesk.core import access, audit, demo, home, navigation, rule_catalog, scheduler
        from bankdesk.quality import access_rules, config, permissions, rule_settings, workspace  # noqa: F401  (config registers the tables)
        from bankdesk.quality import demo as quality_demo
        from bankdesk.quality.audit_actions import QualityAction
        from bankdesk.quality.inspections import tasks
        from bankdesk.quality.permissions import QualityPermission as P

        permissions.register()
        permissions.guard_outlet_scorecards()
        audit.register_actions(QualityAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.quality import export_kinds

        export_kinds.register(self.name)
        outlets = navigation.OUTLETS
        navigation.register(
            navigation.NavEntry(_("Outlets"), "quality:outlets", permission=P.VIEW, order=10, group=outlets),
            navigation.NavEntry(_("Star-rated outlets"), "quality:ranking", permission=P.VIEW, order=20, group=outlets),
            navigation.NavEntry(_("Inspection visits"), "quality:visits", permission=P.VIEW, order=30, group=outlets,
                                count=workspace.my_visits),
            navigation.NavEntry(_("Follow-up actions"), "quality:follow_ups", permission=P.VIEW, order=35,
                                group=outlets, count=workspace.my_follow_ups),
            navigation.NavEntry(_("Commendations"), "quality:commendations", permission=P.VIEW, order=40,
                                group=outlets),
            navigation.NavEntry(_("Fraud interceptions"), "quality:interceptions", permission=P.VIEW, order=50,
                                group=outlets),
            navigation.NavEntry(_("Care services"), "quality:cares", permission=P.VIEW, order=60, group=outlets),
            navigation.NavEntry(_("Service star"), "quality:star_rounds", permission=P.VIEW, order=70, group=outlets),
            navigation.NavEntry(_("Monthly outlet figures"), "quality:figures", permission=P.VIEW, order=80,
                                group=outlets),
            navigation.NavEntry(_("Scam types"), "core:config_table", ("scam-types",), permission=P.MANAGE_TABLES,
                                order=160, group=navigation.ADMINISTRATION),
            owner=self.name)
        home.register(*workspace.TILES, owner=self.name)
        demo.register(quality_demo.load, owner=self.name)
        scheduler.register(scheduler.PeriodicJob("quality.chase_follow_ups", timedelta(hours=1), tasks.chase_follow_ups))
