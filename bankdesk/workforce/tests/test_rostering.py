"""A week's roster from a forecast: solved in the background, then changed by a planner and published."""

import math
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bankdesk.core.errors import Conflict, NotFound, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.workforce import rostering, selectors, services
from bankdesk.workforce.models import RosterShift, RosterStatus
from bankdesk.workforce.tests.conftest import next_monday

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def by_agent(roster):
    shifts = {}
    for shift in RosterShift.objects.filter(roster=roster, is_active=True):
        shifts.setdefault(shift.agent_id, []).append(shift)
    return shifts


def test_roster_keeps_every_agents_terms(solved, agents):
    assert solved.status == RosterStatus.DRAFT and solved.progress == 100, solved.error
    assert solved.solver_status == "optimal" and solved.understaffing_minutes == math.ceil(solved.lower_bound_minutes)
    assert solved.contract_shortfalls == {}
    shifts = by_agent(solved)
    for agent_shifts in shifts.values():  # 11 hours' rest between shifts (rule workforce.min_rest_hours)
        ordered = sorted(agent_shifts, key=lambda shift: shift.starts_at)
        assert all(later.starts_at - earlier.ends_at >= timedelta(hours=11) for earlier, later in pairwise(ordered))
    for agent in agents[:3]:  # 40 paid hours (lunch unpaid), one shift a day, a day off at least
        days = [timezone.localdate(shift.starts_at) for shift in shifts[agent.pk]]
        assert len(days) == len(set(days)) <= 6
        assert sum((s.ends_at - s.starts_at).total_seconds() / 60 - s.lunch_minutes for s in shifts[agent.pk]) == 2400
    evenings = shifts[agents[3].pk]
    assert 3 <= len(evenings) <= 4 and all(shift.template.code == "E4" for shift in evenings)
    assert all(timezone.localdate(shift.starts_at).weekday() < 5 for shift in evenings)
    for shift in (shift for shift in shifts[agents[0].pk] if shift.template.code == "D8"):
        assert shift.lunch_minutes == 60 and shift.breaks == [[90, 15], [420, 15]]
        assert shift.starts_at + timedelta(minutes=180) <= shift.lunch_starts_at <= shift.starts_at + timedelta(
            minutes=270)


def test_coverage_per_interval_matches_the_solver(solved):
    coverage = selectors.coverage(solved)
    assert coverage.required.shape == coverage.covered.shape == (7, 48)
    assert coverage.understaffing_minutes == solved.understaffing_minutes
    assert coverage.covered.max() <= 4


def test_planner_changes_a_shift(solved, planner, agents):
    shift = by_agent(solved)[agents[0].pk][0]
    later = services.ShiftInput(agents[0], shift.starts_at + timedelta(hours=1), shift.ends_at + timedelta(hours=1),
                                shift.lunch_starts_at + timedelta(hours=1), 60)
    changed = services.change_shift(planner, shift, later, version=shift.version)
    assert changed.version == 2 and changed.starts_at == shift.starts_at + timedelta(hours=1)
    event = AuditEvent.objects.get(action="workforce.shift.update", object_id=str(shift.pk))
    assert event.before["starts_at"] != event.after["starts_at"]
    with pytest.raises(Conflict):
        services.change_shift(planner, shift, later, version=1)  # someone changed it first


def test_changes_are_checked(solved, planner, agents):
    shift = by_agent(solved)[agents[0].pk][0]

    def change(**fields):
        data = {"agent": agents[0], "starts_at": shift.starts_at, "ends_at": shift.ends_at,
                "lunch_starts_at": shift.lunch_starts_at, "lunch_minutes": 60, **fields}
        with pytest.raises(ValidationFailed) as refused:
            services.change_shift(planner, shift, services.ShiftInput(**data), version=shift.version)
        return refused.value.field

    assert change(ends_at=shift.starts_at) == "ends_at"
    assert change(ends_at=shift.starts_at + timedelta(hours=13)) == "ends_at"
    assert change(starts_at=shift.starts_at - timedelta(days=8), ends_at=shift.ends_at - timedelta(days=8),
                  lunch_starts_at=None) == "starts_at"
    assert change(lunch_starts_at=shift.ends_at) == "lunch_starts_at"
    other = by_agent(solved)[agents[1].pk][0]
    overlapping = services.ShiftInput(agents[1], other.starts_at, other.ends_at)
    with pytest.raises(ValidationFailed):
        services.add_shift(planner, solved, overlapping)


def test_cancel_add_and_publish(solved, planner, agents, center, bank):
    shift = by_agent(solved)[agents[1].pk][0]
    services.cancel_shift(planner, shift, version=shift.version)
    shift.refresh_from_db()
    assert not shift.is_active and RosterShift.objects.filter(pk=shift.pk).exists()  # never deleted
    again = services.add_shift(planner, solved, services.ShiftInput(agents[1], shift.starts_at, shift.ends_at))
    assert again.is_active and again.lunch_minutes == 0
    assert not selectors.own_shifts(agents[1].user, next_monday()).exists()  # a draft is not shown to agents
    services.publish_roster(planner, solved)
    assert selectors.own_shifts(agents[1].user, next_monday()).count() == len(by_agent(solved)[agents[1].pk])
    with pytest.raises(Conflict):
        services.publish_roster(planner, solved)


def test_other_branches_and_other_roles(solved, planner_b, agents):
    shift = by_agent(solved)[agents[0].pk][0]
    with pytest.raises(NotFound):
        services.cancel_shift(planner_b, shift, version=shift.version)
    with pytest.raises(PermissionDenied):
        services.cancel_shift(agents[0].user, shift, version=shift.version)
    with pytest.raises(NotFound):
        selectors.roster(planner_b, solved.pk)


def test_a_week_outside_the_forecast_is_refused(solved, planner):
    with pytest.raises(ValidationFailed) as refused:
        rostering.request_roster(planner, solved.forecast, next_monday() + timedelta(days=7))
    assert refused.value.field == "week_start"
    with pytest.raises(ValidationFailed):
        rostering.request_roster(planner, solved.forecast, next_monday() + timedelta(days=1))
