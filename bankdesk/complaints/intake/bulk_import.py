"""Historical complaints from a CSV or XLSX file: checked row by row, registered all-or-nothing, in the background.

How a file is imported (`run`, called by the task `run_complaint_import`):

1. Counting (phase "counting"): the header is read and mapped to registration fields — English field
   names or the Chinese column titles of `COLUMNS` — and the rows are counted, so the page can show a
   percentage. Unknown or missing columns stop the import here.
2. Checking (phase "validating", 0–50 %): EVERY row goes through the checks of `registration_input.validate`, the
   same rules as every other channel, plus what only an import needs (dates and amounts as text, the
   unit inside the uploader's scope). What the database answers (the codes, whether the list entries
   may be used, the uploader's rights) is asked once per distinct combination of codes (`Resolver`), so
   checking costs no query per row. Each problem is reported as {row, field, message}; `processed_rows`
   is written every PROGRESS_EVERY rows, each in its own short transaction (this pass runs in
   autocommit), so the job page can follow it.
3. Writing (phase "writing", 50 % → 100 %): only when no row has a problem, the rows are registered in
   batches of BATCH_ROWS inside ONE transaction: the file goes in whole or not at all. A new Resolver
   turns each row into its registration again, asking the database afresh (a list entry retired since
   the check refuses its rows); the checks that depend on the row alone are not repeated.
   Each batch goes through the registration pipeline (`registration.Registrations`), the one every
   channel's registration goes through: repeat of an earlier complaint (in the database or earlier in
   the file), severity, tracking number, clocks, "complaint.register" event, the report of a major or
   important complaint; with a few statements per batch and one prepared INSERT per table. The search
   entries follow: the task `saving.index_registered_complaints` is queued in the same transaction (so
   it exists exactly when the rows do) and writes them after the commit, within seconds on a running
   worker. While writing, the calendar and the rule settings are held as they were when the pass began
   (`caching.request_scope`; the rules while checking too), SQLite gets a larger page cache and the
   garbage collector leaves the objects older than the pass alone. When the file adds at least half as many
   complaints as there are, SQLite builds the complaints' and clocks' indexes once at the end of the pass,
   in its transaction, instead of updating each of them for each row (`core.bulk.indexes_built_after`);
   the index the repeat look-up reads is kept up to date.
   Progress cannot be shown during this pass on SQLite: the open write transaction holds the database's
   write lock, so no other connection can record it (on PostgreSQL a second connection could, and
   `ImportJob.progress_percent` would then have to count the rows written). The page says "registering"
   at 50 % and the job jumps to 100 % when the transaction commits. Should a row still be refused here,
   the transaction is rolled back and the job fails with that row's error.

The file is streamed in every pass (csv.reader over a text wrapper, openpyxl in read_only mode): one row
is held at a time while counting and checking, one batch while writing, whatever the size
(bench/complaint_import_bench.py measures files of up to a million rows).

Only registration fields are imported for now: a historical complaint starts as "registered" like a
new one. Its later history (final status, decision, closure) is not part of this format yet.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first complaint row 2.
"""

import csv
import functools
import gc
import hashlib
import io
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from bankdesk.complaints import cached_lists, saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.intake import registration, registration_input
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ChannelKind,
    Clock,
    Complaint,
    IdType,
    ImportJob,
    ImportKind,
    ImportPhase,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import audit, bulk, caching, rules, tabular
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditSource, JobStatus
from bankdesk.core.permissions import has_permission, require
from bankdesk.orgs.models import OrgUnit

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500
BATCH_ROWS = 2000  # rows registered per batch in the write pass
WRITE_CACHE_KIBIBYTES = 512 * 1024  # SQLite's page cache during the write pass (see _sqlite_page_cache)
# From how many rows of the file per complaint already registered SQLite builds the complaints' and clocks'
# indexes after the write pass rather than updating them row by row (see _indexes_built_after_if_worth_it)
BUILD_INDEXES_AFTER_FROM_SHARE = 0.5

# field → (the Chinese column title of the template, other titles accepted). English field names always work.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "complainant_name": ("投诉人", ("投诉人姓名", "客户姓名", "客户名称", "姓名")),
    "phone": ("联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式")),
    "channel": ("渠道", ("投诉渠道", "渠道代码")),
    "unit": ("网点/部门代码", ("网点代码", "部门代码", "机构代码", "网点/部门", "被投诉机构", "被投诉网点", "机构")),
    "business_category": ("业务类别", ("业务类别代码", "业务种类", "产品/业务类别")),
    "cause": ("投诉原因", ("原因", "投诉原因代码")),
    "description": ("投诉内容", ("投诉事由", "客户原话", "内容")),
    "demand": ("诉求", ("客户诉求", "投诉诉求")),
    "received_at": ("受理时间", ("投诉时间", "接收时间", "登记时间")),
    "id_type": ("证件类型", ()),
    "id_number": ("证件号码", ("身份证号", "身份证号码")),
    "account_number": ("账号/卡号", ("账号", "卡号", "账户", "账户/卡号")),
    "email": ("电子邮件", ("邮箱", "电子邮箱", "e-mail")),
    "amount_involved": ("涉及金额(元)", ("涉及金额", "金额")),
    "staff_concerned_name": ("被投诉员工", ("涉及员工", "被投诉人员")),
    "is_group": ("群体投诉", ("是否群体投诉",)),
    "group_size": ("群体人数", ("涉及人数",)),
    "external_reference": ("监管转办编号", ("转办编号", "监管编号")),
    "external_deadline": ("监管办结时限", ("监管时限", "转办时限")),
}
REQUIRED = ("complainant_name", "phone", "channel", "unit", "business_category", "cause", "description",
            "received_at")
ID_TYPE_TITLES = {"居民身份证": IdType.RESIDENT_ID, "身份证": IdType.RESIDENT_ID, "护照": IdType.PASSPORT,
                  "港澳居民来往内地通行证": IdType.HK_MACAO_PERMIT, "回乡证": IdType.HK_MACAO_PERMIT,
                  "台湾居民来往大陆通行证": IdType.TAIWAN_PERMIT, "台胞证": IdType.TAIWAN_PERMIT,
                  "外国人永久居留身份证": IdType.FOREIGN_RESIDENT, "其他": IdType.OTHER, "其它": IdType.OTHER}
TRUE_WORDS = {"1", "y", "yes", "true", "是", "√", "x"}
FALSE_WORDS = {"", "0", "n", "no", "false", "否"}
TEXT_LIMITS = {"staff_concerned_name": 100, "external_reference": 64, "email": 254}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?", re.ASCII)


def _normalize_title(title) -> str:
    text = unicodedata.normalize("NFKC", str(title or "")).strip().lstrip("\ufeff").rstrip("*").strip()
    return "".join(text.split()).lower()


TITLE_TO_FIELD: dict[str, str] = {}
for _field, (_title, _aliases) in COLUMNS.items():
    for _name in (_field, _title, *_aliases):
        TITLE_TO_FIELD[_normalize_title(_name)] = _field


STRAY = "__stray__"  # a row with text outside the columns of the header


class RowProblems(Exception):
    """One or more {field, message} problems of a row."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


# --- Reading the file ------------------------------------------------------------------------------------------

def _cells(job: ImportJob):
    """(row number, list of cell values) for every row of the file, the header included, streamed."""
    with job.file.open("rb") as binary:
        if job.kind == ImportKind.XLSX:
            import openpyxl

            workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
            try:
                for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                    yield number, list(row)
            finally:
                workbook.close()
        else:
            text = io.TextIOWrapper(binary, encoding=tabular.csv_encoding(binary), newline="")
            try:
                yield from enumerate(csv.reader(text), start=1)
            finally:
                text.detach()


def _blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _header(cells) -> tuple[list[str | None], list[tuple[str, str]]]:
    """The field of each column, and the problems of the header (unknown, repeated or missing columns)."""
    columns: list[str | None] = []
    problems: list[tuple[str, str]] = []
    for cell in cells:
        title = str(cell).strip() if cell is not None else ""
        if not title:
            columns.append(None)
            continue
        name = TITLE_TO_FIELD.get(_normalize_title(title))
        if name is None:
            problems.append((title, _("Unknown column “%(title)s”: rename it to a column of the template or "
                                      "remove it.") % {"title": title}))
        elif name in columns:
            problems.append((name, _("The column “%(title)s” appears twice.") % {"title": title}))
        columns.append(name)
    for name in REQUIRED:
        if name not in columns:
            problems.append((name, _("The column “%(title)s” is missing.") % {"title": COLUMNS[name][0]}))
    return columns, problems


class HeaderProblems(RowProblems):
    pass


def records(job: ImportJob):
    """(row number, {field: cell value}) for every non-blank row after the header; HeaderProblems first."""
    columns = None
    for number, cells in _cells(job):
        if _blank(cells):
            continue
        if columns is None:
            columns, problems = _header(cells)
            if problems:
                raise HeaderProblems(problems)
            named = [(index, name) for index, name in enumerate(columns) if name]  # worked out once, not per row
            untitled = [index for index, name in enumerate(columns) if name is None]
            continue
        count = len(cells)
        values = {name: cells[index] for index, name in named if index < count}
        values[STRAY] = ((count > len(columns) and not _blank(cells[len(columns):]))
                         or not _blank([cells[index] for index in untitled if index < count]))
        yield number, values
    if columns is None:
        raise HeaderProblems([("", _("The file is empty: it needs a header row and one row per complaint."))])


# --- Turning a row into a registration -------------------------------------------------------------------------

def _text(value, name: str) -> str:
    if type(value) is str:  # most cells: the CSV's every cell, the workbook's texts
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if name in ("id_number", "account_number") and abs(value) >= 1e15:
            raise ValidationFailed(_("Excel rounded this long number; format the column as text and enter it "
                                     "again."), field=name)
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


def _datetime(value, name: str, zone=None) -> datetime | None:
    """`zone`: the current time zone, when the caller has it at hand (asked for every cell otherwise)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    elif isinstance(value, str) and ISO_MOMENT.fullmatch(text := value.strip()):
        moment = datetime.fromisoformat(text)  # what the normalisation below leaves as it is
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").replace("日", " ")
        text = " ".join(text.replace("T", " ").split())
        moment = None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            for pattern in DATETIME_FORMATS:
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValidationFailed(_("Enter a date and time such as 2024-03-15 14:30."), field=name)
    return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment


def _decimal(value, name: str) -> Decimal | None:
    text = _text(value, name).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2 or abs(amount) >= 10 ** 12:
        raise ValidationFailed(_("Enter an amount in yuan such as 1200.50."), field=name)
    return amount


def _boolean(value, name: str) -> bool:
    text = _text(value, name).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationFailed(_("Enter 是 or 否 (yes or no)."), field=name)


def _integer(value, name: str) -> int | None:
    text = _text(value, name)
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(_("Enter a whole number."), field=name)
    return int(text)


def _id_type(value, name: str) -> str:
    text = _text(value, name)
    if not text or text in IdType.values:
        return text
    if text in ID_TYPE_TITLES:
        return ID_TYPE_TITLES[text]
    raise ValidationFailed(_("Unknown ID type: use one of %(codes)s.") % {"codes": ", ".join(IdType.values)},
                           field=name)


CONVERTERS = {"received_at": _datetime, "external_deadline": _datetime, "amount_involved": _decimal,
              "is_group": _boolean, "group_size": _integer, "id_type": _id_type}
CODE_FIELDS = ("channel", "business_category", "cause", "unit")


class Resolver:
    """Turns rows into checked RegistrationInputs, remembering what every distinct set of codes resolved to.

    `registration_input.build_registration` resolves the four codes of a row with four queries; a file of 100,000 rows
    has a few hundred distinct combinations, so each is built once and the row's own values replace the rest.
    Channels, categories and causes may also be given by their (unique) name, units by their code or name.
    What only the database decides (the list entries still usable, the uploader's rights) is likewise
    checked once per combination; the rest of `registration_input.validate` runs on every row.
    """

    def __init__(self, user):
        self.user = user
        cached_lists.LISTS.drop()  # each pass asks the database afresh, not the process's copy
        cached_lists.UNITS.drop()
        self.templates: dict[tuple, registration_input.RegistrationInput | ValidationFailed] = {}
        self.list_problems: dict[tuple, ValidationFailed | None] = {}
        self.rights_problems: dict[tuple, RowProblems | None] = {}
        models = {"channel": Channel, "business_category": BusinessCategory, "cause": Cause, "unit": OrgUnit}
        self.codes = {name: set(model.objects.filter(is_active=True).values_list("code", flat=True))
                      for name, model in models.items()}
        self.names = {name: self._names(model) for name, model in models.items()}
        in_zone = functools.partial(_datetime, zone=timezone.get_current_timezone())  # one pass, one zone
        self.converters = {**CONVERTERS, **{name: in_zone for name, convert in CONVERTERS.items()
                                            if convert is _datetime}}

    @staticmethod
    def _names(model) -> dict[str, str]:
        """Unique names (Chinese or English, and "parent / child" for categories) → code."""
        seen: dict[str, set[str]] = {}
        fields = ["code", "name", "name_en"] + (["parent__name"] if model is BusinessCategory else [])
        for row in model.objects.filter(is_active=True).values(*fields):
            keys = {row["name"], row["name_en"]}
            if row.get("parent__name"):
                keys.add(f"{row['parent__name']}/{row['name']}")
            for key in keys:
                if key:
                    seen.setdefault(_normalize_title(key), set()).add(row["code"])
        return {key: codes.pop() for key, codes in seen.items() if len(codes) == 1}

    def _code(self, name: str, value) -> str:
        text = _text(value, name)
        if not text or text in self.codes[name]:
            return text
        return self.names[name].get(_normalize_title(text), text)

    def _template(self, codes: tuple) -> registration_input.RegistrationInput:
        if codes not in self.templates:
            try:
                self.templates[codes] = registration_input.build_registration(
                    {"complainant_name": "", "phone": "", "description": "", **dict(zip(CODE_FIELDS, codes))})
            except ValidationFailed as failure:
                self.templates[codes] = failure
        template = self.templates[codes]
        if isinstance(template, ValidationFailed):
            raise template.with_traceback(None)  # raised again for every row: keep no trace of the earlier ones
        return template

    def registration(self, row: dict, check: bool = True) -> registration_input.RegistrationInput:
        """The row as a RegistrationInput that passed every check; RowProblems otherwise.

        `check=False` (the write pass, over rows the checking pass accepted) skips the checks that depend
        on the row alone, keeping those the database may answer differently by now: the list entries
        and units still active, the uploader's rights.
        """
        values, problems = {}, []
        if row.get(STRAY):
            problems.append(("", _("This row has text outside the columns of the header: check for a comma or a "
                                   "quote in the text, or a column without a title.")))
        for name in COLUMNS:
            if name in CODE_FIELDS:
                continue
            try:
                converter = self.converters.get(name, _text)
                values[name] = converter(row.get(name), name)
            except ValidationFailed as failure:
                problems.append((failure.field or name, failure.message))
        for name, limit in TEXT_LIMITS.items():
            if len(values.get(name) or "") > limit:
                problems.append((name, _("At most %(max)d characters.") % {"max": limit}))
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(("email", _("Enter a valid e-mail address.")))
        if values.get("received_at") is None and not any(name == "received_at" for name, _m in problems):
            problems.append(("received_at", _("Enter when the complaint was received.")))
        if problems:
            raise RowProblems(problems)
        values = {name: value for name, value in values.items() if value is not None}
        values.update(is_group=values.get("is_group", False), representatives=[], disputed_act_approver_ids=[])
        codes = tuple(self._code(name, row.get(name)) for name in CODE_FIELDS)
        try:
            data = _replaced(self._template(codes), values)
            self._validate(codes, data, check)
        except ValidationFailed as failure:
            raise RowProblems([(failure.field or "", failure.message)]) from None
        self._check_rights(codes, data)
        return data

    def _validate(self, codes: tuple, data: registration_input.RegistrationInput, check: bool) -> None:
        """`registration_input.validate`, check by check in its order, the classification's (it queries) once per codes."""
        if check:
            registration_input.validate_person(data)
        _raise_once_per_key(self.list_problems, codes, lambda: _classification_problem(data))
        if check:
            registration_input.validate_details(data)

    def _check_rights(self, codes: tuple, data: registration_input.RegistrationInput) -> None:
        _raise_once_per_key(self.rights_problems, codes, lambda: self._rights_problem(data))

    def _rights_problem(self, data: registration_input.RegistrationInput) -> RowProblems | None:
        if not has_permission(self.user, ComplaintPermission.IMPORT_COMPLAINTS, data.unit):
            return RowProblems([("unit", _("This unit is outside the units you may import complaints for."))])
        needed = (ComplaintPermission.REVIEW_COMPLAINTS if data.channel.kind == ChannelKind.REGULATOR
                  else ComplaintPermission.REGISTER_COMPLAINT)
        if not has_permission(self.user, needed):
            return RowProblems([("channel", _("You may not register complaints of this channel."))])
        return None


def _replaced(template: registration_input.RegistrationInput, values: dict) -> registration_input.RegistrationInput:
    """`dataclasses.replace(template, **values)` without its per-field checks and __init__ (a tenth of a row's
    conversion): `values` are fields of RegistrationInput, which has no __post_init__."""
    data = object.__new__(registration_input.RegistrationInput)
    data.__dict__.update(template.__dict__)
    data.__dict__.update(values)
    return data


def _classification_problem(data: registration_input.RegistrationInput) -> ValidationFailed | None:
    try:
        registration_input.validate_classification(data)
    except ValidationFailed as failure:
        return failure
    return None


def _raise_once_per_key(problems: dict, key, problem_of) -> None:
    """Raise the problem `problem_of()` finds for `key`, looked for once and remembered in `problems`."""
    if key not in problems:
        problems[key] = problem_of()
    if problems[key] is not None:
        raise problems[key].with_traceback(None)  # raised again for every row: keep no trace of the earlier ones


# --- Writing ---------------------------------------------------------------------------------------------------

@contextmanager
def _sqlite_page_cache(kibibytes: int):
    """On SQLite, a page cache of `kibibytes` for the block, then the connection's own again.

    One transaction inserting a large file updates some thirty indexes of the complaints alone; with the
    default 2 MB cache their pages are written out and read back at every batch (a million registrations:
    about 200 s in SQLite itself instead of 120 s with a cache of 1 GB)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(usual)}")
            cursor.execute("PRAGMA shrink_memory")


@contextmanager
def _indexes_built_after_if_worth_it(rows: int):
    """The complaints' and clocks' indexes built after the pass (`bulk.indexes_built_after`, SQLite) when the
    file adds at least BUILD_INDEXES_AFTER_FROM_SHARE of the complaints there are: inserting a complaint into
    its thirty indexes costs some 60–120 µs, building them all again some 25 µs per complaint in the table
    (2026-12-06, 100,000 and 1,000,000 complaints); a smaller file into a large table keeps them up to date.
    The index on the phone's blind index stays: the repeat look-up of each batch reads it."""
    if connection.vendor != "sqlite" or rows < BUILD_INDEXES_AFTER_FROM_SHARE * Complaint.objects.count():
        yield
        return
    with bulk.indexes_built_after(Complaint, keep=("phone_index",)), bulk.indexes_built_after(Clock):
        yield


@contextmanager
def _older_objects_left_out_of_garbage_collection():
    """The objects alive before the block (Django, the app: a few hundred thousand) are not rescanned by
    the garbage collector's full sweeps, which the batches' many objects trigger every few batches (they
    took a sixth of the write pass). Cycles among them are collected after the block as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _batches(items, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --- The job ---------------------------------------------------------------------------------------------------

class ErrorReport:
    def __init__(self):
        self.items: list[dict] = []
        self.count = 0

    def add(self, row: int | None, problems: list[tuple[str, str]]) -> None:
        for name, message in problems:
            self.count += 1
            if len(self.items) < ImportJob.MAX_ERRORS:
                self.items.append({"row": row, "field": name, "message": str(message)})


def start_import(actor, upload) -> ImportJob:
    """Keep the uploaded file and queue its import; the same file is refused while or once it was imported."""
    require(actor, ComplaintPermission.IMPORT_COMPLAINTS)
    suffix = os.path.splitext(upload.name or "")[1].lower()
    kinds = {".csv": ImportKind.CSV, ".xlsx": ImportKind.XLSX}
    if suffix not in kinds:
        raise ValidationFailed(_("Upload a CSV file or an Excel workbook (.xlsx)."), field="file")
    max_megabytes = rules.get("complaint.import_max_megabytes")
    if upload.size > max_megabytes * 1024 * 1024:
        raise ValidationFailed(_("The file is larger than %(max)d MB; split it.") % {"max": max_megabytes},
                               field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if kinds[suffix] == ImportKind.XLSX and not zipfile.is_zipfile(upload):
        raise ValidationFailed(_("This is not an Excel workbook (.xlsx); save it as .xlsx or CSV."), field="file")
    upload.seek(0)
    earlier = (ImportJob.objects.filter(sha256=digest.hexdigest())
               .exclude(status=JobStatus.FAILED).order_by("created_at").first())
    if earlier is not None:
        raise ValidationFailed(_("This file was imported already (import of %(date)s, %(status)s).") % {
            "date": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M"),
            "status": earlier.get_status_display()}, field="file")
    with transaction.atomic():
        job = ImportJob(original_name=os.path.basename(upload.name)[:200], kind=kinds[suffix],
                        sha256=digest.hexdigest(), created_by=actor)
        job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        job.save()
        audit.record(ComplaintAction.IMPORT_QUEUED, job, actor=actor,
                     after={"file": job.original_name, "kind": job.kind, "sha256": job.sha256})
    try:
        run_complaint_import.enqueue(job.pk)
    except Exception:
        logger.exception("Complaint import %s could not be queued", job.pk)
        _finish(job, JobStatus.FAILED, [{"row": None, "field": "",
                                         "message": _("The import could not be queued; upload the file again "
                                                      "later.")}], 1)
    job.refresh_from_db()
    return job


def _progress(job: ImportJob, **changes) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**changes)


def _finish(job: ImportJob, status: str, errors: list[dict], error_count: int) -> None:
    _progress(job, status=status, errors=errors, error_count=error_count, finished_at=timezone.now(),
              phase=ImportPhase.DONE)
    action = ComplaintAction.IMPORT_SUCCEEDED if status == JobStatus.SUCCEEDED else ComplaintAction.IMPORT_FAILED
    audit.record(action, job, after={"file": job.original_name, "rows": job.total_rows, "errors": error_count,
                                     "first_errors": errors[:10]})


@task(takes_context=True)
def run_complaint_import(context, job_id: int) -> dict:
    """Import an uploaded file of historical complaints, all-or-nothing (`run`); the task workers run it.

    A later attempt (its worker died: core/workers.py queued it again) starts the job over."""
    job = run(job_id, again=context.attempt > 1)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "errors": job.error_count}


def run(job_id: int, again: bool = False) -> ImportJob | None:
    """Run a queued import (see the module's docstring); a job already started or finished is left alone.

    `again`: the task's earlier attempt stopped with its worker (core/workers.py queued it again), so a
    job still "running" is started over. Nothing of that attempt is left to undo: its rows and its
    success are committed together in one transaction, so a job still "running" registered nothing."""
    statuses = [JobStatus.QUEUED, JobStatus.RUNNING] if again else [JobStatus.QUEUED]
    earlier = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    claimed = ImportJob.objects.filter(pk=job_id, status__in=statuses).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), phase=ImportPhase.COUNTING, processed_rows=0,
        error_count=0, errors=[])
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    with audit.audit_context(actor=job.created_by, source=AuditSource.IMPORT):
        if earlier == JobStatus.RUNNING:
            audit.record(ComplaintAction.IMPORT_RESTARTED, job, after={"file": job.original_name})
        try:
            _run(job)
        except Exception as error:
            logger.exception("Complaint import %s stopped", job_id)
            _finish(job, JobStatus.FAILED, [{"row": None, "field": "", "message": _(
                "The import stopped on an unexpected error (%(error)s); nothing was registered.") % {
                "error": type(error).__name__}}], 1)
            raise
    return job


def _run(job: ImportJob) -> None:
    report = ErrorReport()
    try:
        total = sum(1 for _row in records(job))
    except HeaderProblems as problems:
        report.add(1, problems.problems)
        return _finish(job, JobStatus.FAILED, report.items, report.count)
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        report.add(None, [("", _("The file cannot be read (%(error)s): save it again as UTF-8 CSV or .xlsx.")
                           % {"error": type(error).__name__})])
        return _finish(job, JobStatus.FAILED, report.items, report.count)
    if not total:
        report.add(None, [("", _("The file has a header but no complaint rows."))])
        return _finish(job, JobStatus.FAILED, report.items, report.count)
    _progress(job, total_rows=total, phase=ImportPhase.VALIDATING)

    resolver = Resolver(job.created_by)
    checked = 0
    with caching.request_scope():  # the rule settings of the job's start, not asked of the cache per row
        for number, row in records(job):
            try:
                resolver.registration(row)
            except RowProblems as problems:
                report.add(number, problems.problems)
            checked += 1
            if checked % PROGRESS_EVERY == 0:
                _progress(job, processed_rows=checked, error_count=report.count)
    _progress(job, processed_rows=checked, error_count=report.count)
    if report.count:
        return _finish(job, JobStatus.FAILED, report.items, report.count)

    _progress(job, phase=ImportPhase.WRITING)
    number = None
    try:
        with (_sqlite_page_cache(WRITE_CACHE_KIBIBYTES), _older_objects_left_out_of_garbage_collection(),
              transaction.atomic(), caching.request_scope(), _indexes_built_after_if_worth_it(total)):
            resolver = Resolver(job.created_by)  # a new one: the database is asked again
            pipeline = registration.Registrations(job.created_by, index_later=True)
            for batch in _batches(records(job), BATCH_ROWS):
                inputs = []
                for number, row in batch:
                    inputs.append(resolver.registration(row, check=False))
                pipeline.register(inputs)
            if pipeline.registered_ids:  # queued with the rows: the search entries follow the commit
                saving.index_registered_complaints.enqueue(min(pipeline.registered_ids),
                                                           max(pipeline.registered_ids))
            # In the same transaction as the rows: a worker stopping at any moment leaves either both
            # or neither, so a job still "running" can be started over (run(again=True)).
            _finish(job, JobStatus.SUCCEEDED, [], 0)
    except RowProblems as problems:
        report.add(number, problems.problems)
    except ValidationFailed as failure:  # refused while registering a batch: no one row's problem
        report.add(None, [(failure.field or "", failure.message)])
    if report.count:
        return _finish(job, JobStatus.FAILED, report.items, report.count)


# --- The template ----------------------------------------------------------------------------------------------

def template_header(english: bool = False) -> list[str]:
    """The columns of the template, in order: Chinese titles, or the English field names."""
    return list(COLUMNS) if english else [title for title, _aliases in COLUMNS.values()]
