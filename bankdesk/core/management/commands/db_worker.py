"""django-tasks-db's `db_worker` with a lease: a task left RUNNING by a worker that died is queued again.

This command takes the place of django-tasks-db's (bankdesk.core comes first in INSTALLED_APPS); the
options are the same. See bankdesk/core/workers.py.
"""

from django_tasks_db.management.commands import db_worker

from bankdesk.core import workers


class Command(db_worker.Command):
    help = "Run a database task worker that holds a lease and first queues again the tasks of dead workers."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)  # this process's host:pid:start time unless given

    def handle(self, *args, worker_id=None, **options):
        worker_id = worker_id or workers.worker_id()
        heartbeat = workers.Heartbeat(worker_id).start()
        try:
            requeued = workers.requeue_orphaned_tasks()
            if requeued:
                self.stdout.write(f"queued again the tasks of stopped workers: {', '.join(requeued)}")
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
