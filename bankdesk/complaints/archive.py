"""The archive (归档): a closed complaint is kept at least three years after its closure (docs/domain-rules.md §2),
then archived: never deleted, still listed and found by search, its attachments readable, but read-only.

`archive_due` is the periodic job's work (tasks.archive_closed_complaints, daily): it reads only the complaints
due, through the partial index on `closed_at` of those not archived yet, and marks them in batches, each one
UPDATE with the batch's audit events. A closed complaint still owing the regulator its feedback (a live
regulator-feedback clock) waits until the feedback is recorded. Read-only is enforced where every step passes:
`state_machine.require_step`, `saving.lock` and `available_steps` (`state_machine.archived_refusal`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling.clocks import OWED_TO_REGULATOR
from bankdesk.complaints.models import Clock, ClockState, Complaint
from bankdesk.core import audit, rules

BATCH_SIZE = 500
MAX_BATCHES = 1000


@dataclass
class ArchiveResult:
    archived: int = 0


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` years earlier (29 February falls back to the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def due_for_archive(now: datetime):
    """Closed complaints whose retention period after closure has passed, not archived yet."""
    cutoff = years_before(now, rules.get("complaint.archive_after_years"))
    owing = Clock.objects.filter(complaint=OuterRef("pk"), kind__in=OWED_TO_REGULATOR,
                                 state__in=[ClockState.RUNNING, ClockState.PAUSED])
    # Only a closed complaint has a closing time (reopening clears it): the index's condition is the whole filter.
    return Complaint.objects.filter(archived_at__isnull=True, closed_at__isnull=False, closed_at__lt=cutoff).exclude(
        Exists(owing))


def archive_due(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> ArchiveResult:
    now = now or timezone.now()
    result = ArchiveResult()
    for _round in range(MAX_BATCHES):
        with transaction.atomic():
            batch = list(due_for_archive(now).select_related("unit").only(
                "pk", "tracking_number", "closed_at", "unit__path").order_by("closed_at", "pk")[:batch_size])
            if not batch:
                break
            ids = [complaint.pk for complaint in batch]
            changed = Complaint.objects.filter(pk__in=ids, archived_at__isnull=True).update(
                archived_at=now, version=F("version") + 1)
            audit.save_all([audit.event_for(ComplaintAction.ARCHIVE, complaint, actor=None,
                                            before={"archived_at": None},
                                            after={"archived_at": now.isoformat(),
                                                   "closed_at": complaint.closed_at.isoformat()})
                            for complaint in batch])
            result.archived += changed
        if len(batch) < batch_size:
            break
    return result
