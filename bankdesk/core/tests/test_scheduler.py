import os
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bankdesk.core import scheduler
from bankdesk.core.models import PeriodicRun, SchedulerLease
from bankdesk.core.tasks import clear_expired_sessions

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_one_holder_at_a_time_and_take_over_after_expiry(db):
    now = timezone.now()
    assert scheduler.acquire_lease("a", now)
    assert not scheduler.acquire_lease("b", now + timedelta(seconds=10))
    assert scheduler.acquire_lease("a", now + timedelta(seconds=10))  # renewed
    assert not scheduler.acquire_lease("b", now + timedelta(seconds=scheduler.LEASE_SECONDS + 5))
    later = now + timedelta(seconds=scheduler.LEASE_SECONDS + 11)
    assert scheduler.acquire_lease("b", later)
    assert SchedulerLease.objects.get().holder == "b"
    assert not scheduler.acquire_lease("a", later)


def test_released_lease_is_free(db):
    scheduler.acquire_lease("a")
    scheduler.release_lease("a")
    assert scheduler.acquire_lease("b", timezone.now() + timedelta(seconds=1))


def test_holder_name_fits_the_column():
    name = scheduler.holder_name()
    assert name.endswith(f":{os.getpid()}")
    assert len(name) <= SchedulerLease._meta.get_field("holder").max_length


# The periodic jobs the apps register, in the order of INSTALLED_APPS: sessions and exports' expiry daily, clocks
# every minute, the archive daily, outlet follow-ups hourly, early warnings daily, rectification items hourly.
EVERY_JOB = ["core.clear_expired_sessions", "core.expire_exports", "complaints.sweep_clocks",
             "complaints.archive_closed_complaints", "quality.chase_follow_ups", "analytics.early_warning_check",
             "remediation.rectification_sweep"]


def test_each_job_enqueued_once_per_interval(db):
    now = timezone.now()
    assert scheduler.enqueue_due(now) == EVERY_JOB
    assert scheduler.enqueue_due(now + timedelta(seconds=30)) == []
    assert scheduler.enqueue_due(now + timedelta(minutes=1, seconds=1)) == ["complaints.sweep_clocks"]
    assert scheduler.enqueue_due(now + timedelta(days=1, seconds=2)) == EVERY_JOB
    assert PeriodicRun.objects.count() == len(EVERY_JOB)


def test_a_run_is_claimed_once(db):
    """Two schedulers that both saw a job due: only the first to move its last run enqueues it."""
    now = timezone.now()
    assert scheduler._claim_run("job", None, now)
    assert not scheduler._claim_run("job", None, now)
    later = now + timedelta(days=1)
    assert scheduler._claim_run("job", now, later)
    assert not scheduler._claim_run("job", now, later + timedelta(seconds=1))  # stale view of the last run
    assert PeriodicRun.objects.get(job="job").last_enqueued_at == later


def test_only_the_lease_holder_enqueues(db):
    assert scheduler.tick("a") == EVERY_JOB
    PeriodicRun.objects.all().delete()
    assert scheduler.tick("b") == []
    assert not PeriodicRun.objects.exists()


def test_due_job_lands_in_the_database_queue(db, settings):
    settings.TASKS = DB_BACKEND
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "bankdesk.analytics.warnings.tasks.early_warning_check", "bankdesk.complaints.tasks.archive_closed_complaints",
        "bankdesk.complaints.tasks.sweep_clocks", "bankdesk.core.tasks.clear_expired_sessions",
        "bankdesk.core.tasks.expire_exports", "bankdesk.quality.inspections.tasks.chase_follow_ups",
        "bankdesk.remediation.tasks.rectification_sweep"]


def run_on_servers(target, servers: int) -> None:
    """`target(holder)` in one thread per server, all at once; returns when all are done."""
    threads = [threading.Thread(target=target, args=(f"server{i}:1",)) for i in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_racing_schedulers_enqueue_once(committed_db, settings):
    """Schedulers on two servers ticking at the same moment: one lease, one enqueued run."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is one connection's; the race runs on PostgreSQL")
    settings.TASKS = DB_BACKEND
    barrier, results = threading.Barrier(4), []

    def run(holder):
        try:
            barrier.wait()
            results.append(scheduler.tick(holder))
        finally:
            connections.close_all()

    run_on_servers(run, 4)
    assert sorted(results) == [[], [], [], EVERY_JOB]
    assert DBTaskResult.objects.count() == len(EVERY_JOB)


def test_expired_sessions_are_cleared(db):
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1))
    clear_expired_sessions.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_command_runs_one_tick(db, capsys):
    call_command("run_scheduler", "--once")
    assert "enqueued core.clear_expired_sessions" in capsys.readouterr().out
    assert SchedulerLease.objects.get().expires_at <= timezone.now()


@pytest.mark.parametrize("step", ["tick", "stalled_holders"])
def test_two_schedulers_never_run_a_sweep_twice(shared_db, monkeypatch, step):
    """Two servers, each with its own connection to one database (a WAL file on SQLite), tick at the same
    moments; each round the lease has expired and the sweep is due. "stalled_holders": both believe they hold
    the lease (one stalled past it) and go straight to enqueueing. Either way the sweep runs once a round."""
    rounds, clock, runs, failures = 15, [timezone.now()], [], []
    lock = threading.Lock()

    class CountingSweep:
        def enqueue(self):
            with lock:
                runs.append(clock[0])

    monkeypatch.setattr(scheduler, "PERIODIC_JOBS", [scheduler.PeriodicJob("test.sweep", timedelta(minutes=1),
                                                                           CountingSweep())])
    monkeypatch.setattr(scheduler, "timezone", SimpleNamespace(now=lambda: clock[0]))

    def advance():
        clock[0] += timedelta(seconds=scheduler.LEASE_SECONDS + 61)

    start, done = threading.Barrier(2), threading.Barrier(2, action=advance)

    def server(holder):
        with shared_db.connection():
            for _round in range(rounds):
                start.wait()
                try:
                    scheduler.tick(holder) if step == "tick" else scheduler.enqueue_due()
                except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
                    failures.append(error)
                done.wait()

    shared_db.prepare()
    run_on_servers(server, 2)
    assert not failures, failures
    assert len(runs) == rounds and len(set(runs)) == rounds
