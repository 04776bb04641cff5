"""The remediation tables an administrator edits (core/config_tables.py): authority limits per role and unit
(audited like every table entry), the root-cause taxonomy and the penalty ladder."""

from bankdesk.core.config_tables import ConfigTable, register
from bankdesk.remediation.models import AuthorityLimit, PenaltyLevel, RootCause
from bankdesk.remediation.permissions import RemediationPermission as P

register(ConfigTable("authority-limits", AuthorityLimit, ["role", "unit", "limit_yuan", "is_active"],
                     P.MANAGE_LIMITS, unit_field="unit"))
register(ConfigTable("root-causes", RootCause, ["code", "name", "name_en", "sort_order", "is_active"],
                     P.MANAGE_TABLES))
register(ConfigTable("penalty-levels", PenaltyLevel,
                     ["code", "name", "name_en", "fine_yuan", "points", "sort_order", "is_active"], P.MANAGE_TABLES))
