"""Whose complaints a remediation right reaches: like the complaints' handling steps, a right over the
complaint's unit or over its lead department (complaints.state_machine.in_scope)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from bankdesk.complaints.recusal import recused_user_ids
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission, require, scope_q


def over_complaint(user, permission: str, complaint) -> bool:
    if has_permission(user, permission, complaint.unit):
        return True
    return complaint.lead_department_id is not None and has_permission(user, permission, complaint.lead_department)


def require_over_complaint(user, permission: str, complaint) -> None:
    """403 without the right anywhere, 404 when the complaint lies outside the user's reach."""
    require(user, permission)
    if not over_complaint(user, permission, complaint):
        raise NotFound(_("Not found."))


def complaint_q(user, permission: str, prefix: str = "complaint__") -> Q:
    """Rows whose complaint lies in the user's reach (the complaint's unit or lead department)."""
    return scope_q(user, permission, f"{prefix}unit_path") | scope_q(user, permission, f"{prefix}lead_department_path")


def concerned_user_ids(complaint) -> set[int]:
    """Staff whose own conduct the complaint is about: they neither approve its money nor its penalties."""
    return recused_user_ids(complaint)
