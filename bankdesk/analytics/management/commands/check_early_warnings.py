from datetime import date

from django.core.management.base import BaseCommand

from bankdesk.analytics.warnings import tasks


class Command(BaseCommand):
    help = "Run the early-warning check for a day (default yesterday, China time), or enqueue it for the workers."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--enqueue", action="store_true", help="Leave it to the task workers")

    def handle(self, *args, day=None, enqueue=False, **options):
        argument = day.isoformat() if day else ""
        if enqueue:
            tasks.early_warning_check.enqueue(argument)
            self.stdout.write("enqueued")
        else:
            self.stdout.write(f"{tasks.early_warning_check.call(argument)} warnings raised")
