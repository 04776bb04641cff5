from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bankdesk.core"
    verbose_name = _("Core")

    def ready(self):
        from django.urls import register_converter

        from bankdesk.core import audit, audit_guard, checks, home, navigation, permissions, rule_catalog  # noqa: F401
        from bankdesk.core.audit_actions import CoreAction
        from bankdesk.core.inputs import IdConverter
        from bankdesk.core.permissions import CorePermission
        from bankdesk.core.selectors import latest_changes, unread_notification_count

        register_converter(IdConverter, "id")  # <id:…> in every app's URLs: ids a row can have, else 404
        permissions.register_permissions(CorePermission)
        permissions.register_customer_data(CorePermission.REVEAL_PII)
        audit.register_actions(CoreAction)
        rule_catalog.register(rule_catalog.SECURITY_RULES, owner=self.name)
        rule_catalog.register(rule_catalog.EXPORT_RULES, owner=self.name)

        navigation.register_groups(*navigation.CORE_GROUPS, owner=self.name)
        admin = navigation.ADMINISTRATION
        navigation.register(
            navigation.NavEntry(_("Home"), "home", order=10),
            navigation.NavEntry(_("Messages"), "core:inbox", order=20, count=unread_notification_count),
            navigation.NavEntry(_("My exports"), "core:exports", order=30),
            navigation.NavEntry(_("Rules"), "core:rules", permission=CorePermission.MANAGE_RULES, order=120, group=admin),
            navigation.NavEntry(_("Holidays"), "core:calendar", permission=CorePermission.MANAGE_CALENDAR, order=140,
                                group=admin),
            navigation.NavEntry(_("Audit trail"), "core:audit", permission=CorePermission.VIEW_AUDIT, order=150,
                                group=admin),
            owner=self.name)
        home.register(home.Tile("core.unread_messages", _("Unread messages"), "core:inbox", unread_notification_count,
                                order=900),
                      home.Panel("core.latest_changes", _("Latest changes"), "core/_home_latest_changes.html",
                                 latest_changes, permission=CorePermission.VIEW_AUDIT, section=home.LATEST),
                      owner=self.name)
        from bankdesk.core import access
        from bankdesk.core import access_rules

        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.core import audit_export, exports

        exports.register(audit_export.KIND, owner=self.name)
