"""Serve BankDesk with its task worker and scheduler as one command; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

# The access log never shows query strings (%(r)s, %(q)s) nor the referer (%(f)s): a look-up's phone number or a
# search for a customer must not land in a log file. The request id ties a line to the audit trail.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'


class Command(BaseCommand):
    help = "Run the web server (gunicorn), the task worker and the scheduler; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("BANKDESK_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("BANKDESK_PORT", "8000"))
        parser.add_argument("--workers", default=os.environ.get("BANKDESK_WEB_WORKERS", "2"))

    def handle(self, *args, host, port, workers, **options):
        python, manage = sys.executable, str(settings.BASE_DIR / "manage.py")
        # gthread with one thread: a keep-alive connection waits in the worker's poller instead of holding
        # a sync worker until its timeout; one thread keeps requests in a worker one at a time.
        commands = {
            "web": [python, "-m", "gunicorn", "bankdesk.wsgi", "--bind", f"{host}:{port}", "--workers", workers,
                    "--worker-class", "gthread", "--threads", "1", "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
                    "--no-control-socket"],
            "worker": [python, manage, "db_worker"],
            "scheduler": [python, manage, "run_scheduler"],
        }
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        # Handlers first: a Ctrl-C while the children start must still stop the ones already started.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        children = {}
        for name, command in commands.items():
            children[name] = subprocess.Popen(command, cwd=settings.BASE_DIR)
        self.stdout.write(f"BankDesk: http://{host}:{port}/  (Ctrl-C stops the server, worker and scheduler)")
        self.stdout.flush()
        exit_code = 0
        while not stopping:
            ended = [name for name, child in children.items() if child.poll() is not None]
            if ended:
                self.stderr.write(f"{', '.join(ended)} stopped; stopping the others")
                exit_code = 1
                break
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for child in children.values():
            try:
                child.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(exit_code)
