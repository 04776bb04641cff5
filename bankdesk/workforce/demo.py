"""The demo of workforce planning (core's `load_demo` runs it after the call center's): shift templates,
work terms of a part-time agent, a special day, a forecast of the hotline from next Monday, and a
published roster of that week for the hotline's agents, made by the planner wfm01.

Loaded once: each part is made when missing; the forecast and the roster are computed here, not queued."""

from datetime import timedelta

from django.utils import timezone

from bankdesk.core import audit, config_tables
from bankdesk.core.models import AuditSource
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.workforce import planning, rostering, services
from bankdesk.workforce.models import ForecastRun, Roster, ShiftTemplate, SpecialDay, WorkTerms

DAY_SHIFT = {"name": "白班（含午餐1小时）", "length_minutes": 540, "earliest_start": "08:00", "latest_start": "11:00",
             "start_step_minutes": 30, "lunch_minutes": 60, "lunch_earliest_minutes": 180,
             "lunch_latest_minutes": 270, "break_minutes": 15, "break_offsets": "90,420"}
EVENING_SHIFT = {"name": "晚班（含晚餐30分钟）", "length_minutes": 480, "earliest_start": "13:00",
                 "latest_start": "14:30", "start_step_minutes": 30, "lunch_minutes": 30,
                 "lunch_earliest_minutes": 240, "lunch_latest_minutes": 300, "break_minutes": 15,
                 "break_offsets": "120"}
PART_TIME = "cc_agent05"  # 吴佳怡: weekday afternoons and evenings, 24 hours a week
FORECAST_DAYS = 28


def _next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def _tables(planner, center: OrgUnit) -> None:
    for code, data in (("DAY9", DAY_SHIFT), ("EVE8", EVENING_SHIFT)):
        if not ShiftTemplate.objects.filter(code=code).exists():
            config_tables.save_data(planner, "workforce-shift-templates",
                                    {"code": code, "unit": center.pk, "is_active": True, **data})
    agent = User.objects.get(username=PART_TIME).callcenter_agent
    if not WorkTerms.objects.filter(agent=agent).exists():
        config_tables.save_data(planner, "workforce-work-terms", {
            "agent": agent.pk, "unit": center.pk, "weekly_hours": "24", "min_weekly_hours": "20",
            **{day: True for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "available_from": "13:00", "available_until": "22:00", "is_active": True})
    launch = _next_monday() + timedelta(days=10)
    if not SpecialDay.objects.exists():
        config_tables.save_data(planner, "workforce-special-days", {
            "date": launch.isoformat(), "name": "信用卡新产品上线", "unit": center.pk, "factor": "1.30",
            "is_active": True})


def _forecast_and_roster(planner, queue) -> str:
    if ForecastRun.objects.filter(queue=queue).exists():
        return "kept"
    run = planning.create_run(planner, queue, _next_monday(), FORECAST_DAYS)
    planning.run(run.pk)
    run.refresh_from_db()
    roster = rostering.create_roster(planner, run, _next_monday())
    rostering.solve(roster.pk)
    services.publish_roster(planner, Roster.objects.get(pk=roster.pk))
    return "made"


def load(stdout) -> None:
    from bankdesk.callcenter.models import Queue

    planner = User.objects.get(username="wfm01")
    with audit.audit_context(actor=planner, source=AuditSource.IMPORT):
        _tables(planner, OrgUnit.objects.get(code="CC"))
        outcome = _forecast_and_roster(planner, Queue.objects.get(code="HOTLINE"))
    stdout.write(f"Workforce: 2 shift templates, a part-time agent's work terms, a special day; the hotline's "
                 f"forecast of {FORECAST_DAYS} days and next week's published roster {outcome} (planner wfm01)")
