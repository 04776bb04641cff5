"""Task workers that die mid-task (core/workers.py): who counts as gone, and what becomes of their tasks."""

import os
import subprocess
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from bankdesk.core import scheduler, workers
from bankdesk.core.models import AuditEvent, SchedulerLease


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _running_task(*worker_ids: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        task_path="bankdesk.core.tasks.clear_expired_sessions", run_after=get_date_max(),
        worker_ids=list(worker_ids), started_at=timezone.now())


def test_worker_on_this_host_is_gone_when_its_process_is():
    now = timezone.now()
    assert not workers.worker_gone(workers.worker_id(), {}, now)
    assert workers.worker_gone(f"{workers.host_name()}:{_dead_pid()}:12345", {}, now)


def test_a_reused_pid_does_not_keep_a_dead_worker_alive():
    start = workers.process_start(os.getpid())
    assert workers.worker_gone(f"{workers.host_name()}:{os.getpid()}:{int(start) + 1}", {}, timezone.now())


def test_worker_on_another_host_is_gone_when_its_lease_expired():
    now, worker = timezone.now(), "other-host:4242:999"
    live = {workers.lease_name(worker): now + timedelta(seconds=30)}
    expired = {workers.lease_name(worker): now - timedelta(seconds=1)}
    assert not workers.worker_gone(worker, live, now)
    assert workers.worker_gone(worker, expired, now)
    assert workers.worker_gone(worker, {}, now)


def test_workers_named_otherwise_are_left_alone():
    assert not workers.worker_gone("Xq3fJ0k1random", {}, timezone.now())


def test_task_of_a_dead_worker_is_queued_again_with_an_audit_event(db):
    dead = f"{workers.host_name()}:{_dead_pid()}:1"
    orphan, alive = _running_task(dead), _running_task(workers.worker_id())
    assert workers.requeue_orphaned_tasks() == [str(orphan.pk)]
    orphan.refresh_from_db()
    alive.refresh_from_db()
    assert (orphan.status, alive.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    event = AuditEvent.objects.get(action="core.task.requeued")
    assert event.object_id == str(orphan.pk) and event.after == {"worker": dead, "attempts": 1}
    assert workers.requeue_orphaned_tasks() == []


def test_task_whose_workers_died_max_attempts_times_is_marked_failed(db):
    dead = [f"{workers.host_name()}:{_dead_pid()}:1" for _ in range(workers.MAX_ATTEMPTS)]
    task = _running_task(*dead)
    workers.requeue_orphaned_tasks()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at is not None
    assert task.exception_class_path == "bankdesk.core.workers.WorkerLost"
    assert AuditEvent.objects.filter(action="core.task.abandoned", object_id=str(task.pk)).count() == 1


def test_scheduler_tick_queues_again_the_tasks_of_dead_workers(db):
    task = _running_task(f"{workers.host_name()}:{_dead_pid()}:1")
    scheduler.tick("scheduler-a")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_heartbeat_holds_the_lease_and_releases_it(db):
    worker = workers.worker_id()
    heartbeat = workers.Heartbeat(worker).start()
    lease = SchedulerLease.objects.get(name=workers.lease_name(worker))
    assert lease.expires_at > timezone.now() + timedelta(seconds=workers.LEASE_SECONDS - 10)
    heartbeat.stop()
    lease.refresh_from_db()
    assert lease.expires_at <= timezone.now()


def test_leases_of_workers_gone_for_a_day_are_removed(db):
    now = timezone.now()
    SchedulerLease.objects.create(name="w:old:1:1", holder="old:1:1", expires_at=now - timedelta(days=2))
    SchedulerLease.objects.create(name="w:recent:1:1", holder="recent:1:1", expires_at=now - timedelta(hours=1))
    SchedulerLease.objects.create(name="scheduler", holder="x", expires_at=now - timedelta(days=2))
    workers.requeue_orphaned_tasks(now)
    assert sorted(SchedulerLease.objects.values_list("name", flat=True)) == ["scheduler", "w:recent:1:1"]


def test_db_worker_command_is_bankdesks():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "bankdesk.core"
