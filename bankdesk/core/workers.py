"""Task workers that die in the middle of a task: the task is queued again and runs on another worker.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again, so a worker
killed by SIGKILL, the OOM killer or a power cut leaves its task RUNNING for ever. BankDesk's `db_worker`
(`core/management/commands/db_worker.py`, which takes the place of django-tasks-db's command) names each
worker `<host>:<pid>:<process start time>` and holds a lease, a `core_schedulerlease` row `w:<worker id>`
renewed by a thread every HEARTBEAT_SECONDS for LEASE_SECONDS.

`requeue_orphaned_tasks` runs when a worker starts and on every scheduler tick. A RUNNING task whose last
worker is gone is put back to READY (or FAILED after MAX_ATTEMPTS workers died on it), with an audit event.
A worker is gone when it ran on this host and its process no longer exists (the start time guards against
a reused pid), or when it ran on another host and its lease has expired. The process check comes first on
its own host because on SQLite a long write transaction (a bulk import) holds the database's write lock,
so the heartbeat cannot always be written while the worker is busy and alive. Tasks claimed by workers
whose id has another form (django-tasks-db's command, `--worker-id`) are left alone.

A task that runs again must be safe to run again: the complaint import is (bulk_import.run).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bankdesk.core import audit
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.models import SchedulerLease

logger = logging.getLogger(__name__)

LEASE_PREFIX = "w:"
LEASE_SECONDS = 60
HEARTBEAT_SECONDS = 15
MAX_ATTEMPTS = 3  # workers that may die on one task before it is marked failed
STALE_LEASE_DAYS = 1  # leases of workers gone for longer are removed (they are heartbeats, not records)
HOST_CHARACTERS = 24  # the lease name holds at most 50 characters


def host_name() -> str:
    return socket.gethostname().replace(":", "-")[:HOST_CHARACTERS]


def process_start(pid: int) -> str:
    """The start time of process `pid` (clock ticks since boot, from /proc), "" when it does not exist.

    Without /proc (not Linux) the pid alone is checked and "0" stands for any start time."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return ""
    except (OSError, IndexError):
        return ""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return ""
    except PermissionError:
        pass
    return "0"


def worker_id() -> str:
    """This process's worker id: host, pid and start time, so the id never names another process."""
    pid = os.getpid()
    return f"{host_name()}:{pid}:{process_start(pid)}"


def lease_name(worker: str) -> str:
    return LEASE_PREFIX + worker


def _parse(worker: str) -> tuple[str, int, str] | None:
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def worker_gone(worker: str, leases: dict, now) -> bool:
    """Whether the worker named `worker` has stopped (see the module's docstring); `leases`: name → expiry."""
    parsed = _parse(worker)
    if parsed is None:
        return False
    host, pid, started = parsed
    if host == host_name():
        return process_start(pid) not in (started, "0")
    expires = leases.get(lease_name(worker))
    return expires is None or expires < now


def renew_lease(worker: str, now=None) -> None:
    now = now or timezone.now()
    name, expires = lease_name(worker), now + timedelta(seconds=LEASE_SECONDS)
    if not SchedulerLease.objects.filter(name=name).update(holder=worker, expires_at=expires):
        SchedulerLease.objects.get_or_create(name=name, defaults={"holder": worker, "expires_at": expires})


def release_lease(worker: str) -> None:
    SchedulerLease.objects.filter(name=lease_name(worker)).update(expires_at=timezone.now())


class Heartbeat:
    """Renews the worker's lease in a thread while the worker runs (written once before it starts)."""

    def __init__(self, worker: str):
        self.worker, self.stopped = worker, threading.Event()
        self.thread = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        renew_lease(self.worker)
        self.thread.start()
        return self

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    renew_lease(self.worker)
                except Exception:  # noqa: BLE001 - e.g. SQLite locked by the task's transaction: next beat
                    logger.debug("Worker %s could not renew its lease", self.worker, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        try:
            release_lease(self.worker)
        except Exception:  # noqa: BLE001 - stopping anyway; the lease expires by itself
            logger.warning("Worker %s could not release its lease", self.worker, exc_info=True)


def requeue_orphaned_tasks(now=None) -> list[str]:
    """Queue again (or fail, after MAX_ATTEMPTS) every RUNNING task whose worker is gone; their ids."""
    now = now or timezone.now()
    SchedulerLease.objects.filter(name__startswith=LEASE_PREFIX,
                                  expires_at__lt=now - timedelta(days=STALE_LEASE_DAYS)).delete()
    running = list(DBTaskResult.objects.running().only("id", "task_path", "worker_ids", "started_at"))
    if not running:
        return []
    leases = dict(SchedulerLease.objects.filter(name__startswith=LEASE_PREFIX).values_list("name", "expires_at"))
    requeued = []
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if not worker_gone(worker, leases, now):
            continue
        attempts = len(task.worker_ids)
        if attempts >= MAX_ATTEMPTS:
            status, changes = TaskResultStatus.FAILED, {
                "finished_at": now, "exception_class_path": "bankdesk.core.workers.WorkerLost",
                "traceback": f"{attempts} workers stopped while running this task; the last was {worker}."}
        else:
            status, changes = TaskResultStatus.READY, {}
        with transaction.atomic():
            # Compare-and-set: a scheduler and a starting worker may look at the same task at once.
            changed = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING,
                                                  started_at=task.started_at).update(status=status, **changes)
            if not changed:
                continue
            action = CoreAction.TASK_REQUEUED if status == TaskResultStatus.READY else CoreAction.TASK_ABANDONED
            audit.record_event(action, object_type=DBTaskResult._meta.label_lower, object_id=str(task.pk),
                               object_repr=task.task_path, after={"worker": worker, "attempts": attempts})
        logger.warning("Task %s (%s): worker %s is gone after attempt %d; %s", task.pk, task.task_path, worker,
                       attempts, "queued again" if status == TaskResultStatus.READY else "marked failed")
        requeued.append(str(task.pk))
    return requeued
