"""ACD interval statistics from a CSV or XLSX file, checked row by row and written all-or-nothing, in the
background (the task `run_interval_import`).

One row is one queue in one interval: its start, the queue's code, the calls offered, answered, answered
within the queue's target time and abandoned, the handle time and the agent-state times (`COLUMNS`: the
Chinese titles of the template, other titles ACD reports use, or the English field names).

Policy: EVERY row is checked first and each problem is reported as {row, field, message}; only when no
row has a problem are all rows written, in one transaction. An interval already stored for the same
queue and start is replaced by the file's (ACD reports are re-run after corrections); the job counts the
intervals added and replaced. A file with a problem writes nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from bankdesk.callcenter.audit_actions import CallcenterAction
from bankdesk.callcenter.models import IntervalImport, IntervalStat, Queue
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core import audit, file_imports, rules
from bankdesk.core.permissions import require, scope_q

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500
BATCH_ROWS = 2000
INTERVAL_LENGTHS = (5, 10, 15, 20, 30, 60)  # minutes: each divides an hour, so intervals align on the clock
MAX_COUNT = 1_000_000  # calls in one interval of one queue: more is a typing error
MAX_SECONDS = 10**9

# field -> (the Chinese title of the template, other titles accepted)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "interval_start": ("时段开始", ("开始时间", "时段", "时间", "统计时段")),
    "queue": ("队列代码", ("队列", "技能组", "队列编码")),
    "length_minutes": ("时段长度(分钟)", ("时长(分钟)", "间隔(分钟)", "时段长度")),
    "offered": ("呼入量", ("人工请求量", "请求人工量", "进线量", "来电量")),
    "answered": ("接通量", ("人工接通量", "应答量", "人工应答量")),
    "answered_within_threshold": ("时限内接通量", ("及时接通量", "服务水平内接通量")),
    "abandoned": ("放弃量", ("呼损量", "放弃呼叫量")),
    "handle_time_seconds": ("处理时长(秒)", ("总处理时长", "处理时长")),
    "answer_wait_seconds": ("接通前等待(秒)", ("应答等待时长", "总等待时长", "接通前等待")),
    "longest_wait_seconds": ("最长等待(秒)", ("最长等待时长", "最长等待")),
    "waiting_at_end": ("时段末排队数", ("排队数", "等待数")),
    "staffed_seconds": ("在岗(秒)", ("签入时长", "登录时长", "在岗时长")),
    "available_seconds": ("空闲(秒)", ("就绪时长", "示闲时长", "空闲时长")),
    "talk_seconds": ("通话(秒)", ("通话时长",)),
    "wrap_seconds": ("话后处理(秒)", ("话后时长", "整理时长", "话后处理时长")),
    "not_ready_seconds": ("未就绪(秒)", ("示忙时长", "小休时长", "未就绪时长")),
}
REQUIRED = ("interval_start", "queue", "offered", "answered", "answered_within_threshold", "abandoned",
            "handle_time_seconds")
COUNTS = ("offered", "answered", "answered_within_threshold", "abandoned", "waiting_at_end")
DURATIONS = ("handle_time_seconds", "answer_wait_seconds", "longest_wait_seconds", "staffed_seconds",
             "available_seconds", "talk_seconds", "wrap_seconds", "not_ready_seconds")
VALUE_FIELDS = ("length_minutes", *COUNTS, *DURATIONS)
FILE = file_imports.Columns(COLUMNS, REQUIRED)
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y%m%d %H:%M", "%Y%m%d%H%M")


def template_header(english: bool = False) -> list[str]:
    return [field if english else title for field, (title, _aliases) in COLUMNS.items()]


# --- Reading one row -------------------------------------------------------------------------------------------

def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _start(value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = " ".join(_text(value).replace("/", "-").replace("T", " ").split())
        moment = None
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError(_("Enter the interval start as 2025-03-15 09:30."))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _count(value) -> int:
    text = _text(value).replace(",", "")
    if not text:
        return 0
    if not text.isdigit() or int(text) > MAX_COUNT:
        raise ValueError(_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_COUNT})
    return int(text)


def _seconds(value) -> int:
    """Seconds as a number, as h:mm:ss or mm:ss, or an Excel time or duration."""
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    text = _text(value).replace(",", "")
    parts = text.split(":")
    if text and all(part.isdigit() for part in parts) and len(parts) <= 3:
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        if seconds <= MAX_SECONDS:
            return seconds
    if not text:
        return 0
    raise ValueError(_("Enter seconds as a whole number (3600) or as hours:minutes:seconds (1:00:00)."))


def _length(value) -> int:
    length = _count(value) if _text(value) else rules.get("callcenter.interval_minutes")
    if length not in INTERVAL_LENGTHS:
        raise ValueError(_("An interval lasts %(lengths)s minutes.") % {
            "lengths": "、".join(str(minutes) for minutes in INTERVAL_LENGTHS)})
    return length


PARSERS = {"interval_start": _start, "length_minutes": _length, **{name: _count for name in COUNTS},
           **{name: _seconds for name in DURATIONS}}


@dataclass
class Checker:
    """Turns rows into interval values, knowing the uploader's queues and the intervals seen so far."""

    queues: dict[str, Queue]
    now: datetime
    seen: dict[tuple[int, datetime], int]

    @classmethod
    def for_actor(cls, actor) -> "Checker":
        queues = Queue.objects.filter(scope_q(actor, CallcenterPermission.IMPORT_STATS, "unit__path"), is_active=True)
        return cls({queue.code.lower(): queue for queue in queues}, timezone.now(), {})

    def values(self, number: int, row: dict) -> dict:
        """The checked values of one row, or file_imports.RowProblems naming every field that is wrong."""
        values, problems = {}, []
        for name, parser in PARSERS.items():
            try:
                values[name] = parser(row.get(name))
            except ValueError as error:
                problems.append((name, str(error)))
        queue = self.queues.get(_text(row.get("queue")).lower())
        if queue is None:
            problems.append(("queue", _("Unknown queue code “%(code)s”, or a queue outside your scope.")
                             % {"code": _text(row.get("queue"))}))
        if not problems:
            problems = self._consistency(number, queue, values)
        if problems:
            raise file_imports.RowProblems(problems)
        return {"queue": queue, **values}

    def _consistency(self, number: int, queue: Queue, values: dict) -> list[tuple[str, str]]:
        start, length = values["interval_start"], values["length_minutes"]
        local = timezone.localtime(start)
        if local.second or local.microsecond or (local.hour * 60 + local.minute) % length:
            return [("interval_start", _("A %(length)d-minute interval starts on the clock (09:00, 09:%(length)02d …).")
                     % {"length": length})]
        if start > self.now:
            return [("interval_start", _("This interval has not started yet."))]
        earlier = self.seen.setdefault((queue.pk, start), number)
        if earlier != number:
            return [("interval_start", _("The same queue and interval as row %(row)d.") % {"row": earlier})]
        return _count_problems(values)


def _count_problems(values: dict) -> list[tuple[str, str]]:
    if values["answered"] + values["abandoned"] > values["offered"]:
        return [("offered", _("Calls answered and abandoned add up to more than the calls offered."))]
    if values["answered_within_threshold"] > values["answered"]:
        return [("answered_within_threshold", _("More calls answered in time than calls answered."))]
    return []


# --- The job ---------------------------------------------------------------------------------------------------

def start_import(actor, upload) -> IntervalImport:
    """Keep the uploaded file and queue its import (refused at once: not CSV/XLSX, too large, seen before)."""
    require(actor, CallcenterPermission.IMPORT_STATS)
    with transaction.atomic():
        job = file_imports.receive(IntervalImport, actor, upload,
                                   max_megabytes=rules.get("callcenter.import_max_megabytes"))
        file_imports.enqueue(job, run_interval_import)
    return job


@task(takes_context=True)
def run_interval_import(context, job_id: int) -> dict:
    """Import an uploaded file of interval statistics (`run`); a later attempt starts the job over."""
    job = run(job_id, again=context.attempt > 1)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "errors": job.error_count}


def run(job_id: int, again: bool = False) -> IntervalImport | None:
    return file_imports.run_all_or_nothing(IntervalImport, job_id, again=again, check=_checked, write=_write,
                                           recorded=_record)


def _checked(job: IntervalImport) -> list[dict]:
    return file_imports.checked_rows(job, FILE.records(job), Checker.for_actor(job.created_by).values,
                                     PROGRESS_EVERY)


def _existing(intervals: list[dict]) -> set[tuple[int, datetime]]:
    """(queue id, start) of the file's intervals already stored: one range query per queue."""
    spans: dict[int, list[datetime]] = {}
    for values in intervals:
        spans.setdefault(values["queue"].pk, []).append(values["interval_start"])
    stored = set()
    for queue_id, starts in spans.items():
        stored.update(IntervalStat.objects.filter(queue_id=queue_id, interval_start__range=(min(starts), max(starts)))
                      .values_list("queue_id", "interval_start"))
    return stored


@transaction.atomic
def _write(job: IntervalImport, intervals: list[dict]) -> None:
    stored = _existing(intervals)
    job.rows_updated = sum(1 for values in intervals if (values["queue"].pk, values["interval_start"]) in stored)
    job.rows_created = len(intervals) - job.rows_updated
    now = timezone.now()
    iterator = iter(intervals)
    while batch := list(islice(iterator, BATCH_ROWS)):
        IntervalStat.objects.bulk_create(
            [IntervalStat(source=job, updated_at=now, **values) for values in batch],
            update_conflicts=True, unique_fields=["queue", "interval_start"],
            update_fields=[*VALUE_FIELDS, "source", "updated_at"])


def _record(job: IntervalImport) -> None:
    action = CallcenterAction.STATS_IMPORT_FAIL if job.error_count else CallcenterAction.STATS_IMPORT
    audit.record(action, job, after={"file": job.original_name, "rows": job.total_rows, "added": job.rows_created,
                                     "replaced": job.rows_updated, "errors": job.error_count,
                                     "first_errors": job.errors[:10]})
