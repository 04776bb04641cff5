"""What early warning registers at ready() (called from AnalyticsConfig.ready)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _


def register(owner: str) -> None:
    from bankdesk.analytics.warnings import (
        access_rules,
        exports,
        permissions,
        rule_settings,
        selectors,
        tasks,
    )
    from bankdesk.analytics.warnings.audit_actions import WarningAction
    from bankdesk.analytics.warnings.permissions import WarningPermission as P
    from bankdesk.core import access, audit, home, navigation, rule_catalog, scheduler
    from bankdesk.core import exports as core_exports

    permissions.register()
    core_exports.register(exports.KIND, owner=owner)
    audit.register_actions(WarningAction)
    rule_catalog.register(rule_settings.RULES, owner=owner)
    access.register(access_rules.RULES, owner=owner)
    scheduler.register(scheduler.PeriodicJob("analytics.early_warning_check", timedelta(days=1),
                                             tasks.early_warning_check))
    navigation.register(
        navigation.NavEntry(_("Early warnings"), "analytics:warnings", permission=P.VIEW_WARNINGS, order=20,
                            group=navigation.REPORTS, count=selectors.open_count),
        owner=owner)
    home.register(
        home.Tile("analytics.open_warnings", _("Open early warnings"), "analytics:warnings", selectors.open_count,
                  permission=P.HANDLE_WARNINGS, query="status=open", tone=home.WARNING, order=400,
                  help=_("Unusual rises, repeat complaints and overdue shares to look into")),
        owner=owner)
