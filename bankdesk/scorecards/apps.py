from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "bankdesk.scorecards"
    verbose_name = _("Quality monitoring")

    def ready(self):
        from bankdesk.core import access, audit, demo, navigation, rule_catalog
        from bankdesk.scorecards import access_rules, permissions, rule_settings
        from bankdesk.scorecards import demo as scorecards_demo
        from bankdesk.scorecards.audit_actions import QaAction
        from bankdesk.scorecards.permissions import QaPermission

        permissions.register()
        audit.register_actions(QaAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        navigation.register(
            navigation.NavEntry(_("Quality monitoring"), "scorecards:evaluations", permission=QaPermission.VIEW,
                                order=100),
            navigation.NavEntry(_("My QA results"), "scorecards:trends", permission=QaPermission.VIEW_OWN, order=101),
            owner=self.name)
        demo.register(scorecards_demo.load, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
