from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcenterConfig(AppConfig):
    name = "bankdesk.callcenter"
    verbose_name = _("Call center")

    def ready(self):
        from bankdesk.callcenter import access_rules, config, permissions, rule_settings  # noqa: F401  (config registers the editable tables)
        from bankdesk.callcenter import demo as callcenter_demo
        from bankdesk.callcenter.audit_actions import CallcenterAction
        from bankdesk.callcenter.permissions import CallcenterPermission as P
        from bankdesk.callcenter import scripts
        from bankdesk.complaints.permissions import ComplaintPermission
        from bankdesk.core import access, audit, demo, navigation, rule_catalog

        permissions.register()
        scripts.register_search()
        audit.register_actions(CallcenterAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        navigation.register(
            navigation.NavEntry(_("Wallboard"), "callcenter:wallboard", permission=P.VIEW, order=104),
            navigation.NavEntry(_("ACD statistics"), "callcenter:imports", permission=P.IMPORT_STATS, order=108),
            navigation.NavEntry(_("Agents"), "callcenter:agents", permission=P.VIEW, order=105,
                                group=navigation.CALL_CENTER),
            navigation.NavEntry(_("Teams"), "callcenter:teams", permission=P.VIEW, order=106,
                                group=navigation.CALL_CENTER),
            navigation.NavEntry(_("Skills"), "callcenter:skills", permission=P.VIEW, order=107,
                                group=navigation.CALL_CENTER),
            navigation.NavEntry(_("Caller's complaints"), "callcenter:desk", permission=ComplaintPermission.ANSWER_CALLERS,
                                order=101, group=navigation.CALL_CENTER),
            navigation.NavEntry(_("Standard scripts"), "callcenter:scripts", permission=P.VIEW, order=102,
                                group=navigation.CALL_CENTER),
            owner=self.name)
        demo.register(callcenter_demo.load, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.callcenter import export_kinds
        from bankdesk.core import exports

        exports.register(*export_kinds.KINDS, owner=self.name)
