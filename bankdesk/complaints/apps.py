from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "bankdesk.complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from bankdesk.complaints import config  # noqa: F401  (registers the editable tables)
