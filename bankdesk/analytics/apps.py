from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "bankdesk.analytics"
    verbose_name = _("Analytics and regulatory reporting")

    def ready(self):
        from bankdesk.analytics import access_rules, permissions, rule_settings
        from bankdesk.analytics.permissions import AnalyticsPermission as P
        from bankdesk.analytics.warnings import registration as warnings
        from bankdesk.core import access, navigation, rule_catalog

        permissions.register()
        from bankdesk.analytics.reports import setup as reports_setup

        reports_setup.register(self.name)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        navigation.register(
            navigation.NavEntry(_("Complaint statistics"), "analytics:dashboard", permission=P.VIEW, order=10,
                                group=navigation.REPORTS),
            owner=self.name)
        warnings.register(self.name)
        from bankdesk.analytics import demo as analytics_demo
        from bankdesk.core import demo

        demo.register(analytics_demo.load, owner=self.name)
        from bankdesk.analytics import dashboard_export
        from bankdesk.core import exports

        exports.register(exports.ExportKind(dashboard_export.EXPORT_KIND, _("Complaint statistics"), P.VIEW,
                                            dashboard_export.export_document), owner=self.name)
