from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "bankdesk.orgs"
    verbose_name = _("Organisation and users")

    def ready(self):
        from bankdesk.core import audit, demo, home, navigation
        from bankdesk.orgs import demo as orgs_demo
        from bankdesk.orgs import permissions, workspace
        from bankdesk.orgs.audit_actions import OrgAction
        from bankdesk.orgs.permissions import OrgPermission

        permissions.register()
        audit.register_actions(OrgAction)
        navigation.register(
            navigation.NavEntry(_("Organisation"), "orgs:units", permission=OrgPermission.VIEW_ORG, order=100,
                                group=navigation.ADMINISTRATION),
            navigation.NavEntry(_("Users"), "orgs:users", permission=OrgPermission.MANAGE_USERS, order=110,
                                group=navigation.ADMINISTRATION),
            owner=self.name)  # API tokens: in the account menu of every user (core/_user_menu.html)
        home.register(*workspace.TILES, owner=self.name)
        demo.register(orgs_demo.load, owner=self.name)
        from bankdesk.core import access
        from bankdesk.orgs import access_rules

        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.core import exports
        from bankdesk.orgs import export_kinds

        exports.register(*export_kinds.KINDS, owner=self.name)
