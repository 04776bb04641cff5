"""Who may open the workforce pages and call its operations (see core/access.py)."""

from bankdesk.workforce.permissions import WorkforcePermission as P

RULES = {
    **{f"workforce:{name}": P.VIEW for name in ("calculator", "forecasts", "forecast", "rosters", "roster",
                                                "absences")},
    **{f"workforce:{name}": P.PLAN for name in ("absence_create", "absence_edit")},
    **{f"workforce:{name}": P.PLAN for name in (
        "forecast_create", "roster_create", "roster_publish", "shift_add", "shift_edit", "shift_cancel")},
    "workforce:my_schedule": P.OWN_SCHEDULE,
    "workforce_erlang_c": P.VIEW,
    "workforce_list_absences": P.VIEW,
    "workforce_get_absence": P.VIEW,
    "workforce_create_absence": P.PLAN,
    "workforce_update_absence": P.PLAN,
    "workforce_erlang_a": P.VIEW,
}
