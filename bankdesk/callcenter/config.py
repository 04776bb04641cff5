"""The call-center tables an administrator or the call center's head edits: queues and call reasons.

A queue belongs to its unit (the call center or one of its departments), so a head changes only those of the
units in their scope. Teams, agents and skills have pages of their own (views.py, services.py)."""

from bankdesk.callcenter.models import CallReason, Queue
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.config_tables import ConfigTable, register

MANAGE = CallcenterPermission.MANAGE

for table in [
    ConfigTable("callcenter-queues", Queue, ["code", "name", "unit", "skill", "service_level_seconds",
                                             "service_level_percent", "sort_order", "is_active"], MANAGE,
                unit_field="unit"),
    ConfigTable("callcenter-reasons", CallReason, ["code", "name", "sort_order", "is_active"],
                CallcenterPermission.MANAGE_SCRIPTS),
]:
    register(table)
