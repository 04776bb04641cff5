from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "bankdesk.surveys"
    verbose_name = _("Surveys and outbound calls")

    def ready(self):
        from bankdesk.core import access, audit, demo, navigation, rule_catalog
        from bankdesk.surveys import access_rules, permissions, rule_settings
        from bankdesk.surveys import demo as surveys_demo
        from bankdesk.surveys.audit_actions import SurveyAction
        from bankdesk.surveys.permissions import SurveyPermission as P

        permissions.register()
        audit.register_actions(SurveyAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        navigation.register(
            navigation.NavEntry(_("Calls to make"), "surveys:interview", permission=P.INTERVIEW, order=70),
            navigation.NavEntry(_("Surveys"), "surveys:campaigns", permission=P.VIEW_SURVEYS, order=71),
            owner=self.name)
        demo.register(surveys_demo.load, owner=self.name)
        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.core import exports
        from bankdesk.surveys import export_kinds

        exports.register(*export_kinds.KINDS, owner=self.name)
