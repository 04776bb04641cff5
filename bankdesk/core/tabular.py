"""Reading an uploaded table, CSV or XLSX, one row at a time, for any app's file import.

`rows(file, name)` yields (row number, {header: cell}) for every non-blank row after the header, as a
spreadsheet numbers them (the header is row 1); `table(file, name)` gives the header first. The file is streamed: csv.reader over a text wrapper,
openpyxl in read-only mode, so one row is held at a time whatever the size.

A CSV is read as UTF-8 (with or without the BOM Excel writes) when its start decodes as UTF-8, else as
GB18030, what Excel saves in China. Headers are normalised (NFKC, spaces and a trailing "*" of a
required column removed, lower case) so "服务水平 *" and "服务水平" are one column.

What makes the file unreadable (an unknown type, a damaged workbook, no header, a repeated column, a
byte the encoding cannot decode) raises `BadFile`, a ValidationFailed on the field "file" with a Chinese
message saying what to fix, so a caller reports it like any other input problem.
"""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from django.utils.translation import gettext as _

from bankdesk.core.errors import ValidationFailed

ENCODING_SAMPLE_BYTES = 64 * 1024
KINDS = ("csv", "xlsx")


class BadFile(ValidationFailed):
    """The file as a whole cannot be read; nothing of it was used."""

    def __init__(self, message: str):
        super().__init__(message, field="file", code="bad_file")


def kind_of(name: str) -> str:
    """"csv" or "xlsx" from the file name, or BadFile."""
    kind = PurePath(name or "").suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise BadFile(_("Upload a CSV or XLSX file (the name ends in .csv or .xlsx)."))
    return kind


def normalize_header(title) -> str:
    text = unicodedata.normalize("NFKC", str(title or "")).strip().lstrip("\ufeff").rstrip("*").strip()
    return "".join(text.split()).lower()


def csv_encoding(binary) -> str:
    """UTF-8 (with or without BOM) when the start of the file is UTF-8, else GB18030."""
    sample = binary.read(ENCODING_SAMPLE_BYTES)
    binary.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < ENCODING_SAMPLE_BYTES)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _xlsx_cells(binary) -> Iterator[tuple[int, list]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise BadFile(_("The file is not a readable XLSX workbook: save it again from Excel as .xlsx."))
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _csv_cells(binary) -> Iterator[tuple[int, list]]:
    text = io.TextIOWrapper(binary, encoding=csv_encoding(binary), newline="")
    try:
        yield from enumerate(csv.reader(text), start=1)
    except UnicodeDecodeError:
        raise BadFile(_("The file is neither UTF-8 nor GB18030 text: save it again as CSV (UTF-8)."))
    except csv.Error as error:
        raise BadFile(_("The CSV file is damaged: %(problem)s") % {"problem": error})
    finally:
        if not binary.closed:  # the caller may close the file before it drops a generator left half-read
            text.detach()


def cells(binary, name: str) -> Iterator[tuple[int, list]]:
    """(row number, list of cell values) of every row, the header included, from an open binary file."""
    reader = _xlsx_cells if kind_of(name) == "xlsx" else _csv_cells
    yield from reader(binary)


def is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _header(values: list) -> list[str]:
    header = [normalize_header(value) for value in values]
    seen: set[str] = set()
    for title, raw in zip(header, values):
        if title and title in seen:
            raise BadFile(_("The column “%(title)s” appears twice.") % {"title": str(raw).strip()})
        seen.add(title)
    return header


def table(binary, name: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The normalised header, and (row number, {header: cell value}) of every non-blank row after it.

    Cells under an empty header are dropped; a short row lacks the keys of its missing cells."""
    source = cells(binary, name)
    for _number, values in source:
        if not is_blank(values):
            header = _header(values)
            break
    else:
        raise BadFile(_("The file is empty: it needs a header row and one row per record."))

    def body():
        for number, values in source:
            if not is_blank(values):
                yield number, {title: value for title, value in zip(header, values) if title}

    return header, body()


def rows(binary, name: str) -> Iterator[tuple[int, dict]]:
    """(row number, {normalised header: cell value}) of every non-blank row after the header."""
    _header_titles, body = table(binary, name)
    yield from body


def count_rows(binary, name: str) -> int:
    """The non-blank rows after the header, for a progress percentage (streams the file once)."""
    return sum(1 for _row in rows(binary, name))
