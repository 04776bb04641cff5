import signal
import threading

from django.core.management.base import BaseCommand

from bankdesk.core import scheduler


class Command(BaseCommand):
    help = "Enqueue periodic jobs for the task workers while holding the scheduler lease."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then exit")

    def handle(self, *args, once, **options):
        holder, stop = scheduler.holder_name(), threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stop.set())
        self.stdout.write(f"scheduler {holder} started")
        try:
            while True:
                for name in scheduler.tick(holder):
                    self.stdout.write(f"enqueued {name}")
                if once or stop.wait(scheduler.TICK_SECONDS):
                    break
        finally:
            scheduler.release_lease(holder)
