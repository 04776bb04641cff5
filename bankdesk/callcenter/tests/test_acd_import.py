"""ACD interval statistics import: every row checked, problems reported by row and field, all or nothing."""

import io
from datetime import datetime, time, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.callcenter import acd_import
from bankdesk.callcenter.models import IntervalImport, IntervalStat, Queue
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent, JobStatus
from bankdesk.orgs.models import Role

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HEADER = "时段开始,队列代码,呼入量,接通量,时限内接通量,放弃量,处理时长(秒),接通前等待(秒),在岗(秒),通话(秒)"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def planner(center, bank):
    return bank.user("planner", Role.WORKFORCE_PLANNER, center.unit)


def _csv(*lines: str, header: str = HEADER, encoding: str = "gb18030", name: str = "acd.csv"):
    return SimpleUploadedFile(name, "\n".join([header, *lines]).encode(encoding))


def _run(django_capture_on_commit_callbacks, actor, upload) -> IntervalImport:
    with django_capture_on_commit_callbacks(execute=True):
        job = acd_import.start_import(actor, upload)
    job.refresh_from_db()
    return job


def test_a_good_file_is_imported(planner, center, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, planner, _csv(
        "2025-03-03 09:00,HOTLINE,100,95,80,5,19950,950,16200,15000",
        "2025-03-03 09:30,hotline,120,110,88,10,0:38:30,1:00,16200,15000"))
    assert (job.status, job.total_rows, job.rows_created, job.error_count) == (JobStatus.SUCCEEDED, 2, 2, 0)
    second = IntervalStat.objects.get(interval_start=timezone.make_aware(datetime(2025, 3, 3, 9, 30)))
    assert (second.queue, second.offered, second.handle_time_seconds, second.answer_wait_seconds,
            second.length_minutes) == (center.queue, 120, 2310, 60, 30)
    assert second.source == job
    event = AuditEvent.objects.get(action="callcenter.stats.import")
    assert event.after["added"] == 2 and event.actor == planner


def test_a_corrected_file_replaces_its_intervals(planner, center, django_capture_on_commit_callbacks):
    _run(django_capture_on_commit_callbacks, planner, _csv("2025-03-03 09:00,HOTLINE,100,95,80,5,19950,950,0,0"))
    job = _run(django_capture_on_commit_callbacks, planner, _csv(
        "2025-03-03 09:00,HOTLINE,101,96,80,5,19950,950,0,0", "2025-03-03 09:30,HOTLINE,1,1,1,0,60,2,0,0"))
    assert (job.rows_created, job.rows_updated) == (1, 1)
    assert IntervalStat.objects.get(interval_start=timezone.make_aware(datetime(2025, 3, 3, 9))).offered == 101


def test_every_problem_is_reported_and_nothing_is_written(planner, center, bank,
                                                          django_capture_on_commit_callbacks):
    Queue.objects.create(code="WEST", name="西城", unit=center.branch_center)
    future = timezone.localtime() + timedelta(days=1)
    job = _run(django_capture_on_commit_callbacks, planner, _csv(
        "2025-03-03 09:00,HOTLINE,100,95,80,5,19950,950,0,0",  # good, but not written
        "2025-03-03 09:10,HOTLINE,100,95,80,5,19950,950,0,0",
        "2025-03-03 10:00,HOTLINE,100,101,80,5,1h,950,0,0",  # the counts are compared once every field reads
        "2025-03-03 10:30,WEST,1,1,1,0,0,0,0,0",
        "2025-03-03 09:00,HOTLINE,1,1,1,0,0,0,0,0",
        "2025-03-03 11:00,HOTLINE,10,9,10,1,0,0,0,0",
        f"{future:%Y-%m-%d} 09:00,HOTLINE,1,1,1,0,0,0,0,0",
        "三月三日,HOTLINE,-1,0,0,0,0,0,0,0",
        "2025-03-03 11:30,HOTLINE,100,98,80,5,0,0,0,0"))
    assert job.status == JobStatus.FAILED and IntervalStat.objects.count() == 0
    problems = {(error["row"], error["field"]) for error in job.errors}
    assert problems == {(3, "interval_start"), (4, "handle_time_seconds"), (5, "queue"), (6, "interval_start"),
                        (7, "answered_within_threshold"), (8, "interval_start"), (9, "interval_start"),
                        (9, "offered"), (10, "offered")}
    assert job.error_count == len(job.errors) == 9
    messages = {(error["row"], error["field"]): error["message"] for error in job.errors}
    assert "第 2 行" in messages[(6, "interval_start")]
    assert AuditEvent.objects.filter(action="callcenter.stats.import_fail").exists()


def test_missing_and_unknown_columns_stop_the_file(planner, center, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, planner,
               _csv("2025-03-03 09:00,HOTLINE,1", header="时段开始,队列代码,天气"))
    assert job.status == JobStatus.FAILED
    fields = {error["field"] for error in job.errors}
    assert {"", "offered", "answered", "abandoned", "handle_time_seconds"} <= fields


def test_an_excel_workbook_with_dates_and_durations(planner, center, django_capture_on_commit_callbacks):
    book = openpyxl.Workbook()
    book.active.append(["interval_start", "queue", "length_minutes", "offered", "answered",
                        "answered_within_threshold", "abandoned", "handle_time_seconds", "talk_seconds"])
    book.active.append([datetime(2025, 3, 3, 9), "HOTLINE", 15, 10, 9, 8, 1, time(0, 30), timedelta(minutes=25)])
    data = io.BytesIO()
    book.save(data)
    job = _run(django_capture_on_commit_callbacks, planner, SimpleUploadedFile("acd.xlsx", data.getvalue()))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    stat = IntervalStat.objects.get()
    assert (stat.length_minutes, stat.handle_time_seconds, stat.talk_seconds) == (15, 1800, 1500)


def test_the_errors_kept_are_capped_but_all_counted(planner, center, django_capture_on_commit_callbacks,
                                                    monkeypatch):
    monkeypatch.setattr(IntervalImport, "MAX_ERRORS", 3)
    job = _run(django_capture_on_commit_callbacks, planner,
               _csv(*[f"2025-03-03 09:00,NOPE{n},1,1,1,0,0,0,0,0" for n in range(5)]))
    assert (job.error_count, len(job.errors)) == (5, 3)


def test_refused_up_front(planner, agent, center, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        acd_import.start_import(center.agent_user, _csv())
    with pytest.raises(ValidationFailed) as failure:
        acd_import.start_import(planner, _csv(name="acd.txt"))
    assert failure.value.field == "file"
    _run(django_capture_on_commit_callbacks, planner, _csv("2025-03-03 09:00,HOTLINE,1,1,1,0,0,0,0,0"))
    with pytest.raises(ValidationFailed):
        acd_import.start_import(planner, _csv("2025-03-03 09:00,HOTLINE,1,1,1,0,0,0,0,0"))


def test_a_job_runs_once_unless_its_worker_died(planner, center, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, planner, _csv("2025-03-03 09:00,HOTLINE,1,1,1,0,0,0,0,0"))
    assert acd_import.run(job.pk) is None
    IntervalImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    assert acd_import.run(job.pk, again=True).status == JobStatus.SUCCEEDED


def test_the_largest_file_is_a_rule_setting(planner, bank, django_capture_on_commit_callbacks):
    """A file of just over 1 MB is refused while the rule says 1 MB and taken once an administrator raises it."""
    padded = _csv("2025-03-03 09:00,HOTLINE,1,1,1,0,0,0,0,0", header=HEADER + " " * 1024 * 1024)
    rules.set_value(bank.admin, "callcenter.import_max_megabytes", "1", "测试")
    with pytest.raises(ValidationFailed) as failure:
        acd_import.start_import(planner, padded)
    assert failure.value.field == "file" and "1 MB" in str(failure.value) and not IntervalImport.objects.exists()
    rules.set_value(bank.admin, "callcenter.import_max_megabytes", "2", "测试")
    with django_capture_on_commit_callbacks():
        acd_import.start_import(planner, padded)
    assert IntervalImport.objects.count() == 1
