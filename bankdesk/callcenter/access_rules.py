"""Who may open the call-center pages and call its operations (see core/access.py)."""

from bankdesk.callcenter.permissions import CallcenterPermission as P
from bankdesk.complaints.permissions import ComplaintPermission

RULES = {
    **{f"callcenter:{name}": P.VIEW for name in ("wallboard", "kpis")},
    **{f"callcenter:{name}": P.IMPORT_STATS for name in (
        "imports", "import_upload", "import_template", "import", "import_errors")},
    **{f"callcenter_{name}": P.VIEW for name in (
        "list_queues", "list_teams", "list_agents", "list_intervals", "kpi_series", "wallboard",
        "list_skills", "get_skill", "get_team", "get_agent")},
    **{f"callcenter_{name}": P.MANAGE for name in (
        "create_skill", "update_skill", "create_team", "update_team", "create_agent", "update_agent")},
    **{f"callcenter:{name}": P.VIEW for name in ("teams", "agents", "skills")},
    **{f"callcenter:{name}": P.MANAGE for name in (
        "team_create", "team_edit", "agent_create", "agent_edit", "skill_create", "skill_edit")},
    **{f"callcenter_{name}": P.IMPORT_STATS for name in ("list_imports", "get_import", "start_import")},
    **{f"callcenter:{name}": ComplaintPermission.ANSWER_CALLERS for name in ("desk", "desk_complaint", "desk_call")},
    **{f"callcenter_{name}": ComplaintPermission.ANSWER_CALLERS for name in (
        "find_caller_complaints", "get_caller_complaint", "log_caller_call")},
    **{f"callcenter:{name}": P.VIEW for name in ("scripts", "script")},
    **{f"callcenter:{name}": P.MANAGE_SCRIPTS for name in ("script_create", "script_edit")},
    **{f"callcenter_{name}": P.VIEW for name in ("list_scripts", "get_script")},
}
