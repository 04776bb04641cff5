from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bankdesk.core"
    verbose_name = _("Core")

    def ready(self):
        from bankdesk.core import audit_guard  # noqa: F401  (registers the SQLite trigger function)
