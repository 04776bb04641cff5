from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "bankdesk.scorecards"
    verbose_name = _("Quality monitoring")

    def ready(self):
        from bankdesk.core import audit
        from bankdesk.scorecards import permissions
        from bankdesk.scorecards.audit_actions import QaAction

        permissions.register()
        audit.register_actions(QaAction)
