from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "bankdesk.scorecards"
    verbose_name = _("Quality monitoring")

    def ready(self):
        from bankdesk.core import access, audit, demo, navigation, rule_catalog
        from bankdesk.scorecards import access_rules, permissions, rule_settings, selectors
        from bankdesk.scorecards import demo as scorecards_demo
        from bankdesk.scorecards.audit_actions import QaAction
        from bankdesk.scorecards.permissions import QaPermission

        permissions.register()
        audit.register_actions(QaAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        qa = navigation.CALL_CENTER
        navigation.register(
            navigation.NavEntry(_("QA evaluations"), "scorecards:evaluations", permission=QaPermission.VIEW, order=110,
                                group=qa, count=selectors.drafts_count),
            navigation.NavEntry(_("QA calibration"), "scorecards:calibrations", permission=QaPermission.CALIBRATE,
                                order=111, group=qa),
            navigation.NavEntry(_("QA trends"), "scorecards:trends", permission=QaPermission.VIEW, order=112,
                                group=qa),
            navigation.NavEntry(_("Pre-shift briefing"), "scorecards:briefing", permission=QaPermission.BRIEFING,
                                order=103, group=qa),
            navigation.NavEntry(_("Scorecards"), "scorecards:scorecards", permission=QaPermission.MANAGE_SCORECARDS,
                                order=113, group=qa),
            navigation.NavEntry(_("My QA results"), "scorecards:my_results", permission=QaPermission.VIEW_OWN,
                                order=60),
            owner=self.name)
        demo.register(scorecards_demo.load, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.core import exports
        from bankdesk.scorecards import export_kinds

        exports.register(*export_kinds.KINDS, owner=self.name)
