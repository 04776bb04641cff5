"""The workforce tables a planner edits: shift templates, agents' work terms, special days.

Each is limited to a unit (a call center or a department of it) or, left empty, applies to the whole
bank; a planner changes only those of the units in their scope (core/config_tables.py)."""

from bankdesk.core.config_tables import ConfigTable, register
from bankdesk.workforce.models import WEEKDAY_FIELDS, ShiftTemplate, SpecialDay, WorkTerms
from bankdesk.workforce.permissions import WorkforcePermission

PLAN = WorkforcePermission.PLAN

for table in [
    ConfigTable("workforce-shift-templates", ShiftTemplate, [
        "code", "name", "unit", "length_minutes", "earliest_start", "latest_start", "start_step_minutes",
        "lunch_minutes", "lunch_earliest_minutes", "lunch_latest_minutes", "break_minutes", "break_offsets",
        "is_active"], PLAN, list_columns=["code", "name", "unit", "length_minutes", "earliest_start", "latest_start",
                                          "lunch_minutes", "is_active"], unit_field="unit"),
    ConfigTable("workforce-work-terms", WorkTerms, [
        "agent", "unit", "weekly_hours", "min_weekly_hours", *WEEKDAY_FIELDS, "available_from", "available_until",
        "templates", "is_active"], PLAN, list_columns=["agent", "unit", "weekly_hours", "min_weekly_hours",
                                                       "available_from", "available_until", "is_active"],
                unit_field="unit"),
    ConfigTable("workforce-special-days", SpecialDay, ["date", "name", "unit", "queue", "factor", "is_active"], PLAN,
                unit_field="unit"),
]:
    register(table)
