"""Agents' absences: the solver keeps the agent off on those days, planners enter them, the scope holds."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, RuleSetting
from bankdesk.orgs.models import Role
from bankdesk.workforce import planning, rostering, services
from bankdesk.workforce import scheduling as s
from bankdesk.workforce.history import local_midnight
from bankdesk.workforce.models import Absence, AbsenceKind, RosterShift, RosterStatus
from bankdesk.workforce.tests.conftest import next_monday
from bankdesk.workforce.tests.test_scheduling import DAY_SHIFT, RULES

ABSENT = frozenset({0, 2, 3})  # Monday, Wednesday, Thursday


def absence(agent, first, last, kind=AbsenceKind.ANNUAL_LEAVE, note=""):
    return services.AbsenceInput(agent, kind, first, last, note)


# --- The solver ----------------------------------------------------------------------------------------------------

def test_the_solver_gives_no_shift_on_an_absent_day():
    requirement = np.zeros((7, 48))
    requirement[:, 18:34] = 3  # three agents 09:00-17:00 every day: everyone is wanted every day
    agents = tuple(s.Agent(f"A{i}", 1920, 2400) for i in range(3)) + (
        s.Agent("OFF", 960, 960, absent=ABSENT),)  # 40 h less three days' share: 16 h, two shifts
    problem = s.Problem(30, requirement, (DAY_SHIFT,), agents, RULES)
    solution = s.solve(problem, time_limit_seconds=30, workers=1)
    days = sorted(shift.day for shift in solution.shifts if shift.agent == "OFF")
    assert len(days) == 2 and not ABSENT & set(days)
    assert s.contract_shortfalls(problem, solution.shifts) == {}


def test_absent_agents_pool_apart():
    assert s.Agent("A", 2400, 2400).pool_key() != s.Agent("B", 2400, 2400, absent=frozenset({1})).pool_key()


# --- The roster of a week --------------------------------------------------------------------------------------------

@pytest.fixture
def roster_with_leave(django_capture_on_commit_callbacks, monkeypatch, planner, center, history, agents, templates,
                      immediate_tasks):
    """Agent two is on leave Monday to Wednesday of the roster's week (and on a cancelled absence on Friday)."""
    monkeypatch.setattr(rostering, "SOLVER_WORKERS", 1)
    RuleSetting.objects.create(key="workforce.roster_time_limit_seconds", value=60)
    monday = next_monday()
    services.create_absence(planner, absence(agents[1], monday, monday + timedelta(days=2)))
    cancelled = services.create_absence(planner, absence(agents[1], monday + timedelta(days=4),
                                                         monday + timedelta(days=4), AbsenceKind.TRAINING))
    services.update_absence(planner, cancelled, services.AbsenceInput(
        agents[1], AbsenceKind.TRAINING, cancelled.first_day, cancelled.last_day, is_active=False))
    with django_capture_on_commit_callbacks(execute=True):
        run = planning.request_forecast(planner, center.queue, monday, 7)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        roster = rostering.request_roster(planner, run, monday)
    roster.refresh_from_db()
    return roster


def test_the_roster_leaves_the_agent_off_on_the_days_of_leave(roster_with_leave, agents, planner):
    roster = roster_with_leave
    assert roster.status == RosterStatus.DRAFT, roster.error
    shifts = list(RosterShift.objects.filter(roster=roster, agent=agents[1], is_active=True))
    days = {(timezone.localdate(shift.starts_at) - roster.week_start).days for shift in shifts}
    assert days and not days & {0, 1, 2}
    paid = sum((shift.ends_at - shift.starts_at).total_seconds() / 60 - shift.lunch_minutes for shift in shifts)
    assert paid == 2400 - 3 * 480  # 40 h less three days' share (rule workforce.contract_working_days: 5)
    assert roster.contract_shortfalls == {}
    others = RosterShift.objects.filter(roster=roster, agent=agents[0], is_active=True)
    assert sum((x.ends_at - x.starts_at).total_seconds() / 60 - x.lunch_minutes for x in others) == 2400

    tuesday = local_midnight(roster.week_start + timedelta(days=1)) + timedelta(hours=9)
    with pytest.raises(ValidationFailed) as refused:  # nor can a planner put a shift on a day of leave
        services.add_shift(planner, roster, services.ShiftInput(agents[1], tuesday, tuesday + timedelta(hours=8)))
    assert refused.value.field == "starts_at"


# --- Entering absences -----------------------------------------------------------------------------------------------

def test_an_absence_is_checked_and_audited(planner, agents):
    monday = next_monday()
    made = services.create_absence(planner, absence(agents[0], monday, monday + timedelta(days=1), note=" 年假 "))
    assert (made.note, made.unit) == ("年假", agents[0].team.unit)
    assert AuditEvent.objects.filter(action="workforce.absence.create", object_id=str(made.pk)).exists()

    def refused(data) -> str:
        with pytest.raises(ValidationFailed) as failure:
            services.create_absence(planner, data)
        return failure.value.field

    assert refused(absence(agents[0], monday + timedelta(days=1), monday + timedelta(days=3))) == "first_day"
    assert refused(absence(agents[1], monday, monday - timedelta(days=1))) == "last_day"
    assert refused(absence(agents[1], monday, monday + timedelta(days=92))) == "last_day"  # 93 days > the rule's 92
    assert refused(services.AbsenceInput(agents[1], "holiday", monday, monday)) == "kind"
    services.update_absence(planner, made, services.AbsenceInput(agents[0], made.kind, made.first_day, made.last_day,
                                                                 is_active=False))
    assert Absence.objects.get(pk=made.pk).is_active is False  # cancelled, never deleted
    services.create_absence(planner, absence(agents[0], monday, monday))  # the cancelled one no longer overlaps


def test_only_planners_in_scope_enter_absences(planner, bank, center, agents):
    monday = next_monday()
    with pytest.raises(PermissionDenied):  # the head views rosters but does not plan them
        services.create_absence(center.head, absence(agents[0], monday, monday))
    planner_b = bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)
    with pytest.raises(NotFound):
        services.create_absence(planner_b, absence(agents[0], monday, monday))


def test_the_absence_pages(planner, bank, center, agents, logged_in, django_assert_max_num_queries):
    monday = next_monday()
    client = logged_in(planner)
    answer = client.post("/workforce/absences/new/", {
        "agent": agents[0].pk, "kind": "sick_leave", "first_day": monday + timedelta(days=3),
        "last_day": monday, "note": "病假条已交", "is_active": "on"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "病假条已交" in page and "最后一天早于第一天" in page  # the input stays, the error in Chinese
    answer = client.post("/workforce/absences/new/", {
        "agent": agents[0].pk, "kind": "sick_leave", "first_day": monday, "last_day": monday + timedelta(days=1),
        "note": "病假条已交", "is_active": "on"})
    assert answer.status_code == 302
    services.create_absence(planner, absence(agents[2], monday, monday, AbsenceKind.TRAINING))
    with django_assert_max_num_queries(12):
        page = client.get("/workforce/absences/", {"kind": "sick_leave", "sort": "agent"}).content.decode()
    assert "病假" in page and "8001" in page and "8003" not in page and "共 1 条记录" in page
    assert logged_in(center.agent_user).get("/workforce/absences/new/").status_code == 403
    other = logged_in(bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b))
    assert "共 0 条记录" in other.get("/workforce/absences/").content.decode()
    made = Absence.objects.get(kind="sick_leave")
    planner_b = bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)
    assert logged_in(planner_b).get(f"/workforce/absences/{made.pk}/").status_code == 404


def test_the_absence_api(planner, bank, center, agents, logged_in):
    monday = next_monday()
    client = logged_in(planner)
    answer = client.post("/api/callcenter/absences", {
        "agent_id": agents[0].pk, "kind": "sick_leave", "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=2)).isoformat(), "note": "病假"}, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    assert (made["agent_code"], made["team"], made["is_active"]) == ("8001", "T1", True)
    answer = client.patch(f"/api/callcenter/absences/{made['id']}", {"last_day": monday.isoformat()},
                          content_type="application/json")
    assert answer.json()["last_day"] == monday.isoformat() and answer.json()["note"] == "病假"
    answer = client.patch(f"/api/callcenter/absences/{made['id']}", {"is_active": False},
                          content_type="application/json")
    assert answer.json()["is_active"] is False
    listed = client.get("/api/callcenter/absences", {"active": "no", "kind": "sick_leave"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == made["id"]
    answer = client.post("/api/callcenter/absences", {
        "agent_id": agents[1].pk, "first_day": monday.isoformat(), "last_day": (monday - timedelta(days=1)).isoformat()},
        content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == "last_day"

    assert logged_in(center.head).post("/api/callcenter/absences", {
        "agent_id": agents[1].pk, "first_day": monday.isoformat(), "last_day": monday.isoformat()},
        content_type="application/json").status_code == 403
    planner_b = logged_in(bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center))
    assert planner_b.get("/api/callcenter/absences").json()["total"] == 0
    assert planner_b.get(f"/api/callcenter/absences/{made['id']}").status_code == 404
    answer = planner_b.post("/api/callcenter/absences", {
        "agent_id": agents[1].pk, "first_day": monday.isoformat(), "last_day": monday.isoformat()},
        content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == "agent_id"
