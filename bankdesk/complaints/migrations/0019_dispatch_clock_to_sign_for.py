"""Open complaints onto the corrected dispatch rule (issue 17, item 8): the 10-minute dispatch clock stops when
the department concerned signs for (签收) the complaint, not at routing.

A complaint routed but not yet worked on (status routed) was never signed for: its dispatch clock, stopped at
routing, runs again from where it started, so the next sweep marks it overdue and chases the department until
it signs for it. A complaint its department has already worked on was taken by it: it counts as signed for at
its routing, as the rule then said, and keeps its stopped clock.
"""

from django.db import migrations
from django.db.models import Case, Exists, F, Min, OuterRef, Subquery, Value, When

OWNER_CLOCKS = ["acceptance", "dispatch", "major_reply", "resolution", "internal", "decision", "callback", "review"]


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


def move_dispatch_clock_to_sign_for(apps, schema_editor):
    Complaint, Clock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    Complaint.objects.filter(routed_at__isnull=False, signed_for_at__isnull=True).exclude(status="routed").update(
        signed_for_at=F("routed_at"))
    waiting = list(Complaint.objects.filter(status="routed", signed_for_at__isnull=True).values_list("pk", flat=True))
    for offset in range(0, len(waiting), 500):
        stopped = Clock.objects.filter(complaint_id__in=waiting[offset:offset + 500], kind="dispatch", state="stopped")
        # the deadline (or, once overdue, the chase) is taken up by the next sweep
        stopped.filter(overdue_at__isnull=True, warned_at__isnull=True).update(
            state="running", stopped_at=None, next_check_at=F("warn_at"))
        stopped.filter(overdue_at__isnull=True).exclude(warned_at=None).update(
            state="running", stopped_at=None, next_check_at=F("due_at"))
        stopped.exclude(overdue_at=None).update(state="running", stopped_at=None, next_check_at=F("overdue_at"))
    _refresh(Complaint, Clock, waiting)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0018_sign_for'),
    ]

    operations = [
        migrations.RunPython(move_dispatch_clock_to_sign_for, migrations.RunPython.noop),
    ]
