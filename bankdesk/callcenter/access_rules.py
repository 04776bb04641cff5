"""Who may open the call-center pages and call its operations (see core/access.py)."""

from bankdesk.callcenter.permissions import CallcenterPermission as P

RULES = {
    **{f"callcenter:{name}": P.VIEW for name in ("wallboard", "kpis")},
    **{f"callcenter:{name}": P.IMPORT_STATS for name in (
        "imports", "import_upload", "import_template", "import", "import_errors")},
    **{f"callcenter_{name}": P.VIEW for name in (
        "list_queues", "list_teams", "list_agents", "list_intervals", "kpi_series", "wallboard")},
    **{f"callcenter_{name}": P.IMPORT_STATS for name in ("list_imports", "get_import", "start_import")},
}
