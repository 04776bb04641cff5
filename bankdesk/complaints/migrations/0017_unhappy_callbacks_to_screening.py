"""Open complaints onto the corrected callback rules (issue 17, item 4): a "not satisfied" callback is screened
(复核) by the consumer-protection office before anything is re-handled.

A complaint the old rules reopened straight from a "not satisfied" callback, and on which no new decision has been
proposed since, goes to the screening: it is the office's to reopen (counted again then) or to close as handled
properly. Its re-handling clock, started at the callback, runs on: the screening is on it. Complaints whose
re-handling has produced a decision keep their course.
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Subquery


def unhappy_callbacks_to_screening(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    CallbackRecord, Decision = apps.get_model("complaints", "CallbackRecord"), apps.get_model("complaints", "Decision")
    latest = CallbackRecord.objects.filter(complaint=OuterRef("pk")).order_by("-created_at", "-id")
    reopened = Complaint.objects.filter(status="reopened", reopen_count__gt=0).annotate(
        last_satisfaction=Subquery(latest.values("satisfaction")[:1]),
        last_callback_at=Subquery(latest.values("created_at")[:1]),
    ).filter(last_satisfaction="not_satisfied").exclude(
        Exists(Decision.objects.filter(complaint=OuterRef("pk"), proposed_at__gt=OuterRef("last_callback_at"))))
    ids = list(reopened.values_list("pk", flat=True))
    for offset in range(0, len(ids), 500):
        Complaint.objects.filter(pk__in=ids[offset:offset + 500]).update(
            status="screening", reopen_count=F("reopen_count") - 1, version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0016_screening'),
    ]

    operations = [
        migrations.RunPython(unhappy_callbacks_to_screening, migrations.RunPython.noop),
    ]
