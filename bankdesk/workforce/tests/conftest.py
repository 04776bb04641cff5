"""The call center of callcenter's tests, with a workforce planner at it and one at branch B."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.utils import timezone

from bankdesk.callcenter.models import IntervalStat
from bankdesk.workforce.history import local_midnight
from bankdesk.workforce.tests import synthetic

from bankdesk.callcenter.tests.conftest import center  # noqa: F401  (the fixture, shared)
from bankdesk.orgs.models import Role


@pytest.fixture
def planner(bank, center):  # noqa: F811
    return bank.user("wfm", Role.WORKFORCE_PLANNER, center.unit)


@pytest.fixture
def planner_b(bank, center):  # noqa: F811
    """A planner of branch B's call center: sees none of the head office's queues."""
    return bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HISTORY_DAYS = 42
AHT = 200


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def history(center):  # noqa: F811
    """Six weeks of 30-minute statistics up to today's start: the synthetic shape, 1,200 calls a day."""
    first = timezone.localdate() - timedelta(days=HISTORY_DAYS)
    calls = np.rint(synthetic.expected(first, HISTORY_DAYS, synthetic.Calendar(), per_day_total=1200))
    rows = []
    for day, row in enumerate(calls):
        midnight = local_midnight(first + timedelta(days=day))
        for slot, offered in enumerate(row):
            rows.append(IntervalStat(queue=center.queue, interval_start=midnight + timedelta(minutes=30 * slot),
                                     offered=int(offered), answered=int(offered), handle_time_seconds=int(offered) * AHT))
    IntervalStat.objects.bulk_create(rows)
    return calls
