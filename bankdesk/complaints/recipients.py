"""Who is told: the owner of a step, the next level up, the approvers. Each answer is one query."""

from bankdesk.complaints.models import Clock, ClockKind, Complaint
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment


def _holders(roles, paths) -> list[int]:
    return list(RoleAssignment.objects.filter(is_active=True, role__in=roles, unit__path__in=paths)
                .values_list("user_id", flat=True).distinct())


def _this_and_parent(unit: OrgUnit) -> list[str]:
    return unit.ancestor_paths()[-2:]


def reviewers(complaint: Complaint) -> list[int]:
    """The consumer-protection officers over the unit complained about."""
    return _holders([Role.CONSUMER_PROTECTION], complaint.unit.ancestor_paths())


def heads(unit: OrgUnit) -> list[int]:
    """The heads of the unit and of the unit above it."""
    return _holders([Role.UNIT_HEAD], _this_and_parent(unit))


def department_staff(unit: OrgUnit) -> list[int]:
    return _holders([Role.HANDLER, Role.UNIT_HEAD], [unit.path])


def owning_unit(clock: Clock) -> OrgUnit:
    if clock.kind == ClockKind.ASSIST:
        return clock.assist_request.department
    complaint = clock.complaint
    if clock.kind in (ClockKind.ACCEPTANCE, ClockKind.DISPATCH) or complaint.lead_department_id is None:
        return complaint.unit
    return complaint.lead_department


def owners(clock: Clock) -> list[int]:
    """Who must act before the clock runs out."""
    complaint = clock.complaint
    if clock.kind in (ClockKind.ACCEPTANCE, ClockKind.DISPATCH):
        return reviewers(complaint)
    if clock.kind == ClockKind.ASSIST:
        return department_staff(clock.assist_request.department)
    if complaint.handler_id:
        return [complaint.handler_id]
    return heads(owning_unit(clock))


def next_level(clock: Clock) -> list[int]:
    """The level above the owner: the heads over the owning unit and the consumer-protection office."""
    unit = owning_unit(clock)
    return _holders([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], _this_and_parent(unit))
