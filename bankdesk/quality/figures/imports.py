"""Monthly outlet figures from a CSV or XLSX file, checked row by row and written all-or-nothing in the
background (the task `run_figures_import`).

One row is one unit in one month: the unit's code, the month, and any of the customers served and the
customer evaluators' presses and satisfied presses (a blank cell leaves that figure as it is). Every row
is checked first and each problem reported with its row and column; only a file without problems is
written, a figure already stored for the unit and month being replaced. Rows are numbered as a
spreadsheet shows them (the header is row 1).
"""

import logging
import unicodedata
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from bankdesk.core import audit, file_imports, rules
from bankdesk.core.permissions import require, scope_q
from bankdesk.orgs.models import CustomerCount, OrgUnit
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.figures.services import MAX_COUNT
from bankdesk.quality.models import EvaluatorTally, FiguresImport
from bankdesk.quality.permissions import QualityPermission as P

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 200
# field -> (the Chinese title of the template, other titles accepted)
COLUMNS = {
    "unit": ("网点代码", ("机构代码", "单位代码", "网点编码")),
    "month": ("月份", ("统计月份", "年月")),
    "customers": ("客户数", ("服务客户数", "客户量")),
    "responses": ("评价器评价数", ("评价数", "评价总数")),
    "satisfied": ("评价器满意数", ("满意数", "满意评价数")),
}
REQUIRED = ("unit", "month")
COUNTS = ("customers", "responses", "satisfied")
FILE = file_imports.Columns(COLUMNS, REQUIRED)


def template_header() -> list[str]:
    return [title for title, _aliases in COLUMNS.values()]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _month(value) -> date:
    if isinstance(value, (datetime, date)):
        return (value.date() if isinstance(value, datetime) else value).replace(day=1)
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "")
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        raise ValueError(_("Enter the month as 2025-09."))


def _count(value) -> int | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_COUNT:
        raise ValueError(_("Enter a whole number from 0 to %(max)d.") % {"max": MAX_COUNT})
    return int(text)


class Checker:
    """Turns rows into figures, knowing the units the uploader may enter figures for."""

    def __init__(self, actor):
        units = OrgUnit.objects.filter(scope_q(actor, P.MANAGE_FIGURES, "path"), is_active=True)
        self.units = {unit.code.lower(): unit for unit in units}
        self.this_month = timezone.localdate().replace(day=1)
        self.seen: dict[tuple[int, date], int] = {}

    def values(self, number: int, row: dict) -> dict:
        values, problems = {}, []
        for name, parser in (("month", _month), *[(name, _count) for name in COUNTS]):
            try:
                values[name] = parser(row.get(name))
            except ValueError as error:
                problems.append((name, str(error)))
        unit = self.units.get(_text(row.get("unit")).lower())
        if unit is None:
            problems.append(("unit", _("Unknown unit code “%(code)s”, or a unit outside your scope.")
                             % {"code": _text(row.get("unit"))}))
        if not problems:
            problems = self._consistency(number, unit, values)
        if problems:
            raise file_imports.RowProblems(problems)
        return {"unit": unit, **values}

    def _consistency(self, number: int, unit: OrgUnit, values: dict) -> list[tuple[str, str]]:
        if values["month"] > self.this_month:
            return [("month", _("The month cannot be in the future."))]
        earlier = self.seen.setdefault((unit.pk, values["month"]), number)
        if earlier != number:
            return [("month", _("The same unit and month as row %(row)d.") % {"row": earlier})]
        if all(values[name] is None for name in COUNTS):
            return [("customers", _("Enter the customers or the evaluator results."))]
        if (values["responses"] is None) != (values["satisfied"] is None):
            return [("satisfied", _("Enter both the evaluations and the satisfied evaluations."))]
        if values["responses"] is not None and values["satisfied"] > values["responses"]:
            return [("satisfied", _("There cannot be more satisfied evaluations than evaluations."))]
        return []


def start_import(actor, upload) -> FiguresImport:
    """Keep the uploaded file and queue its import (refused at once: not CSV/XLSX, too large, seen before)."""
    require(actor, P.MANAGE_FIGURES)
    with transaction.atomic():
        job = file_imports.receive(FiguresImport, actor, upload,
                                   max_megabytes=rules.get("quality.figures_import_max_megabytes"))
        file_imports.enqueue(job, run_figures_import)
    return job


@task(takes_context=True)
def run_figures_import(context, job_id: int) -> dict:
    job = run(job_id, again=context.attempt > 1)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "errors": job.error_count}


def run(job_id: int, again: bool = False) -> FiguresImport | None:
    return file_imports.run_all_or_nothing(FiguresImport, job_id, again=again, check=_checked, write=_write,
                                           recorded=_record)


def _record(job: FiguresImport) -> None:
    audit.record(QualityAction.FIGURES_IMPORT, job, after={
        "file": job.original_name, "rows": job.total_rows, "added": job.rows_created,
        "replaced": job.rows_updated, "errors": job.error_count, "first_errors": job.errors[:10]})


def _checked(job: FiguresImport) -> list[dict]:
    return file_imports.checked_rows(job, FILE.records(job), Checker(job.created_by).values, PROGRESS_EVERY)


def _upsert(model, job: FiguresImport, rows: list[dict], fields: tuple) -> tuple[int, int]:
    """Write `fields` of the rows that give them; (added, replaced)."""
    given = [row for row in rows if row[fields[0]] is not None]
    stored = set(model.objects.filter(unit__in={row["unit"] for row in given}, month__in={row["month"] for row in given})
                 .values_list("unit_id", "month"))
    model.objects.bulk_create(
        [model(unit=row["unit"], unit_path=row["unit"].path, month=row["month"], updated_by=job.created_by,
               **{name: row[name] for name in fields}) for row in given],
        update_conflicts=True, unique_fields=["unit", "month"], update_fields=[*fields, "updated_by", "updated_at"])
    replaced = sum(1 for row in given if (row["unit"].pk, row["month"]) in stored)
    return len(given) - replaced, replaced


@transaction.atomic
def _write(job: FiguresImport, rows: list[dict]) -> None:
    counts = [_upsert(CustomerCount, job, rows, ("customers",)),
              _upsert(EvaluatorTally, job, rows, ("responses", "satisfied"))]
    job.rows_created = sum(added for added, _replaced in counts)
    job.rows_updated = sum(replaced for _added, replaced in counts)
