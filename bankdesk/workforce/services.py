"""The planner's changes to a roster: add, change and cancel shifts, publish it to the agents; and the agents'
absences (leave, unavailability by date range) the solver keeps them off on.

Every change is checked against the roster's week, the shift length limit, the agent's other shifts
(no overlap, the rest between shifts) and absences, and audited with the shift as it was and as it is."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, rules
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.inputs import text_problem
from bankdesk.core.permissions import require_in_scope
from bankdesk.workforce.audit_actions import WorkforceAction
from bankdesk.workforce.models import Absence, AbsenceKind, Roster, RosterShift, RosterStatus
from bankdesk.workforce.permissions import WorkforcePermission
from bankdesk.workforce.rostering import roster_agents

SHIFT_FIELDS = ["agent", "starts_at", "ends_at", "lunch_starts_at", "lunch_minutes", "breaks", "is_active"]
EDITABLE = (RosterStatus.DRAFT, RosterStatus.PUBLISHED)


@dataclass(frozen=True)
class ShiftInput:
    agent: object  # callcenter.Agent
    starts_at: datetime
    ends_at: datetime
    lunch_starts_at: datetime | None = None
    lunch_minutes: int = 0


def _editable(actor, roster: Roster) -> None:
    require_in_scope(actor, WorkforcePermission.PLAN, roster.unit)
    if roster.status not in EDITABLE:
        raise Conflict(_("Only a solved roster can be changed."))


def _check_times(roster: Roster, data: ShiftInput) -> None:
    if data.ends_at <= data.starts_at:
        raise ValidationFailed(_("The shift must end after it starts."), field="ends_at")
    longest = rules.get("workforce.max_shift_hours")
    if data.ends_at - data.starts_at > timedelta(hours=longest):
        raise ValidationFailed(_("A shift lasts %(hours)d hours at most.") % {"hours": longest}, field="ends_at")
    day = timezone.localtime(data.starts_at).date()
    if not roster.week_start <= day < roster.week_start + timedelta(days=7):
        raise ValidationFailed(_("The shift must start within the roster's week (%(first)s to %(last)s).") % {
            "first": roster.week_start, "last": roster.week_start + timedelta(days=6)}, field="starts_at")
    if data.lunch_starts_at is not None:
        lunch_end = data.lunch_starts_at + timedelta(minutes=data.lunch_minutes)
        if data.lunch_minutes <= 0 or data.lunch_starts_at < data.starts_at or lunch_end > data.ends_at:
            raise ValidationFailed(_("Lunch must lie within the shift."), field="lunch_starts_at")


def _check_agent(roster: Roster, data: ShiftInput, shift: RosterShift | None) -> None:
    if not roster_agents(roster.queue).filter(pk=data.agent.pk).exists():
        raise ValidationFailed(_("The agent does not work on this queue."), field="agent")
    rest = timedelta(hours=rules.get("workforce.min_rest_hours"))
    neighbours = RosterShift.objects.filter(
        agent=data.agent, is_active=True, starts_at__lt=data.ends_at + rest, ends_at__gt=data.starts_at - rest)
    day = timezone.localtime(data.starts_at).date()
    absence = Absence.objects.filter(agent=data.agent, is_active=True, first_day__lte=day, last_day__gte=day).first()
    if absence is not None:
        raise ValidationFailed(_("The agent is absent on %(day)s (%(kind)s).") % {
            "day": day, "kind": absence.get_kind_display()}, field="starts_at")
    for other in neighbours.exclude(pk=shift.pk if shift else None):
        if other.starts_at < data.ends_at and data.starts_at < other.ends_at:
            raise ValidationFailed(_("The agent already works %(when)s.") % {"when": _when(other)}, field="starts_at")
        raise ValidationFailed(_("The agent needs %(hours)s hours of rest after or before the shift %(when)s.") % {
            "hours": rules.get("workforce.min_rest_hours"), "when": _when(other)}, field="starts_at")


def _when(shift: RosterShift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{start:%m-%d %H:%M}–{end:%H:%M}"


def _breaks_within(breaks: list, data: ShiftInput) -> list:
    length = (data.ends_at - data.starts_at).total_seconds() // 60
    return [[offset, minutes] for offset, minutes in breaks if offset + minutes <= length]


def _apply(shift: RosterShift, data: ShiftInput) -> None:
    shift.agent, shift.starts_at, shift.ends_at = data.agent, data.starts_at, data.ends_at
    shift.lunch_starts_at = data.lunch_starts_at
    shift.lunch_minutes = data.lunch_minutes if data.lunch_starts_at else 0
    shift.breaks = _breaks_within(shift.breaks, data)


def add_shift(actor, roster: Roster, data: ShiftInput) -> RosterShift:
    _editable(actor, roster)
    _check_times(roster, data)
    with transaction.atomic():
        Roster.objects.select_for_update().filter(pk=roster.pk).first()
        _check_agent(roster, data, None)
        shift = RosterShift(roster=roster)
        _apply(shift, data)
        shift.save()
        audit.record(WorkforceAction.SHIFT_ADD, shift, actor=actor, after=audit.snapshot(shift, SHIFT_FIELDS))
    return shift


def _locked(shift: RosterShift, version: int) -> RosterShift:
    current = RosterShift.objects.select_for_update().get(pk=shift.pk)
    if current.version != version:
        raise Conflict(_("Someone changed this shift first; open it again."))
    return current


def change_shift(actor, shift: RosterShift, data: ShiftInput, version: int) -> RosterShift:
    _editable(actor, shift.roster)
    _check_times(shift.roster, data)
    with transaction.atomic():
        current = _locked(shift, version)
        if not current.is_active:
            raise Conflict(_("The shift was cancelled."))
        _check_agent(shift.roster, data, current)
        before = audit.snapshot(current, SHIFT_FIELDS)
        _apply(current, data)
        current.version += 1
        current.save()
        audit.record(WorkforceAction.SHIFT_UPDATE, current, actor=actor, before=before,
                     after=audit.snapshot(current, SHIFT_FIELDS))
    return current


def cancel_shift(actor, shift: RosterShift, version: int) -> RosterShift:
    _editable(actor, shift.roster)
    with transaction.atomic():
        current = _locked(shift, version)
        if not current.is_active:
            return current
        current.is_active, current.version = False, current.version + 1
        current.save(update_fields=["is_active", "version", "updated_at"])
        audit.record(WorkforceAction.SHIFT_CANCEL, current, actor=actor, before={"is_active": True},
                     after={"is_active": False})
    return current


def publish_roster(actor, roster: Roster) -> Roster:
    """Agents see the roster's shifts from now on; it stays editable."""
    require_in_scope(actor, WorkforcePermission.PLAN, roster.unit)
    with transaction.atomic():
        current = Roster.objects.select_for_update().get(pk=roster.pk)
        if current.status != RosterStatus.DRAFT:
            raise Conflict(_("Only a draft roster can be published."))
        current.status, current.published_at = RosterStatus.PUBLISHED, timezone.now()
        current.save(update_fields=["status", "published_at"])
        audit.record(WorkforceAction.ROSTER_PUBLISH, current, actor=actor, before={"status": RosterStatus.DRAFT},
                     after={"status": RosterStatus.PUBLISHED})
    return current


# --- Absences (leave and unavailability by date range) -----------------------------------------------------------

ABSENCE_FIELDS = ["agent", "unit", "kind", "first_day", "last_day", "note", "is_active"]


@dataclass(frozen=True)
class AbsenceInput:
    agent: object  # callcenter.Agent
    kind: str
    first_day: date
    last_day: date
    note: str = ""
    is_active: bool = True


def _checked_absence(actor, data: AbsenceInput, absence: Absence | None = None) -> AbsenceInput:
    if data.agent is None:
        raise ValidationFailed(_("Choose the agent."), field="agent")
    require_in_scope(actor, WorkforcePermission.PLAN, data.agent.team.unit)
    if data.kind not in AbsenceKind.values:
        raise ValidationFailed(_("Choose the kind of absence."), field="kind")
    if data.first_day is None or data.last_day is None:
        raise ValidationFailed(_("Give the first and the last day."), field="first_day")
    if data.last_day < data.first_day:
        raise ValidationFailed(_("The last day is before the first day."), field="last_day")
    longest = rules.get("workforce.max_absence_days")
    if (data.last_day - data.first_day).days + 1 > longest:
        raise ValidationFailed(_("An absence lasts %(days)d days at most; enter a longer one in parts.") % {
            "days": longest}, field="last_day")
    note = " ".join((data.note or "").split())
    if len(note) > 200 or text_problem(note):
        raise ValidationFailed(_("Write a note of up to 200 characters."), field="note")
    if data.is_active:
        overlapping = Absence.objects.filter(agent=data.agent, is_active=True, first_day__lte=data.last_day,
                                             last_day__gte=data.first_day).exclude(pk=absence.pk if absence else None)
        other = overlapping.first()
        if other is not None:
            raise ValidationFailed(_("The agent is already absent from %(first)s to %(last)s.") % {
                "first": other.first_day, "last": other.last_day}, field="first_day")
    return AbsenceInput(data.agent, data.kind, data.first_day, data.last_day, note, data.is_active)


@transaction.atomic
def create_absence(actor, data: AbsenceInput) -> Absence:
    """Enter an agent's leave or unavailability (a planner over the agent's team's unit); rosters solved after it
    give the agent no shift on those days."""
    from bankdesk.callcenter.models import Agent

    Agent.objects.select_for_update().filter(pk=data.agent.pk if data.agent else None).first()  # one writer an agent
    data = _checked_absence(actor, data)
    absence = Absence.objects.create(agent=data.agent, unit=data.agent.team.unit, kind=data.kind,
                                     first_day=data.first_day, last_day=data.last_day, note=data.note,
                                     is_active=data.is_active, created_by=actor)
    audit.record(WorkforceAction.ABSENCE_CREATE, absence, after=audit.snapshot(absence, ABSENCE_FIELDS), actor=actor)
    return absence


@transaction.atomic
def update_absence(actor, absence: Absence, data: AbsenceInput) -> Absence:
    """Change an absence's days, kind or note, or cancel it (is_active false: it stays, the solver ignores it)."""
    require_in_scope(actor, WorkforcePermission.PLAN, absence.unit)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    data = _checked_absence(actor, data, absence)
    before = audit.snapshot(absence, ABSENCE_FIELDS)
    absence.agent, absence.unit, absence.kind = data.agent, data.agent.team.unit, data.kind
    absence.first_day, absence.last_day, absence.note, absence.is_active = (data.first_day, data.last_day, data.note,
                                                                            data.is_active)
    absence.save()
    audit.record(WorkforceAction.ABSENCE_UPDATE, absence, before=before,
                 after=audit.snapshot(absence, ABSENCE_FIELDS), actor=actor)
    return absence
