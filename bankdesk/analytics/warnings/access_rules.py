"""Who may open the early-warning pages and call its operations (see core/access.py)."""

from bankdesk.analytics.warnings.permissions import WarningPermission as P

RULES = {
    "analytics:warnings": P.VIEW_WARNINGS,
    "analytics:warning": P.VIEW_WARNINGS,
    "analytics:warning_handle": P.HANDLE_WARNINGS,
    "analytics_list_warnings": P.VIEW_WARNINGS,
    "analytics_get_warning": P.VIEW_WARNINGS,
    "analytics_handle_warning": P.HANDLE_WARNINGS,
}
