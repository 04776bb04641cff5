"""The call center of callcenter's tests, with a workforce planner at it and one at branch B."""

from datetime import date, time, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from bankdesk.callcenter import services as callcenter_services
from bankdesk.callcenter.models import IntervalStat
from bankdesk.callcenter.tests.conftest import center  # noqa: F401  (the fixture, shared)
from bankdesk.core.models import RuleSetting
from bankdesk.orgs.models import Role
from bankdesk.workforce import planning, rostering
from bankdesk.workforce.history import local_midnight
from bankdesk.workforce.models import ShiftTemplate, WorkTerms
from bankdesk.workforce.tests import synthetic


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


@pytest.fixture
def agents(bank, center):  # noqa: F811
    """The center's agent and three more; one of them part-time on weekday evenings."""
    made = [center.agent]
    for n in range(2, 5):
        user = bank.user(f"cc_agent{n}", Role.AGENT, center.unit)
        made.append(callcenter_services.create_agent(center.head, user=user, agent_code=f"800{n}", team=center.team,
                                                     skills={center.skill: 3}))
    return made


@pytest.fixture
def templates(center):  # noqa: F811
    day = ShiftTemplate.objects.create(
        code="D8", name="白班", length_minutes=540, earliest_start=time(8), latest_start=time(12),
        start_step_minutes=60, lunch_minutes=60, lunch_earliest_minutes=180, lunch_latest_minutes=270,
        break_offsets="90,420")
    evening = ShiftTemplate.objects.create(
        code="E4", name="晚班", unit=center.unit, length_minutes=240, earliest_start=time(17), latest_start=time(18))
    return day, evening


@pytest.fixture
def solved(django_capture_on_commit_callbacks, monkeypatch, planner, center, history, agents, templates,  # noqa: F811
           immediate_tasks):
    """The week solved to optimality, the same roster on every run: CP-SAT with one worker searches
    deterministically (a portfolio of workers returns whichever optimum, or near-optimum, it meets first,
    and under load may leave the hand-out to the time limit), and this small problem is solved in a fraction
    of a second, so the limit is never what ends the search."""
    monkeypatch.setattr(rostering, "SOLVER_WORKERS", 1)
    RuleSetting.objects.create(key="workforce.roster_time_limit_seconds", value=60)
    WorkTerms.objects.create(agent=agents[3], unit=center.unit, weekly_hours=Decimal(16), min_weekly_hours=Decimal(12),
                             saturday=False, sunday=False, available_from=time(17), available_until=time(22))
    with django_capture_on_commit_callbacks(execute=True):
        run = planning.request_forecast(planner, center.queue, next_monday(), 7)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        roster = rostering.request_roster(planner, run, next_monday())
    roster.refresh_from_db()
    return roster
