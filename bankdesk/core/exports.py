"""The registry of exports: each app registers, from its AppConfig.ready(), the lists and reports it lets
users take away as files (CSV, XLSX, PDF), and core's export jobs (core/export_jobs.py) write them in the
background. Core knows no app: an app's `ExportKind` names its permission and a `build(user, filters)` that
runs the app's own scoped selector as `user` and answers a `Document` (what the file holds, read lazily).

`filters` is a MultiValueDict of strings, as a list page's query string gives it, so an app builds its
filter form from it exactly as its list page does; `build` raises ValidationFailed for filters its form
refuses (never an export of everything instead), NotFound for an object outside the user's scope.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from bankdesk.core.registry import Registry, owner_of

FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn in the PDF above its sheet's table: (label, value) bars, the largest first."""

    title: str
    bars: list[tuple[str, float]]


@dataclass
class Sheet:
    """One table of the file: a sheet of the workbook, a block of the CSV, a table of the PDF.

    `rows` is iterated once (a query read in chunks); `count` is how many it will give (progress).
    `widths` are column widths in characters (XLSX; the PDF shares the page in their proportion);
    `number_formats` maps a column's index to an Excel number format; `bold_last` marks a totals row."""

    title: str
    header: list[str]
    rows: Iterable[list]
    count: int
    widths: list[int] | None = None
    number_formats: dict[int, str] = field(default_factory=dict)
    bold_last: bool = False
    chart: Chart | None = None


@dataclass
class Document:
    """What an export holds: its title, a few lines about it (filters, unit, time) and its sheets.
    `filename` is the download's name without the extension (ASCII, e.g. "complaints-20261206")."""

    title: str
    filename: str
    sheets: list[Sheet]
    about: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(sheet.count for sheet in self.sheets)


@dataclass(frozen=True)
class Column:
    """A list's column in its files: the header and the cell of a row."""

    label: object  # lazy text
    value: Callable  # row -> cell


def local(moment) -> str:
    """A moment as the bank's staff read it: local time to the minute; empty for none."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True)
class ExportKind:
    """A list or report that can be exported: `key` (stored on the job, e.g. "complaints.list"), its name on
    the exports page, the permission asked at request, at run and at download, and `build`. `recheck(user,
    filters)`, when given, is asked again at download (e.g. the report is still within the user's scope)."""

    key: str
    label: object  # lazy text
    permission: str
    build: Callable[[object, MultiValueDict], Document]
    formats: tuple[str, ...] = FORMATS
    recheck: Callable[[object, MultiValueDict], None] | None = None


KINDS = Registry("export kind")


def register(*kinds: ExportKind, owner: str) -> None:
    for kind in kinds:
        KINDS.add(kind.key, kind, owner_of(owner))


def kind_for(key: str) -> ExportKind | None:
    return KINDS.get(key)


def as_filters(values) -> MultiValueDict:
    """Stored filters ({name: [values]}) or a query string's as the MultiValueDict a form takes."""
    return MultiValueDict({str(name): [str(value) for value in (items if isinstance(items, list) else [items])]
                           for name, items in (values or {}).items()})


def refuse_invalid(form) -> None:
    """For a kind's build: a filter form given filters it refuses is a ValidationFailed naming the first problem
    (the export would otherwise cover the whole list instead of the filtered one)."""
    from bankdesk.core.errors import ValidationFailed

    if form.is_bound and not form.is_valid():
        name, problems = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        raise ValidationFailed(f"{label}: {problems[0]}" if label else str(problems[0]), field=f"filters.{name}")


def column_document(title: str, filename: str, columns, query, about=(), chunk: int = 2000) -> Document:
    """A list whose columns are (label, value(row)) pairs (a `label` and a `value` attribute each), over a query
    read in chunks, as a Document of one sheet."""
    rows = ([column.value(row) for column in columns] for row in query.iterator(chunk_size=chunk))
    sheet = Sheet(title, [str(column.label) for column in columns], rows, query.count())
    return Document(title, filename, [sheet], about=list(about))


def exported_now() -> tuple[str, str]:
    """The line about an export saying when it was made."""
    return gettext("Exported at"), local(timezone.now())


def list_kind(key: str, label, permission: str, filename: str, read_filters: Callable, selector: Callable, columns,
              chunk: int = 2000) -> ExportKind:
    """The kind of a list page exported as the page shows it: `read_filters(user, data)` answers the page's
    (form, filters) for the query string's values (form None for a list without filters), refused when the form
    refuses them; the rows are
    `selector(user, filters)` (the page's scoped selector) under `columns`; the file is `filename-YYYYMMDD`."""

    def build(user, data) -> Document:
        form, filters = read_filters(user, data)
        if form is not None:
            refuse_invalid(form)
        return column_document(str(label), f"{filename}-{timezone.localdate():%Y%m%d}", columns,
                               selector(user, filters), about=[exported_now()], chunk=chunk)

    return ExportKind(key, label, permission, build)
