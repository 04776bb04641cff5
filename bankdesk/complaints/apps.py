from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "bankdesk.complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from datetime import timedelta

        from bankdesk.complaints import config, tasks  # noqa: F401  (config registers the editable tables)
        from bankdesk.core import scheduler

        scheduler.register(scheduler.PeriodicJob("complaints.sweep_clocks", timedelta(minutes=1), tasks.sweep_clocks))
