"""The call-center tables an administrator or the call center's head edits: skills, queues, teams.

Skills apply to the whole bank; a queue and a team belong to their unit (the call center or one of
its departments), so a head changes only those of the units in their scope."""

from bankdesk.callcenter.models import CallReason, Queue, Skill, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.config_tables import ConfigTable, register

MANAGE = CallcenterPermission.MANAGE

for table in [
    ConfigTable("callcenter-skills", Skill, ["code", "name", "is_active"], MANAGE),
    ConfigTable("callcenter-queues", Queue, ["code", "name", "unit", "skill", "service_level_seconds",
                                             "service_level_percent", "sort_order", "is_active"], MANAGE,
                unit_field="unit"),
    ConfigTable("callcenter-teams", Team, ["code", "name", "unit", "leader", "is_active"], MANAGE,
                unit_field="unit"),
    ConfigTable("callcenter-reasons", CallReason, ["code", "name", "sort_order", "is_active"],
                CallcenterPermission.MANAGE_SCRIPTS),
]:
    register(table)
