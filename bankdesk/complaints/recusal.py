"""Recusal (回避, docs/domain-rules.md §2): who has no part in a complaint, asked by every door.

The staff member complained about and whoever approved the disputed act neither open the complaint's
record, nor take any of its steps (handle, propose, approve, screen, call back), nor are chosen as its
handler; a complaint about a unit's head is handled one level up (`lead_department_for`). The callback
and its screening also belong to the complaint post, never to the complaint's own handler
(`complaint_post_refusal`).
"""

from django.db.models import Exists, IntegerField, OuterRef, Q, Value
from django.utils.translation import gettext as _

from bankdesk.complaints.models import Complaint
from bankdesk.core.errors import PermissionDenied
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment, next_path

APPROVERS = Complaint.disputed_act_approvers.through


def recused_user_ids(complaint: Complaint) -> set[int]:
    """The staff member complained about and who approved the disputed act."""
    recused = set(APPROVERS.objects.filter(complaint_id=complaint.pk).values_list("user_id", flat=True))
    if complaint.staff_concerned_id:
        recused.add(complaint.staff_concerned_id)
    return recused


def recused_annotation(user_id: int) -> dict:
    """Annotations for a complaint query telling whether the user is recused, read with the complaint itself."""
    approved = Exists(APPROVERS.objects.filter(complaint_id=OuterRef("pk"), user_id=user_id))
    return {"recusal_user_id": Value(user_id, IntegerField()), "recusal_approved_act": approved}


def is_recused(user, complaint: Complaint) -> bool:
    if complaint.staff_concerned_id == user.pk:
        return True
    if getattr(complaint, "recusal_user_id", None) == user.pk:  # read with the complaint (recused_annotation)
        return bool(complaint.recusal_approved_act)
    return APPROVERS.objects.filter(complaint_id=complaint.pk, user_id=user.pk).exists()


def refusal(user, complaint: Complaint) -> PermissionDenied | None:
    if is_recused(user, complaint):
        return PermissionDenied(_("You are concerned by complaint %(number)s (complained about, or you approved the "
                                  "disputed act): you have no part in it (recusal).")
                                % {"number": complaint.tracking_number})
    return None


def require_not_recused(user, complaint: Complaint) -> None:
    """403 for a user concerned by the complaint."""
    denied = refusal(user, complaint)
    if denied is not None:
        raise denied


def not_concerning(user, prefix: str = "") -> Q:
    """On a queryset of complaints (or of rows whose complaint is at `prefix`): those not concerning `user`."""
    approved = APPROVERS.objects.filter(complaint_id=OuterRef(f"{prefix}pk"), user_id=user.pk)
    return ~Q(**{f"{prefix}staff_concerned_id": user.pk}) & ~Exists(approved)


def complaint_post_refusal(user, complaint: Complaint) -> PermissionDenied | None:
    """The callback and its screening belong to the complaint post, never to the complaint's own handler."""
    if complaint.handler_id == user.pk:
        return PermissionDenied(_("The complaint's own handler does not call back or screen the customer's answer: "
                                  "the complaint post (consumer-protection office or callback seats) does."))
    return refusal(user, complaint)


def headed_units(complaint: Complaint) -> list[OrgUnit]:
    """The units whose head the complaint is about."""
    if not complaint.staff_concerned_id:
        return []
    unit_ids = RoleAssignment.objects.filter(user_id=complaint.staff_concerned_id, role=Role.UNIT_HEAD,
                                             is_active=True).values("unit_id")
    return list(OrgUnit.objects.filter(pk__in=unit_ids))


def _within(path: str, unit: OrgUnit) -> bool:
    return unit.path <= path < next_path(unit.path)


def lead_department_for(complaint: Complaint, department: OrgUnit) -> OrgUnit:
    """The department that leads: one level above the unit whose head the complaint is about, when the
    department chosen lies within it."""
    above = [unit for unit in headed_units(complaint) if _within(department.path, unit) and unit.parent_id]
    if not above:
        return department
    return min(above, key=lambda unit: len(unit.path)).parent


def subordinate_paths(complaint: Complaint) -> list[str]:
    """The subtrees the concerned head runs: their staff do not handle a complaint about their head."""
    return [unit.path for unit in headed_units(complaint)]
