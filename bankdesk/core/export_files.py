"""An export's Document (core/exports.py) written to a binary file: CSV, XLSX or PDF.

Each writer reads the sheets' rows once, in order, holding one chunk at a time, and calls `progress(rows
written so far)` after every chunk, so the job's page can show how far it is:
- CSV: UTF-8 with the BOM Excel needs for Chinese; the lines about the export, then each sheet (its title
  when there are several) with its header; a cell Excel would run as a formula starts with "'".
- XLSX: openpyxl in write-only mode (rows go to disk, memory stays flat): a summary sheet with the title and
  the lines about the export, then a sheet per table with a bold shaded header, frozen under the header,
  column widths and number formats set, a totals row in bold.
- PDF: ReportLab with the CID font STSong-Light (Chinese without embedding a font file), landscape A4 (A3
  for wide tables), the title and lines about it, a bar chart where the sheet has one, the table in blocks
  whose header repeats on every page, page numbers at the foot.
"""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from bankdesk.core.exports import Document, Sheet

CHUNK = 1000  # rows between two progress reports
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PDF_FONT = "STSong-Light"
PDF_BLOCK = 250  # rows per PDF table (a table is laid out whole: smaller blocks keep memory and time flat)
PDF_WIDE_COLUMNS = 9  # from this many columns the page is A3
CHART_BARS = 12


def safe_text(value):
    """A text cell no spreadsheet runs as a formula; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class _Counted:
    """The rows written so far across the document's sheets, calling progress(rows written) every CHUNK rows."""

    def __init__(self, progress: Callable[[int], None] | None):
        self.written = 0
        self.progress = progress

    def rows(self, sheet: Sheet):
        for row in sheet.rows:
            yield row
            self.written += 1
            if self.progress and self.written % CHUNK == 0:
                self.progress(self.written)


def write_csv(document: Document, out, progress=None) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    counted = _Counted(progress)
    for label, value in document.about:
        writer.writerow([label, safe_text(value)])
    if document.about:
        writer.writerow([])
    for index, sheet in enumerate(document.sheets):
        if index:
            writer.writerow([])
        if len(document.sheets) > 1:
            writer.writerow([sheet.title])
        writer.writerow(sheet.header)
        for row in counted.rows(sheet):
            writer.writerow(["" if value is None else safe_text(value) for value in row])
    text.flush()
    text.detach()
    return counted.written


def _sheet_title(title: str, used: set) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()[:31] or "Sheet"
    base, number = name, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is not None and not isinstance(value, (str, int, float, Decimal, date)):
        value = str(value)  # lazy texts (labels) and anything else a cell cannot hold as it is
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", safe_text(value))
    return value


def write_xlsx(document: Document, out, progress=None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    workbook = Workbook(write_only=True)
    used: set = set()
    summary = workbook.create_sheet(_sheet_title(_summary_title(), used))
    summary.column_dimensions["A"].width = 20
    summary.column_dimensions["B"].width = 60
    title = WriteOnlyCell(summary, _xlsx_value(document.title))
    title.font = Font(bold=True, size=14)
    summary.append([title])
    for label, value in document.about:
        cell = WriteOnlyCell(summary, _xlsx_value(label))
        cell.font = bold
        summary.append([cell, _xlsx_value(value)])
    counted = _Counted(progress)
    for sheet in document.sheets:
        table = workbook.create_sheet(_sheet_title(sheet.title, used))
        for index, width in enumerate(sheet.widths or [max(10, len(str(title)) * 2 + 2) for title in sheet.header],
                                      start=1):
            table.column_dimensions[get_column_letter(index)].width = width
        table.freeze_panes = "A2"
        header = []
        for title_text in sheet.header:
            cell = WriteOnlyCell(table, _xlsx_value(str(title_text)))
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center", vertical="center")
            header.append(cell)
        table.append(header)
        formats = sheet.number_formats
        pending = None  # a row is held back one step, so the last one can be made bold
        for row in counted.rows(sheet):
            if pending is not None:
                table.append(_xlsx_row(table, pending, formats, None))
            pending = row
        if pending is not None:
            table.append(_xlsx_row(table, pending, formats, bold if sheet.bold_last else None))
    workbook.save(out)
    return counted.written


def _xlsx_row(table, row, formats: dict, font) -> list:
    from openpyxl.cell import WriteOnlyCell

    if not formats and font is None:
        return [_xlsx_value(value) for value in row]
    cells = []
    for index, value in enumerate(row):
        cell = WriteOnlyCell(table, _xlsx_value(value))
        if index in formats:
            cell.number_format = formats[index]
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def _summary_title() -> str:
    from django.utils.translation import gettext as _

    return _("Summary")


# --- PDF ---------------------------------------------------------------------------------------------------------

def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def _pdf_text(value, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if number_format == "0.0" else f"{value:g}"
    return str(value)


def _bar_chart(chart, width: float):
    """The chart as a ReportLab drawing: bars with their values, category names under them (CID font)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    font = _pdf_font()
    bars = chart.bars[:CHART_BARS]
    height = 210
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14, chart.title, fontName=font, fontSize=11))
    plot = VerticalBarChart()
    plot.x, plot.y, plot.width, plot.height = 40, 60, min(width - 60, 60 * max(len(bars), 3)), height - 90
    plot.data = [[value for _label, value in bars] or [0]]
    plot.categoryAxis.categoryNames = [label if len(label) <= 10 else label[:9] + "…" for label, _v in bars] or [""]
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = 7
    plot.categoryAxis.labels.angle = 30
    plot.categoryAxis.labels.boxAnchor = "ne"
    plot.valueAxis.valueMin = 0
    plot.valueAxis.labels.fontSize = 7
    plot.bars[0].fillColor = colors.HexColor("#2f6db5")
    plot.barLabelFormat = "%g"
    plot.barLabels.fontSize = 7
    plot.barLabels.nudge = 6
    drawing.add(plot)
    return drawing


def write_pdf(document: Document, out, progress=None) -> int:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A3, A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font = _pdf_font()
    wide = max((len(sheet.header) for sheet in document.sheets), default=0) >= PDF_WIDE_COLUMNS
    pagesize = landscape(A3 if wide else A4)
    margin = 12 * mm
    width = pagesize[0] - 2 * margin
    base = ParagraphStyle("export", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    head = ParagraphStyle("export-head", parent=base, textColor=colors.HexColor("#1f2d3d"))
    styles = {"title": ParagraphStyle("export-title", parent=base, fontSize=16, leading=22, spaceAfter=3 * mm),
              "heading": ParagraphStyle("export-heading", parent=base, fontSize=12, leading=16, spaceBefore=4 * mm,
                                        spaceAfter=2 * mm),
              "about": ParagraphStyle("export-about", parent=base, fontSize=9, leading=12)}
    story = [Paragraph(escape(document.title), styles["title"])]
    if document.about:
        about = Table([[Paragraph(escape(label), styles["about"]), Paragraph(escape(str(value)), styles["about"])]
                       for label, value in document.about], colWidths=[40 * mm, width - 40 * mm], hAlign="LEFT")
        about.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1)]))
        story.append(about)
    written = 0
    for sheet in document.sheets:
        if len(document.sheets) > 1 or sheet.title != document.title:
            story.append(Paragraph(escape(sheet.title), styles["heading"]))
        if sheet.chart is not None and sheet.chart.bars:
            story += [_bar_chart(sheet.chart, width), Spacer(1, 3 * mm)]
        weights = sheet.widths or [max(6, len(str(title)) * 2) for title in sheet.header]
        widths = [width * weight / sum(weights) for weight in weights]
        header = [Paragraph(escape(str(title)), head) for title in sheet.header]
        formats = {index: number_format for index, number_format in sheet.number_formats.items()}
        block: list = []
        rows = iter(sheet.rows)
        done = False
        while not done:
            try:
                row = next(rows)
            except StopIteration:
                done = True
            else:
                block.append([Paragraph(escape(_pdf_text(value, formats.get(index, ""))), base)
                              for index, value in enumerate(row)])
                written += 1
            if block and (done or len(block) == PDF_BLOCK):
                last = done and sheet.bold_last
                story.append(_pdf_table([header, *block], widths, last))
                block = []
                if progress:
                    progress(written)
        if not written and not sheet.count:
            story.append(_pdf_table([header], widths, False))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(pagesize[0] - margin, 7 * mm, f"{document.title} · {doc.page}")
        canvas.restoreState()

    SimpleDocTemplate(out, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                      bottomMargin=margin, title=document.title, author="BankDesk").build(
        story, onFirstPage=footer, onLaterPages=footer)
    return written


def _pdf_table(data: list, widths: list, bold_last: bool):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa7b4")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if bold_last:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eef2f6")))
    table.setStyle(TableStyle(style))
    return table


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf"}


def write(document: Document, file_format: str, out, progress=None) -> int:
    """Write `document` in `file_format` to the binary file `out`; the number of table rows written."""
    return WRITERS[file_format](document, out, progress)
