"""Who may open core's pages and call its operations (see core/access.py)."""

from bankdesk.core.access import PUBLIC, SIGNED_IN
from bankdesk.core.permissions import CorePermission as P

RULES = {
    "home": SIGNED_IN, "login": PUBLIC, "logout": PUBLIC, "set_language": PUBLIC,
    "core:audit": P.VIEW_AUDIT, "core:audit_event": P.VIEW_AUDIT, "core:inbox": SIGNED_IN, "core:nav_counts": SIGNED_IN, "core:inbox_read": SIGNED_IN, "core:inbox_open": SIGNED_IN,
    "core:inbox_read_all": SIGNED_IN, "core:rules": P.MANAGE_RULES, "core:rule_edit": P.MANAGE_RULES,
    "core:calendar": P.MANAGE_CALENDAR,
    # Config tables: each app's table declares its own right, which the view and config_tables.save_entry ask
    "core:config_table": SIGNED_IN, "core:config_table_create": SIGNED_IN, "core:config_table_edit": SIGNED_IN,
    "core_health": PUBLIC, "core_add_working_days": SIGNED_IN, "core_working_days_between": SIGNED_IN,
    "core_list_audit_events": P.VIEW_AUDIT,
    # Exports: every user has their own; the export's kind asks its permission at request and download
    "core:exports": SIGNED_IN, "core:export_request": SIGNED_IN, "core:export_download": SIGNED_IN,
    "core_request_export": SIGNED_IN, "core_list_exports": SIGNED_IN, "core_get_export": SIGNED_IN,
    "core_download_export": SIGNED_IN,
}
