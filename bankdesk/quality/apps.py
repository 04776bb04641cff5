from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "bankdesk.quality"
    verbose_name = _("Outlet service quality")

    def ready(self):
        from bankdesk.core import access, audit, navigation, rule_catalog
        from bankdesk.quality import access_rules, config, permissions, rule_settings  # noqa: F401  (config registers the tables)
        from bankdesk.quality.audit_actions import QualityAction
        from bankdesk.quality.permissions import QualityPermission as P

        permissions.register()
        audit.register_actions(QualityAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        outlets = navigation.OUTLETS
        navigation.register(
            navigation.NavEntry(_("Outlets"), "quality:outlets", permission=P.VIEW, order=10, group=outlets),
            navigation.NavEntry(_("Star-rated outlets"), "quality:ranking", permission=P.VIEW, order=20, group=outlets),
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
