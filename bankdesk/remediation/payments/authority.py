"""Authority limits (授权额度): how much a user may approve on a payment order.

A limit belongs to a role at a unit's subtree (the table `AuthorityLimit`, edited by the administrator
through core's config-table page, every change audited). For each role the user holds over the order's
complaint, the most specific active entry whose unit contains it counts (a bank-wide entry has no unit);
a role with no entry falls back to the complaints' approval-limit rule of the role, so the defaults (head
5,000 / consumer protection 50,000 / management 1,000,000 yuan) are declared once, in complaints."""

from decimal import Decimal

from bankdesk.complaints.state_machine import APPROVAL_LIMIT_RULES
from bankdesk.core import rules
from bankdesk.core.permissions import roles_over
from bankdesk.remediation.models import AuthorityLimit


def _entry_for(entries, role: str, paths) -> AuthorityLimit | None:
    """The most specific entry of `role` whose unit contains one of `paths` (bank-wide: no unit)."""
    fitting = [entry for entry in entries if entry.role == role and (
        entry.unit_id is None or any(path and path.startswith(entry.unit.path) for path in paths))]
    return max(fitting, key=lambda entry: len(entry.unit.path) if entry.unit_id else 0, default=None)


def role_limits(roles, paths) -> dict[str, Decimal]:
    """{role: limit} for the `roles` over units at `paths`, read in one query."""
    entries = list(AuthorityLimit.objects.filter(role__in=list(roles), is_active=True).select_related("unit"))
    limits = {}
    for role in roles:
        entry = _entry_for(entries, role, paths)
        if entry is not None:
            limits[role] = entry.limit_yuan
        elif role in APPROVAL_LIMIT_RULES:
            limits[role] = rules.get(APPROVAL_LIMIT_RULES[role])
    return limits


def limit_of(user, complaint) -> Decimal:
    """The largest amount `user` may approve on an order about `complaint`."""
    paths = [complaint.unit_path, complaint.lead_department_path]
    held = roles_over(user, paths)
    return max(role_limits(held, paths).values(), default=Decimal("0"))

