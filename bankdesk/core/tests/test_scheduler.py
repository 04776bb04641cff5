from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from bankdesk.core import scheduler
from bankdesk.core.models import PeriodicRun, SchedulerLease
from bankdesk.core.tasks import clear_expired_sessions


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_one_holder_at_a_time_and_take_over_after_expiry(db):
    now = timezone.now()
    assert scheduler.acquire_lease("a", now)
    assert not scheduler.acquire_lease("b", now + timedelta(seconds=10))
    assert scheduler.acquire_lease("a", now + timedelta(seconds=10))
    later = now + timedelta(seconds=scheduler.LEASE_SECONDS + 11)
    assert scheduler.acquire_lease("b", later)
    assert SchedulerLease.objects.get().holder == "b"


def test_released_lease_is_free(db):
    scheduler.acquire_lease("a")
    scheduler.release_lease("a")
    assert scheduler.acquire_lease("b", timezone.now() + timedelta(seconds=1))


def test_each_job_enqueued_once_per_interval(db):
    now = timezone.now()
    assert scheduler.enqueue_due(now) == ["core.clear_expired_sessions"]
    assert scheduler.enqueue_due(now + timedelta(hours=1)) == []
    assert scheduler.enqueue_due(now + timedelta(days=1, seconds=1)) == ["core.clear_expired_sessions"]
    assert PeriodicRun.objects.count() == 1


def test_expired_sessions_are_cleared(db):
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1))
    assert clear_expired_sessions.call() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_command_runs_one_tick(db, capsys):
    call_command("run_scheduler", "--once")
    assert "enqueued core.clear_expired_sessions" in capsys.readouterr().out
    assert SchedulerLease.objects.get().expires_at <= timezone.now()
