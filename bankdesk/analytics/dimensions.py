"""The dimensions figures are broken down by: each names the complaint's column it groups on, the
stable key and the label read in the same GROUP BY query (joined), and the complaint list's filter that
shows the complaints behind a row (none where the list has no such filter)."""

from dataclasses import dataclass

from django.db.models import F, Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import Severity


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    relation: str = ""  # a taxonomy or unit joined for its code and name
    column: str = ""  # a plain column (severity)
    list_filter: str = ""  # the complaint list's query parameter, given the row's id

    def values(self, prefix: str = "") -> dict:
        """The expressions of the GROUP BY: the row's id, key and names (`prefix` reaches the complaint
        from another table, "complaint__")."""
        if self.relation:
            relation = f"{prefix}{self.relation}"
            return {"row_id": F(f"{relation}_id"), "key": F(f"{relation}__code"),
                    "name": F(f"{relation}__name"), "name_en": F(f"{relation}__name_en")}
        return {"row_id": F(f"{prefix}{self.column}"), "key": F(f"{prefix}{self.column}"), "name": Value(""),
                "name_en": Value("")}

    def label_of(self, row: dict) -> str:
        if self.name == "severity":
            return str(Severity(row["row_id"]).label) if row["row_id"] else ""
        if row["key"] is None:
            return str(_("Not yet closed")) if self.name == "closure_code" else str(_("None"))
        english = (get_language() or "").startswith("en") and row.get("name_en")
        return row["name_en"] if english else row["name"]

    def key_of(self, row: dict) -> str:
        return "" if row["key"] is None else str(row["key"])


DIMENSIONS = {dimension.name: dimension for dimension in [
    Dimension("channel", _("Channel"), relation="channel", list_filter="channel"),
    Dimension("business_category", _("Business category"), relation="business_category",
              list_filter="business_category"),
    Dimension("cause", _("Cause"), relation="cause"),
    Dimension("unit", _("Unit concerned"), relation="unit", list_filter="unit"),
    Dimension("severity", _("Severity"), column="severity", list_filter="severity"),
    Dimension("closure_code", _("Closure code"), relation="closure_code"),
]}
