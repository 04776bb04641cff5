"""The tables of a regulatory report, computed by the database: for each section (business category, cause,
channel, region, outcome) one GROUP BY over the complaints received in the period that the requester may
see under the report's unit, and one query for the section's labels. Nothing is loaded row by row.

The table is stored as JSON (RegulatoryReport.rows): the codes and the names as they were at computation,
so a frozen copy keeps the names it was submitted with. `differences` compares two tables cell by cell.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Cast, Concat, Substr
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.analytics.figures import subtree_q
from bankdesk.analytics.periods import Period
from bankdesk.analytics.reports.models import ReportKind
from bankdesk.analytics.selectors import complaints_received
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ClosureCode,
    Status,
)
from bankdesk.core.tree import PATH_SEGMENT_WIDTH
from bankdesk.orgs.models import OrgUnit

# The figures of a row: complaints received, of them closed (办结) when computed, share of the section's total
COLUMNS = {"count": gettext_lazy("Complaint count"), "closed": gettext_lazy("Closed"),
           "share": gettext_lazy("Share (%)")}


def _both(text_of) -> tuple[str, str]:
    """A label in Chinese and in English (the table keeps both; the page shows the reader's)."""
    with translation.override("zh-hans"):
        chinese = str(text_of())
    with translation.override("en"):
        return chinese, str(text_of())


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    field: str = ""  # the complaint's taxonomy column grouped on
    model: type | None = None

    def group(self, unit: OrgUnit):
        if self.key == "region":  # each complaint counts for the unit one level under `unit` whose subtree holds it
            return Substr("unit_path", 1, len(unit.path) + PATH_SEGMENT_WIDTH)
        if self.key == "outcome":
            return OUTCOME
        return F(f"{self.field}_id")

    def labels(self, keys, unit: OrgUnit) -> dict:
        """{group key: (code, Chinese name, English name)} in one query."""
        if self.key == "region":
            units = OrgUnit.objects.filter(path__in=[key for key in keys if key]).only("path", "code", "name",
                                                                                         "name_en")
            found = {item.path: (item.code, item.name, item.name_en or item.name) for item in units}
            if unit.path in found:  # complaints about the unit itself, not about a unit under it
                code, chinese, english = found[unit.path]
                with translation.override("zh-hans"):
                    chinese = _("%(unit)s (its own office)") % {"unit": chinese}
                with translation.override("en"):
                    english = _("%(unit)s (its own office)") % {"unit": english}
                found[unit.path] = (code, chinese, english)
            return found
        if self.key == "outcome":
            return _outcome_labels(keys)
        related = self.model.objects.filter(pk__in=[key for key in keys if key is not None])
        if self.model is BusinessCategory:
            related = related.select_related("parent")
        found = {}
        for item in related:
            english = item.name_en or item.name
            if getattr(item, "parent", None) is not None:
                found[item.pk] = (item.code, f"{item.parent.name} / {item.name}",
                                  f"{item.parent.name_en or item.parent.name} / {english}")
            else:
                found[item.pk] = (item.code, item.name, english)
        if None in keys:
            found[None] = ("", *_both(lambda: _("None")))
        return found


# The outcome of a complaint: "c<closure code id>" when closed (a closed complaint without a code: "c"), the
# status when it ended without a decision (not accepted, withdrawn, merged), "open" while it is handled.
ENDED_WITHOUT_DECISION = [Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED]
OUTCOME = Case(
    When(status=Status.CLOSED, then=Concat(Value("c"), Cast("closure_code_id", CharField()))),
    *[When(status=status, then=Value(status.value)) for status in ENDED_WITHOUT_DECISION],
    default=Value("open"), output_field=CharField())


def _outcome_labels(keys) -> dict:
    """{outcome key: (code, Chinese, English)}: closure codes by their code; the others by the status."""
    ids = [int(key[1:]) for key in keys if key.startswith("c") and key[1:].isdigit()]
    found = {f"c{code.pk}": (code.code, code.name, code.name_en or code.name)
             for code in ClosureCode.objects.filter(pk__in=ids)}
    for key in keys:
        if key == "open":
            found[key] = ("", *_both(lambda: _("Not yet closed")))
        elif key == "c":
            found[key] = ("closed", *_both(lambda: _("Closed without a closure code")))
        elif key in Status.values:
            found[key] = (key, *_both(lambda key=key: Status(key).label))
    return found


SECTIONS = {section.key: section for section in [
    Section("business_category", gettext_lazy("By business category"), "business_category", BusinessCategory),
    Section("cause", gettext_lazy("By cause"), "cause", Cause),
    Section("channel", gettext_lazy("By channel"), "channel", Channel),
    Section("region", gettext_lazy("By region")),
    Section("outcome", gettext_lazy("By outcome (closure code)"), "closure_code", ClosureCode),
]}
STATISTICS = ["business_category", "cause", "channel", "region", "outcome"]
# The annual public disclosure: the volume (the table's total), the categories and the regions
SECTIONS_OF = {ReportKind.MONTHLY: STATISTICS, ReportKind.QUARTERLY: STATISTICS, ReportKind.HALF_YEARLY: STATISTICS,
               ReportKind.ANNUAL: STATISTICS, ReportKind.DISCLOSURE: ["business_category", "region"]}


def _share(count: int, total: int) -> float:
    return round(count * 100 / total, 1) if total else 0.0


def compute(user, kind: str, period: Period, unit: OrgUnit, progress=None) -> dict:
    """The report's table: {"total", "closed", "sections": [{"key", "total", "closed", "rows": [{"key",
    "label", "label_en", "count", "closed", "share"}]}]}; `progress(percent)` is told after each section."""
    complaints = complaints_received(user, period).filter(subtree_q(unit))
    keys = SECTIONS_OF[kind]
    sections = []
    for index, key in enumerate(keys):
        section = SECTIONS[key]
        grouped = list(complaints.values(group=section.group(unit))
                       .annotate(count=Count("pk"), closed=Count("pk", filter=Q(status=Status.CLOSED)))
                       .order_by())
        names = section.labels([row["group"] for row in grouped], unit)
        total = sum(row["count"] for row in grouped)
        rows = []
        for row in grouped:
            code, chinese, english = names.get(row["group"], (str(row["group"] or ""), "—", "—"))
            rows.append({"key": code, "label": chinese, "label_en": english, "count": row["count"],
                         "closed": row["closed"], "share": _share(row["count"], total)})
        rows.sort(key=lambda row: (-row["count"], row["key"]))
        sections.append({"key": key, "total": total, "closed": sum(row["closed"] for row in rows), "rows": rows})
        if progress:
            progress(int((index + 1) * 100 / len(keys)))
    first = sections[0] if sections else {"total": 0, "closed": 0}
    return {"total": first["total"], "closed": first["closed"], "sections": sections}


TOTAL_KEY = "__total__"


def _cells(table: dict) -> dict:
    """{(section, row key): row} with each section's total as the row TOTAL_KEY."""
    cells = {}
    for section in (table or {}).get("sections", []):
        for row in section["rows"]:
            cells[(section["key"], row["key"])] = row
        cells[(section["key"], TOTAL_KEY)] = {"key": TOTAL_KEY, "count": section["total"],
                                               "closed": section["closed"], "share": 100.0 if section["total"] else 0.0}
    return cells


def differences(frozen: dict, current: dict) -> list[dict]:
    """Every cell whose value differs between the frozen copy and the current table, in the frozen copy's
    order, then rows only the current table has: {"section", "key", "label", "label_en", "column", "frozen",
    "current", "change"} (a row missing on one side counts as 0 there)."""
    before, after = _cells(frozen), _cells(current)
    changed = []
    for place in [*before, *[place for place in after if place not in before]]:
        old, new = before.get(place), after.get(place)
        row = old or new
        for column in COLUMNS:
            old_value = old[column] if old else 0
            new_value = new[column] if new else 0
            if old_value != new_value:
                changed.append({"section": place[0], "key": place[1], "label": row.get("label", ""),
                                "label_en": row.get("label_en", ""), "column": column, "frozen": old_value,
                                "current": new_value, "change": round(new_value - old_value, 1)})
    return changed
