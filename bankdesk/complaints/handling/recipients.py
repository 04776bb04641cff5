"""Who is told: the owner of a step, the next level up, the approvers. Each answer is one query. And the
link a message to staff carries."""

from bankdesk.complaints.handling import authority
from bankdesk.complaints.models import Clock, ClockKind, Complaint, Status
from bankdesk.core.tree import PATH_SEGMENT_WIDTH
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment


def _holders(roles, paths) -> list[int]:
    return list(RoleAssignment.objects.filter(is_active=True, role__in=roles, unit__path__in=paths)
                .values_list("user_id", flat=True).distinct())


def over(unit: OrgUnit, roles) -> list[int]:
    """Holders of `roles` at the unit and every unit above it."""
    return _holders(roles, unit.ancestor_paths())


def _this_and_parent(unit: OrgUnit) -> list[str]:
    return unit.ancestor_paths()[-2:]


def _by_level(roles, unit: OrgUnit) -> list[list[int]]:
    """Holders of `roles` at the unit and above it, one list per level that has any, nearest first."""
    rows = (RoleAssignment.objects.filter(is_active=True, role__in=roles, unit__path__in=unit.ancestor_paths())
            .values_list("unit__path", "user_id").order_by("-unit__path", "user_id"))
    levels: dict[str, list[int]] = {}
    for path, user_id in rows:
        levels.setdefault(path, []).append(user_id)
    return list(levels.values())


def reviewers(complaint: Complaint) -> list[int]:
    """The nearest consumer-protection office over the unit complained about."""
    return next(iter(_by_level([Role.CONSUMER_PROTECTION], complaint.unit)), [])


def heads(unit: OrgUnit) -> list[int]:
    """The heads of the unit and of the unit above it."""
    return _holders([Role.UNIT_HEAD], _this_and_parent(unit))


def further_extension_approvers(complaint: Complaint) -> list[int]:
    """Who may approve the further extension: the offices and management above the handling institution, and
    the head office's management."""
    found = _holders([Role.CONSUMER_PROTECTION, Role.MANAGEMENT], authority.superior_paths(complaint))
    found += _holders([Role.MANAGEMENT], [complaint.unit_path[:PATH_SEGMENT_WIDTH]])
    return sorted(set(found))


def department_staff(unit: OrgUnit) -> list[int]:
    return _holders([Role.HANDLER, Role.UNIT_HEAD], [unit.path])


def _office_owns(clock: Clock) -> bool:
    """The consumer-protection office answers for the review, the feedback to a regulator that transferred the
    complaint and, until it has routed the complaint, for dispatching it; once routed, the department routed to
    must sign for it."""
    return clock.kind in (ClockKind.ACCEPTANCE, ClockKind.REGULATOR_FEEDBACK) or (
        clock.kind == ClockKind.DISPATCH and clock.complaint.lead_department_id is None)


def owning_unit(clock: Clock) -> OrgUnit:
    if clock.kind == ClockKind.ASSIST:
        return clock.assist_request.department
    complaint = clock.complaint
    if _office_owns(clock) or complaint.lead_department_id is None:
        return complaint.unit
    return complaint.lead_department


def owners(clock: Clock) -> list[int]:
    """Who must act before the clock runs out."""
    complaint = clock.complaint
    if _office_owns(clock):
        return reviewers(complaint)
    if clock.kind == ClockKind.ASSIST:
        return department_staff(clock.assist_request.department)
    if clock.kind == ClockKind.CALLBACK or complaint.status == Status.SCREENING:
        return reviewers(complaint)  # the callback and its screening are the complaint post's
    if complaint.handler_id:
        return [complaint.handler_id]
    return heads(owning_unit(clock))


def next_level(clock: Clock) -> list[int]:
    """The level above the owner: the heads over the owning unit and its consumer-protection office, or,
    when that office owns the clock (acceptance review), the office above it."""
    unit = owning_unit(clock)
    offices = _by_level([Role.CONSUMER_PROTECTION], unit)
    above = offices[1] if _office_owns(clock) and len(offices) > 1 else \
        next(iter(offices), [])
    return _holders([Role.UNIT_HEAD], _this_and_parent(unit)) + above


def complaint_link(complaint: Complaint) -> str:
    """The complaint page, where a message to staff leads."""
    return f"/complaints/{complaint.pk}/"
