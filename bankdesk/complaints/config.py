"""The complaint tables an administrator edits: taxonomies, severity rules, routing rules.

Taxonomies and severity rules apply to the whole bank (only the head office changes them); a
routing rule applies to its unit (the whole bank when it has none) and acts on its departments."""

from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ClosureCode,
    NonAcceptanceReason,
    PauseReason,
    RoutingRule,
    SeverityRule,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.config_tables import ConfigTable, register

TAXONOMY_FIELDS = ["code", "name", "name_en", "sort_order", "is_active"]

for table in [
    ConfigTable("channels", Channel, [*TAXONOMY_FIELDS[:3], "kind", *TAXONOMY_FIELDS[3:]],
                ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("business-categories", BusinessCategory, [*TAXONOMY_FIELDS[:3], "parent", *TAXONOMY_FIELDS[3:]],
                ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("causes", Cause, TAXONOMY_FIELDS, ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("closure-codes", ClosureCode, [*TAXONOMY_FIELDS[:3], "customer_text", *TAXONOMY_FIELDS[3:]],
                ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("non-acceptance-reasons", NonAcceptanceReason, TAXONOMY_FIELDS, ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("pause-reasons", PauseReason, [*TAXONOMY_FIELDS[:3], "requires_notice", *TAXONOMY_FIELDS[3:]],
                ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("severity-rules", SeverityRule, ["condition", "parameter", "severity", "is_active"],
                ComplaintPermission.MANAGE_TAXONOMIES),
    ConfigTable("routing-rules", RoutingRule, ["priority", "name", "business_category", "unit", "min_severity",
                                               "channel", "lead_department", "assisting_departments", "is_active"],
                ComplaintPermission.MANAGE_TAXONOMIES,
                list_columns=["priority", "name", "business_category", "unit", "min_severity", "channel",
                              "lead_department", "is_active"],
                unit_field="unit", touched_unit_fields=("lead_department", "assisting_departments")),
]:
    register(table)
