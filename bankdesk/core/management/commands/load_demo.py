from django.core.management.base import BaseCommand

from bankdesk.core import demo, rules
from bankdesk.core.services import seed_calendar_from_package


class Command(BaseCommand):
    help = "Load the demo bank (idempotent): rule defaults, the official calendar, then each app's demo data."

    def handle(self, *args, **options):
        rules.ensure_defaults()
        seed_calendar_from_package()
        demo.load_all(self.stdout)
