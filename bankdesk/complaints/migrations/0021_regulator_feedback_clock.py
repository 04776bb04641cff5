"""Open regulator transfers onto the regulator-feedback clock (issue 17, item 10): a complaint transferred by a
regulator (监管转办) owes the regulator feedback (申诉反馈) by the regulator's deadline, or, where the transfer names
none, within the working days of the rule `complaint.regulator_feedback_working_days` (10) from receipt.

Every open regulator transfer without that clock gets it, started at its receipt as registration now starts it;
a deadline already passed is taken up by the next sweep (overdue, chased, escalated to the level above). The
clock is the consumer-protection office's, not the handler's: the complaint's nearest deadline in the work
lists does not change.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Exists, OuterRef

OPEN_STATUSES = ["registered", "accepted", "routed", "investigating", "decision_proposed", "decision_approved",
                 "communicated", "screening", "reopened"]


def _setting(apps, key: str, default: int) -> int:
    stored = apps.get_model("core", "RuleSetting").objects.filter(key=key).values_list("value", flat=True).first()
    return default if stored is None else int(stored)


class _Calendar:
    """The working days of the official calendar as core/calendar.py counts them (weekends and holidays off,
    make-up days on; a year without official data counts weekends only, flagged provisional)."""

    def __init__(self, apps):
        rows = list(apps.get_model("core", "CalendarDay").objects.values_list("date", "kind"))
        self.holidays = {day for day, kind in rows if kind == "holiday"}
        self.workdays = {day for day, kind in rows if kind == "workday"}
        self.known = set(apps.get_model("core", "CalendarYear").objects.values_list("year", flat=True))

    def working_days_after(self, start, days):
        current, found, provisional = start, [], start.year not in self.known
        while len(found) < days:
            current += timedelta(days=1)
            provisional = provisional or current.year not in self.known
            if current in self.workdays or (current.weekday() < 5 and current not in self.holidays):
                found.append(current)
        return found, provisional


def _deadline(complaint, calendar, days, share):
    """(due, warn, limit count, limit unit, provisional) as handling/clocks.py computes them."""
    start = complaint.received_at
    if complaint.external_deadline is not None:
        due = complaint.external_deadline
        return due, min(start + (due - start) * share, due), None, "external", False
    zone = ZoneInfo(settings.TIME_ZONE)
    found, provisional = calendar.working_days_after(start.astimezone(zone).date(), days)

    def day_start(day):
        return datetime.combine(day, time.min, tzinfo=zone)

    position = len(found) * share
    index = min(int(position), len(found) - 1)
    warn = day_start(found[index]) + timedelta(days=1) * (position - index)
    return day_start(found[-1] + timedelta(days=1)), warn, len(found), "working_days", provisional


def start_regulator_feedback_clocks(apps, schema_editor):
    Complaint, Clock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    share = _setting(apps, "clock.warning_percent", 90) / 100
    days = _setting(apps, "complaint.regulator_feedback_working_days", 10)
    calendar = _Calendar(apps)
    owing = Complaint.objects.filter(channel__kind="regulator", status__in=OPEN_STATUSES).exclude(
        Exists(Clock.objects.filter(complaint=OuterRef("pk"), kind="regulator_feedback")))
    batch = []
    for complaint in owing.only("pk", "received_at", "external_deadline").iterator(chunk_size=2000):
        due, warn, count, unit, provisional = _deadline(complaint, calendar, days, share)
        batch.append(Clock(complaint_id=complaint.pk, kind="regulator_feedback", started_at=complaint.received_at,
                           due_at=due, warn_at=warn, limit_count=count, limit_unit=unit, provisional=provisional,
                           state="running", next_check_at=warn))
        if len(batch) >= 500:
            Clock.objects.bulk_create(batch)
            batch = []
    Clock.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('complaints', '0020_regulator_feedback_and_archive'),
    ]

    operations = [
        migrations.RunPython(start_regulator_feedback_clocks, migrations.RunPython.noop),
    ]
