"""Open complaints onto the corrected statutory clock (issue 17, item 1): the decision limit runs from receipt
(自收到消费投诉之日起), not from acceptance.

A live decision clock of an open complaint is restarted at the complaint's receipt with the limit it has (15, 30
or 60 calendar days by its extensions, never above them, or the regulator's deadline) and the time it stood
paused; a deadline that has now passed is taken up by the next sweep (overdue, chased, escalated). A complaint
still awaiting acceptance gets the decision clock it is on since receipt. Stopped clocks keep their history.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Case, Exists, Min, OuterRef, Subquery, Value, When

OPEN_STATUSES = ["registered", "accepted", "routed", "investigating", "decision_proposed", "decision_approved",
                 "communicated", "reopened"]
OWNER_CLOCKS = ["acceptance", "dispatch", "major_reply", "resolution", "internal", "decision", "callback", "review"]
STATUTORY_DAYS = (15, 30, 60)  # by the extensions approved: the regulation's maxima


def _setting(apps, key: str, default: int) -> int:
    stored = apps.get_model("core", "RuleSetting").objects.filter(key=key).values_list("value", flat=True).first()
    return default if stored is None else int(stored)


def _deadline(start, days, external, share):
    """(due, warn) as handling/clocks.py computes them: N calendar days after the day of `start`, warning at the
    share of those days; the regulator's own deadline warns at the share of its wall time."""
    if external is not None:
        return external, min(start + (external - start) * share, external)
    zone = ZoneInfo(settings.TIME_ZONE)
    first_day = datetime.combine(start.astimezone(zone).date() + timedelta(days=1), time.min, tzinfo=zone)
    return first_day + timedelta(days=days), first_day + timedelta(days=days * share)


def _restart_at_receipt(clock, days, share):
    complaint = clock.complaint
    external = complaint.external_deadline if clock.limit_unit == "external" else None
    due, warn = _deadline(complaint.received_at, days, external, share)
    paused = timedelta(seconds=clock.paused_seconds)
    clock.started_at, clock.due_at, clock.warn_at = complaint.received_at, due + paused, warn + paused
    if external is None:
        clock.limit_count = days
    if clock.state == "running" and clock.overdue_at is None:
        clock.next_check_at = clock.warn_at if clock.warned_at is None else clock.due_at
    clock.save()


def move_open_complaints_onto_the_clock_from_receipt(apps, schema_editor):
    Complaint, Clock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    share = _setting(apps, "clock.warning_percent", 90) / 100
    ordinary = min(_setting(apps, "complaint.decision_calendar_days", 15), STATUTORY_DAYS[0])
    touched = set()
    live = Clock.objects.filter(kind="decision", state__in=["running", "paused"], complaint__status__in=OPEN_STATUSES)
    for clock in live.select_related("complaint").iterator(chunk_size=2000):
        if clock.started_at != clock.complaint.received_at:
            days = min(clock.limit_count or ordinary, STATUTORY_DAYS[min(clock.complaint.extension_level, 2)])
            _restart_at_receipt(clock, days, share)
            touched.add(clock.complaint_id)
    waiting = Complaint.objects.filter(status="registered").exclude(
        Exists(Clock.objects.filter(complaint=OuterRef("pk"), kind="decision")))
    for complaint in waiting.iterator(chunk_size=2000):
        unit = "external" if complaint.external_deadline else "calendar_days"
        due, warn = _deadline(complaint.received_at, ordinary, complaint.external_deadline, share)
        Clock.objects.create(complaint=complaint, kind="decision", started_at=complaint.received_at, due_at=due,
                             warn_at=warn, limit_count=None if complaint.external_deadline else ordinary,
                             limit_unit=unit, next_check_at=warn)
        touched.add(complaint.pk)
    _refresh(Complaint, Clock, touched)


def _refresh(Complaint, Clock, complaint_ids):
    """The nearest deadline and its state for the work lists, as clocks.refresh_complaints keeps them."""
    live = Clock.objects.filter(complaint=OuterRef("pk"), kind__in=OWNER_CLOCKS, state__in=["running", "paused"])
    ids = sorted(complaint_ids)
    for offset in range(0, len(ids), 500):
        Complaint.objects.filter(pk__in=ids[offset:offset + 500]).update(
            current_deadline=Subquery(live.order_by().values("complaint").annotate(nearest=Min("due_at"))
                                      .values("nearest")[:1]),
            deadline_state=Case(When(Exists(live.filter(overdue_at__isnull=False)), then=Value(2)),
                                When(Exists(live.filter(warned_at__isnull=False)), then=Value(1)), default=Value(0)))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('complaints', '0008_complainant_name_index'),
    ]

    operations = [
        migrations.RunPython(move_open_complaints_onto_the_clock_from_receipt, migrations.RunPython.noop),
    ]
