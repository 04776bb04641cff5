"""A report as a file: CSV streamed row by row, or an XLSX workbook (openpyxl) with a sheet per section,
Chinese headers (the reader's language), bold header rows and widths set. Either the latest computation
or the frozen copy."""

import io

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bankdesk.analytics.reports import selectors
from bankdesk.analytics.reports.tables import COLUMNS, SECTIONS
from bankdesk.core.exports import Column, local


def _label(row: dict) -> str:
    english = (get_language() or "").startswith("en")
    return row.get("label_en") if english and row.get("label_en") else row.get("label", "")


def header() -> list[str]:
    return [_("Report section"), _("Code"), _("Item name"), *[str(title) for title in COLUMNS.values()]]


def lines(table: dict):
    """The table as rows of cells: each section's rows and then its total."""
    for section in table.get("sections", []):
        title = str(SECTIONS[section["key"]].title)
        for row in section["rows"]:
            yield [title, row["key"], _label(row), row["count"], row["closed"], row["share"]]
        yield [title, "", _("Total (all rows)"), section["total"], section["closed"], 100.0 if section["total"] else 0.0]


def about(report, copy: str) -> list[list]:
    """What the file is: report, period, unit, when computed, whether this is the frozen copy."""
    frozen = selectors.frozen_copy(report)
    table_time = frozen.computed_at if copy == "frozen" and frozen else report.computed_at
    rows = [[_("Report"), report.get_kind_display()], [_("Period"), f"{report.period_label} "
                                                                     f"({report.period_first} – {report.period_last})"],
            [_("Unit"), f"{report.unit.code} {report.unit.name}"],
            [_("Computed at"), timezone.localtime(table_time).strftime("%Y-%m-%d %H:%M") if table_time else ""],
            [_("Due by"), selectors.due_date(report).isoformat()]]
    if report.frozen_at:
        rows.append([_("Frozen as submitted"), f"{timezone.localtime(report.frozen_at):%Y-%m-%d %H:%M} "
                                               f"{report.frozen_by}"])
    rows.append([_("Figures"), _("Frozen copy") if copy == "frozen" else _("Latest computation")])
    return rows


def filename(report, extension: str, copy: str) -> str:
    suffix = "-frozen" if copy == "frozen" else ""
    return f"report-{report.kind}-{report.period_first:%Y%m}-{report.unit.code}{suffix}.{extension}"


def csv_rows(report, table: dict, copy: str):
    yield from about(report, copy)
    yield []
    yield header()
    yield from lines(table)


def xlsx_bytes(report, table: dict, copy: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([report.get_kind_display()])
    summary["A1"].font = Font(bold=True, size=14)
    for row in about(report, copy):
        summary.append(row)
        summary.cell(row=summary.max_row, column=1).font = bold
    summary.append([_("Complaint count"), table.get("total", 0)])
    summary.append([_("Closed"), table.get("closed", 0)])
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 40
    for section in table.get("sections", []):
        sheet = workbook.create_sheet(str(SECTIONS[section["key"]].title)[:31])
        titles = [_("Code"), _("Item name"), *[str(title) for title in COLUMNS.values()]]
        sheet.append(titles)
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
        for row in section["rows"]:
            sheet.append([row["key"], _label(row), row["count"], row["closed"], row["share"]])
        sheet.append(["", _("Total (all rows)"), section["total"], section["closed"], 100.0 if section["total"] else 0.0])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
            row[0].number_format = "0.0"
        for letter, width in zip("ABCDE", (16, 36, 12, 12, 12)):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The report as a background export (core/exports.py): CSV, XLSX or PDF with a bar chart per section ----------

EXPORT_KIND = "analytics.report"
CHART_ROWS = 12  # bars per chart: the largest rows of the section


def _chosen(user, filters):
    """The report of `filters` ("report": its id, "copy": "frozen" for the frozen copy) within the user's scope
    (NotFound otherwise), the copy and its table."""
    from bankdesk.core.errors import NotFound, ValidationFailed

    try:
        report_id = int(filters.get("report", ""))
    except ValueError:
        raise ValidationFailed(_("Choose a report."), field="filters.report")
    if not 1 <= report_id <= 2**63 - 1:
        raise ValidationFailed(_("Choose a report."), field="filters.report")
    report = selectors.report(user, report_id)
    copy = "frozen" if filters.get("copy") == "frozen" else "current"
    frozen = selectors.frozen_copy(report)
    if report.computed_at is None or (copy == "frozen" and frozen is None):
        raise NotFound(_("The report has no table to export yet."))
    return report, copy, frozen.rows if copy == "frozen" else report.rows


def recheck(user, filters) -> None:
    """At download: the report is still within the user's scope."""
    _chosen(user, filters)


def export_document(user, filters):
    """The report as an export: a sheet per section (code, item, the figures, the section's total in bold)
    with a bar chart of its largest rows, and the lines saying what it is."""
    from bankdesk.core import exports as core_exports

    report, copy, table = _chosen(user, filters)
    titles = [_("Code"), _("Item name"), *[str(title) for title in COLUMNS.values()]]
    sheets = []
    for section in table.get("sections", []):
        title = str(SECTIONS[section["key"]].title)
        rows = [[row["key"], _label(row), row["count"], row["closed"], row["share"]] for row in section["rows"]]
        rows.append([None, _("Total (all rows)"), section["total"], section["closed"],
                     100.0 if section["total"] else 0.0])
        bars = [(_label(row) or row["key"], row["count"]) for row in section["rows"][:CHART_ROWS]]
        sheets.append(core_exports.Sheet(title, titles, rows, len(rows), widths=[16, 36, 12, 12, 12],
                                         number_formats={4: "0.0"}, bold_last=True,
                                         chart=core_exports.Chart(title, bars)))
    described = [(str(label), str(value)) for label, value in about(report, copy)]
    described += [(_("Complaint count"), str(table.get("total", 0))), (_("Closed"), str(table.get("closed", 0)))]
    name = filename(report, "x", copy).rsplit(".", 1)[0]
    return core_exports.Document(f"{report.get_kind_display()} {report.period_label} {report.unit.name}", name,
                                 sheets, about=described)


# --- The list of reports as a background export ----------------------------------------------------------------------

def _submitted(report) -> str:
    if not report.submitted:
        return ""
    return f"{report.frozen_at:%Y-%m-%d %H:%M} {report.frozen_by}" if report.frozen_at else str(_("yes"))


LIST_COLUMNS = [
    Column(_lazy("Period"), lambda report: report.period_label),
    Column(_lazy("Report"), lambda report: report.get_kind_display()),
    Column(_lazy("Unit"), lambda report: report.unit.name),
    Column(_lazy("Complaints"), lambda report: report.rows.get("total") if report.computed_at else None),
    Column(_lazy("Status"), lambda report: report.get_status_display()),
    Column(_lazy("Computed at"), lambda report: local(report.computed_at)),
    Column(_lazy("Due by"), lambda report: selectors.due_date(report).isoformat()),
    Column(_lazy("overdue"), lambda report: _("yes") if selectors.is_overdue(report) else ""),
    Column(_lazy("Submitted"), _submitted),
]
