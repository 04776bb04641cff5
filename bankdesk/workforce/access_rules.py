"""Who may open the workforce pages and call its operations (see core/access.py)."""

from bankdesk.workforce.permissions import WorkforcePermission as P

RULES = {
    "workforce_erlang_c": P.VIEW,
    "workforce_erlang_a": P.VIEW,
}
