"""The deadline sweep, run every minute by the task worker (tasks.sweep_clocks).

It reads only the clocks whose `next_check_at` has come (an index range), so its cost follows the
number of items due, not the number of open complaints. Each clock is locked, acted on and moved
to its next check in one transaction with the notifications it sends: a second run finds nothing
left to do, and two workers never take the same clock (SKIP LOCKED on PostgreSQL).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import clocks, recipients, services
from bankdesk.complaints.models import Clock, ClockKind, Complaint, Severity
from bankdesk.core import audit
from bankdesk.core.messaging import notify

BATCH_SIZE = 200
MAX_BATCHES = 1000


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    chased: int = 0
    became_major: int = 0


def sweep(now=None, batch_size: int = BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    for _batch in range(MAX_BATCHES):
        with transaction.atomic():
            due = list(Clock.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(next_check_at__lte=now)
                       .select_related("complaint__unit", "complaint__lead_department", "assist_request__department")
                       .order_by("next_check_at")[:batch_size])
            for clock in due:
                _act(clock, now, result)
            for complaint in {clock.complaint_id: clock.complaint for clock in due}.values():
                clocks.refresh_complaint(complaint, now)
        if len(due) < batch_size:
            break
    return result


def _act(clock: Clock, now, result: SweepResult) -> None:
    if clock.overdue_at is None and now >= clock.due_at:
        _run_out(clock, now, result)
    elif clock.overdue_at is None:
        clock.warned_at = now
        _tell_owners(clock, "complaint.clock_warning",
                     _("%(number)s: %(clock)s runs out at %(due)s. Please act in time.") % _words(clock))
        result.warned += 1
    else:
        _chase(clock, now)
        result.chased += 1
    clock.next_check_at = clocks.next_check(clock)
    clock.save(update_fields=["warned_at", "overdue_at", "chase_count", "last_chased_at", "next_check_at"])


def _words(clock: Clock) -> dict:
    return {"number": clock.complaint.tracking_number, "clock": clock.get_kind_display(),
            "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")}


def _tell_owners(clock: Clock, kind: str, text: str, sms: bool = False) -> list[int]:
    owners = recipients.owners(clock)
    notify(owners, kind=kind, text=text, obj=clock.complaint, link=f"/complaints/{clock.complaint_id}/", sms=sms)
    return owners


def _chase(clock: Clock, now) -> list[int]:
    """催办: the owner is told the item is overdue, by SMS as well."""
    clock.chase_count += 1
    clock.last_chased_at = now
    return _tell_owners(clock, "complaint.clock_chase",
                        _("Reminder (催办): %(number)s: %(clock)s ran out at %(due)s. Act now.") % _words(clock),
                        sms=True)


def _run_out(clock: Clock, now, result: SweepResult) -> None:
    clock.overdue_at = now
    clock.warned_at = clock.warned_at or now
    if clock.kind == ClockKind.BECOMES_MAJOR:
        result.became_major += _make_major(clock.complaint)
        return
    result.overdue += 1
    owners = _chase(clock, now)
    _escalate(clock, owners)


def _escalate(clock: Clock, owners: list[int]) -> None:
    """A clock that runs out is reported to the level above its owner, and the complaint carries the mark."""
    complaint = clock.complaint
    Complaint.objects.filter(pk=complaint.pk).update(escalation_level=F("escalation_level") + 1)
    audit.record("complaint.overdue", complaint, actor=None,
                 after={"clock": clock.kind, "due": clock.due_at, "note": str(clock.get_kind_display())})
    above = [user_id for user_id in recipients.next_level(clock) if user_id not in owners]
    notify(above, kind="complaint.escalated", obj=complaint, link=f"/complaints/{complaint.pk}/",
           text=_("Escalated: %(number)s: %(clock)s ran out at %(due)s without the step being done.")
           % _words(clock))


def _make_major(complaint: Complaint) -> int:
    """A valid complaint unresolved for a month becomes major, with the major-complaint report."""
    if complaint.severity == Severity.MAJOR:
        return 0
    before = services.snapshot(complaint)
    complaint.severity = Severity.MAJOR
    Complaint.objects.filter(pk=complaint.pk).update(severity=Severity.MAJOR)
    audit.record("complaint.becomes_major", complaint, actor=None, before=before, after=services.snapshot(complaint))
    services.report_major_complaint(complaint)
    clocks.start(complaint, ClockKind.MAJOR_REPLY)
    return 1
