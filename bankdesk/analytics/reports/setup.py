"""Registrations of the regulatory statistics at start (called from AnalyticsConfig.ready())."""

from django.utils.translation import gettext_lazy as _


def register(owner: str) -> None:
    from bankdesk.analytics.reports import (
        access_rules,
        exports,
        permissions,
        rule_settings,
        selectors,
        views,
    )
    from bankdesk.analytics.reports.audit_actions import ReportAction
    from bankdesk.analytics.reports.permissions import ReportPermission as P
    from bankdesk.core import access, audit, navigation, rule_catalog
    from bankdesk.core import exports as core_exports

    permissions.register()
    audit.register_actions(ReportAction)
    rule_catalog.register(rule_settings.RULES, owner=owner)
    access.register(access_rules.RULES, owner=owner)
    navigation.register(
        navigation.NavEntry(_("Regulatory statistics"), "analytics_reports:list", permission=P.VIEW, order=20,
                            group=navigation.REPORTS),
        owner=owner)
    core_exports.register(
        core_exports.ExportKind(exports.EXPORT_KIND, _("Regulatory report"), P.VIEW, exports.export_document,
                                recheck=exports.recheck),
        core_exports.list_kind("analytics.reports", _("Regulatory statistics"), P.VIEW, "regulatory-reports",
                               views.report_filters, selectors.reports, exports.LIST_COLUMNS), owner=owner)
