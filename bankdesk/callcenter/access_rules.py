"""Who may open the call-center pages and call its operations (see core/access.py)."""

from bankdesk.callcenter.permissions import CallcenterPermission as P

RULES = {
    **{f"callcenter:{name}": P.IMPORT_STATS for name in (
        "imports", "import_upload", "import_template", "import", "import_errors")},
}
