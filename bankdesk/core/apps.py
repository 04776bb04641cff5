from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bankdesk.core"
    verbose_name = _("Core")

    def ready(self):
        from django.urls import register_converter

        from bankdesk.core import audit_guard  # noqa: F401  (registers the SQLite trigger function)
        from bankdesk.core.inputs import IdConverter

        register_converter(IdConverter, "id")  # <id:…> in every app's URLs: ids a row can have, else 404
