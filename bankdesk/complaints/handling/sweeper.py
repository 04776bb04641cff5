"""The deadline sweep, run every minute by the task worker (tasks.sweep_clocks).

It reads only the clocks whose `next_check_at` has come (an index range), so its cost follows the
number of items due, not the number of open complaints. A batch of clocks is locked, acted on and
moved to its next check in one transaction with the notifications and audit events it makes, all
written in bulk: a second run finds nothing left to do, and two workers never take the same clock
(SKIP LOCKED on PostgreSQL).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, recipients, reports
from bankdesk.complaints.models import Clock, ClockKind, Complaint, Severity
from bankdesk.core import audit
from bankdesk.core.messaging import Message, notify_many

BATCH_SIZE = 200
MAX_BATCHES = 1000
CLOCK_FIELDS = ("warned_at", "overdue_at", "chase_count", "last_chased_at", "next_check_at")


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    chased: int = 0
    became_major: int = 0


@dataclass
class _Batch:
    """What one batch of clocks makes, written together when the batch ends."""

    now: object
    result: SweepResult
    messages: list = field(default_factory=list)
    events: list = field(default_factory=list)
    escalated: list = field(default_factory=list)
    people: dict = field(default_factory=dict)  # (who, unit path) -> user ids: few units per batch

    def people_for(self, who, clock: Clock) -> list[int]:
        key = (who.__name__, recipients.owning_unit(clock).path, clock.complaint.handler_id, clock.kind,
               clock.complaint.lead_department_id is None)
        if key not in self.people:
            self.people[key] = who(clock)
        return self.people[key]

    def tell(self, recipient_ids, clock: Clock, kind: str, text: str, sms: bool = False) -> None:
        self.messages.append(Message(tuple(recipient_ids), kind, text, f"/complaints/{clock.complaint_id}/",
                                     clock.complaint, sms=sms))


def sweep(now=None, batch_size: int = BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    for _round in range(MAX_BATCHES):
        with transaction.atomic():
            due = list(Clock.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(next_check_at__lte=now)
                       .select_related("complaint__unit", "complaint__lead_department", "assist_request__department")
                       .order_by("next_check_at")[:batch_size])
            batch = _Batch(now, result)
            for clock in due:
                _act(clock, batch)
            _write(batch, due)
        if len(due) < batch_size:
            break
    return result


def _write(batch: _Batch, due: list[Clock]) -> None:
    _save_clocks(due)
    if batch.escalated:
        Complaint.objects.filter(pk__in=batch.escalated).update(escalation_level=F("escalation_level") + 1)
    audit.save_all(batch.events)
    notify_many(batch.messages)
    clocks.refresh_complaints(list({clock.complaint_id for clock in due}))


def _save_clocks(due: list[Clock]) -> None:
    """One UPDATE per distinct outcome: a batch's clocks mostly share theirs (all acted on at `now`)."""
    outcomes: dict[tuple, list[int]] = {}
    for clock in due:
        outcomes.setdefault(tuple(getattr(clock, name) for name in CLOCK_FIELDS), []).append(clock.pk)
    for values, ids in outcomes.items():
        Clock.objects.filter(pk__in=ids).update(**dict(zip(CLOCK_FIELDS, values, strict=True)))


def _act(clock: Clock, batch: _Batch) -> None:
    if clock.overdue_at is None and batch.now >= clock.due_at:
        _run_out(clock, batch)
    elif clock.overdue_at is None:
        clock.warned_at = batch.now
        batch.tell(batch.people_for(recipients.owners, clock), clock, "complaint.clock_warning",
                   _("%(number)s: %(clock)s runs out at %(due)s. Please act in time.") % _words(clock))
        batch.result.warned += 1
    else:
        _chase(clock, batch)
        batch.result.chased += 1
    clock.next_check_at = clocks.next_check(clock)


def _words(clock: Clock) -> dict:
    return {"number": clock.complaint.tracking_number, "clock": clock.get_kind_display(),
            "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")}


def _chase(clock: Clock, batch: _Batch) -> list[int]:
    """催办: the owner is told the item is overdue, by SMS as well."""
    clock.chase_count += 1
    clock.last_chased_at = batch.now
    owners = batch.people_for(recipients.owners, clock)
    batch.tell(owners, clock, "complaint.clock_chase",
               _("Reminder (催办): %(number)s: %(clock)s ran out at %(due)s. Act now.") % _words(clock), sms=True)
    return owners


def _run_out(clock: Clock, batch: _Batch) -> None:
    clock.overdue_at = batch.now
    clock.warned_at = clock.warned_at or batch.now
    if clock.kind == ClockKind.BECOMES_MAJOR:
        batch.result.became_major += _make_major(clock.complaint)
        return
    batch.result.overdue += 1
    owners = _chase(clock, batch)
    _escalate(clock, owners, batch)


def _escalate(clock: Clock, owners: list[int], batch: _Batch) -> None:
    """A clock that runs out is reported to the level above its owner, and the complaint carries the mark."""
    complaint = clock.complaint
    batch.escalated.append(complaint.pk)
    batch.events.append(audit.event_for(ComplaintAction.OVERDUE, complaint, actor=None, after={
        "clock": clock.kind, "due": clock.due_at, "note": str(clock.get_kind_display())}))
    above = [user_id for user_id in batch.people_for(recipients.next_level, clock) if user_id not in owners]
    batch.tell(above, clock, "complaint.escalated",
               _("Escalated: %(number)s: %(clock)s ran out at %(due)s without the step being done.") % _words(clock))


def _make_major(complaint: Complaint) -> int:
    """A valid complaint unresolved for a month becomes major, with the major-complaint report."""
    if complaint.severity == Severity.MAJOR:
        return 0
    before = saving.snapshot(complaint)
    complaint.severity = Severity.MAJOR
    Complaint.objects.filter(pk=complaint.pk).update(severity=Severity.MAJOR)
    audit.record(ComplaintAction.BECOMES_MAJOR, complaint, actor=None, before=before, after=saving.snapshot(complaint))
    reports.report_major_complaint(complaint)
    clocks.start(complaint, ClockKind.MAJOR_REPLY)
    return 1
