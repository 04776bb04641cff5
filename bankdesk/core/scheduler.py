"""Periodic work: the scheduler enqueues each job on its interval; the task workers run it.

Any number of scheduler processes may run (one per server): only the holder of the database
lease enqueues, and it renews the lease on every tick, so another takes over when it stops.
Each job's last run is moved forward by a compare-and-set, so even a holder that stalled past
its lease while another took over cannot enqueue the same run twice.

To add a periodic job: write a django-tasks `@task` and `register` a `PeriodicJob` in the app's ready().
"""

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bankdesk.core import tasks, workers
from bankdesk.core.models import PeriodicRun, SchedulerLease

LEASE_NAME = "scheduler"
LEASE_SECONDS = 60
TICK_SECONDS = 15


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: object  # a django-tasks Task


PERIODIC_JOBS = [
    PeriodicJob("core.clear_expired_sessions", timedelta(days=1), tasks.clear_expired_sessions),
    PeriodicJob("core.expire_exports", timedelta(days=1), tasks.expire_exports),
]


def register(job: PeriodicJob) -> None:
    """Apps add their periodic jobs from AppConfig.ready()."""
    if all(existing.name != job.name for existing in PERIODIC_JOBS):
        PERIODIC_JOBS.append(job)


def holder_name() -> str:
    pid = f":{os.getpid()}"
    return socket.gethostname()[: 100 - len(pid)] + pid


def acquire_lease(holder: str, now=None) -> bool:
    """Take or renew the lease; False while another live holder has it."""
    now = now or timezone.now()
    expires = now + timedelta(seconds=LEASE_SECONDS)
    with transaction.atomic():
        SchedulerLease.objects.get_or_create(name=LEASE_NAME, defaults={"holder": holder, "expires_at": expires})
        taken = SchedulerLease.objects.filter(Q(holder=holder) | Q(expires_at__lt=now), name=LEASE_NAME).update(
            holder=holder, expires_at=expires)
    return taken == 1


def release_lease(holder: str) -> None:
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(expires_at=timezone.now())


def enqueue_due(now=None, jobs=None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued; returns their names."""
    now = now or timezone.now()
    last = dict(PeriodicRun.objects.values_list("job", "last_enqueued_at"))
    enqueued = []
    for job in jobs if jobs is not None else PERIODIC_JOBS:
        previous = last.get(job.name)
        if previous is not None and now - previous < job.every:
            continue
        with transaction.atomic():
            if not _claim_run(job.name, previous, now):
                continue  # another scheduler enqueued this run since we looked
            job.task.enqueue()
        enqueued.append(job.name)
    return enqueued


def _claim_run(job: str, previous, now) -> bool:
    """Move the job's last run from `previous` to `now`; False if someone else moved it first."""
    if previous is None:
        _run, created = PeriodicRun.objects.get_or_create(job=job, defaults={"last_enqueued_at": now})
        return created
    return PeriodicRun.objects.filter(job=job, last_enqueued_at=previous).update(last_enqueued_at=now) == 1


def tick(holder: str) -> list[str]:
    """As the lease holder: queue again the tasks of workers that died (core/workers.py), enqueue what is due."""
    if not acquire_lease(holder):
        return []
    workers.requeue_orphaned_tasks()
    return enqueue_due()
