from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "bankdesk.knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from bankdesk.core import audit, demo, navigation
        from bankdesk.knowledge import demo as knowledge_demo
        from bankdesk.knowledge import permissions
        from bankdesk.knowledge.audit_actions import KnowledgeAction
        from bankdesk.knowledge.permissions import KnowledgePermission

        permissions.register()
        audit.register_actions(KnowledgeAction)
        navigation.register(
            navigation.NavEntry(_("Knowledge"), "knowledge:search", permission=KnowledgePermission.VIEW_KNOWLEDGE,
                                order=90, group=navigation.KNOWLEDGE),
            owner=self.name)
        demo.register(knowledge_demo.load, owner=self.name)
        from bankdesk.core import access
        from bankdesk.knowledge import access_rules

        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.core import exports
        from bankdesk.knowledge import export_kinds

        exports.register(*export_kinds.KINDS, owner=self.name)
