"""The quality tables an administrator edits (core/config_tables.py): the scam types of interceptions,
a list for the whole bank."""

from bankdesk.core.config_tables import ConfigTable, register
from bankdesk.quality.models import ScamType
from bankdesk.quality.permissions import QualityPermission

register(ConfigTable("scam-types", ScamType, ["code", "name", "sort_order", "is_active"],
                     QualityPermission.MANAGE_TABLES))
