"""Who may approve the further extension (docs/domain-rules.md §2 "Deadlines").

The regulation lets an especially complex case run 30 more days (60 in all) only with the approval of the
superior institution (上级机构: its consumer-protection office, or whoever holds the right there) or of the head
office's senior management (总行高级管理人员). The institution handling the complaint is the lead department's
(or, before routing, the unit's) nearest unit that is not a department; approvers at that institution itself do
not count.
"""

from bankdesk.complaints.models import Complaint
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.permissions import roles_over, scope_paths
from bankdesk.core.tree import PATH_SEGMENT_WIDTH
from bankdesk.orgs.models import OrgUnit, Role, UnitKind


def handling_institution(complaint: Complaint) -> OrgUnit:
    """The nearest unit over the handling department that is an institution (总行, 分行, 支行, 网点, call center)."""
    unit = complaint.lead_department or complaint.unit
    return (OrgUnit.objects.filter(path__in=unit.ancestor_paths()).exclude(kind=UnitKind.DEPARTMENT)
            .order_by("-path").first() or unit)


def superior_paths(complaint: Complaint) -> list[str]:
    """The paths strictly above the handling institution (empty for a complaint the head office handles)."""
    return handling_institution(complaint).ancestor_paths()[:-1]


def may_approve_further_extension(user, complaint: Complaint) -> bool:
    """A holder of the right at a unit above the handling institution, or management at the head office."""
    above = set(superior_paths(complaint))
    if any(path in above for path in scope_paths(user, ComplaintPermission.APPROVE_FURTHER_EXTENSION)):
        return True
    return Role.MANAGEMENT in roles_over(user, [complaint.unit_path[:PATH_SEGMENT_WIDTH]])
