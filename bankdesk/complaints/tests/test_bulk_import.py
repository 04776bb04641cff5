"""Bulk import of historical complaints: every row checked, then all registered in one transaction or none."""

import csv
import io
import time
from datetime import datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from bankdesk.complaints.intake import bulk_import, registration
from bankdesk.complaints.models import Cause, Clock, Complaint, ImportJob, ImportPhase
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent, AuditSource, JobStatus

HTMX = {"HTTP_HX_REQUEST": "true"}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

@pytest.fixture(autouse=True)
def _setup(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TASKS = IMMEDIATE_TASKS


ENGLISH = ["complainant_name", "phone", "channel", "unit", "business_category", "cause", "description", "demand",
           "received_at", "amount_involved"]
CHINESE = ["投诉人", "联系电话", "渠道", "网点/部门代码", "业务类别", "投诉原因", "投诉内容", "诉求", "受理时间",
           "涉及金额（元）"]


def _row(number: int, **changes) -> list:
    values = {"complainant_name": f"客户{number}", "phone": f"139{number:08d}", "channel": "hotline",
              "unit": "A-O1", "business_category": "counter_waiting", "cause": "attitude",
              "description": f"第{number}号历史投诉：排队时间过长。", "demand": "要求道歉",
              "received_at": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d} 10:{number % 60:02d}",
              "amount_involved": ""}
    values.update(changes)
    return [values[name] for name in ENGLISH]


def _csv(rows, header=ENGLISH, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _start(user, content: bytes, name="history.csv") -> ImportJob:
    job = bulk_import.start_import(user, SimpleUploadedFile(name, content))
    job.refresh_from_db()
    return job


def test_good_csv_registers_every_row(desk):
    job = _start(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert (job.total_rows, job.processed_rows, job.error_count, job.progress_percent) == (5, 5, 0, 100)
    assert job.phase == ImportPhase.DONE and job.finished_at is not None
    complaints = Complaint.objects.order_by("received_at")
    assert complaints.count() == 5
    first = Complaint.objects.get(complainant_name="客户1")
    assert first.phone == "13900000001" and first.unit == desk.bank.outlet_a
    assert first.registered_by == desk.cp and first.channel.code == "hotline"
    registered = AuditEvent.objects.filter(action="complaint.register")
    assert registered.count() == 5 and set(registered.values_list("source", flat=True)) == {AuditSource.IMPORT}
    assert list(AuditEvent.objects.filter(object_type="complaints.importjob").values_list("action", flat=True)
                .order_by("id")) == ["complaint.import.queued", "complaint.import.succeeded"]


def test_one_bad_row_registers_nothing_and_reports_row_field_message(desk):
    rows = [_row(1), _row(2), _row(3, phone="12345"), _row(4, unit="NOPE"), _row(5, received_at="yesterday")]
    job = _start(desk.cp, _csv(rows))
    assert job.status == JobStatus.FAILED
    assert Complaint.objects.count() == 0
    assert job.error_count == 3 and job.processed_rows == 5
    assert [(error["row"], error["field"]) for error in job.errors] == [
        (4, "phone"), (5, "unit"), (6, "received_at")]
    assert job.errors[0]["message"] == "Enter a mobile number (11 digits) or a landline with area code."
    assert job.errors[1]["message"] == "Unknown unit code."
    assert AuditEvent.objects.filter(action="complaint.import.failed").count() == 1


def test_a_row_refused_while_writing_rolls_back_the_whole_file(desk, monkeypatch):
    """Should the write pass refuse a row the check passed (its cause retired meanwhile), the batches
    already written are rolled back too."""
    monkeypatch.setattr(bulk_import, "BATCH_ROWS", 2)
    real = bulk_import._progress

    def retire_quality_when_writing(job, **changes):
        real(job, **changes)
        if changes.get("phase") == ImportPhase.WRITING:
            Cause.objects.filter(code="quality").update(is_active=False)

    monkeypatch.setattr(bulk_import, "_progress", retire_quality_when_writing)
    job = _start(desk.cp, _csv([_row(n, cause="quality" if n == 4 else "attitude") for n in range(1, 6)]))
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"row": 5, "field": "cause", "message": "Unknown cause code."}]
    assert Complaint.objects.count() == 0


def test_chinese_headers_and_gbk_csv(desk):
    rows = [_row(1, amount_involved="1,200.50"), _row(2, channel="客服热线", business_category="柜面服务 / 排队与等候",
                                                   cause="服务态度")]
    job = _start(desk.cp, _csv(rows, header=CHINESE, encoding="gb18030"))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert Complaint.objects.get(complainant_name="客户1").amount_involved == bulk_import.Decimal("1200.50")
    second = Complaint.objects.get(complainant_name="客户2")
    assert (second.channel.code, second.business_category.code, second.cause.code) == (
        "hotline", "counter_waiting", "attitude")


def test_xlsx_works(desk):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(CHINESE[:9] + ["证件类型", "证件号码", "群体投诉"])
    sheet.append(["王五", 13812345678, "hotline", "B-O1", "counter_waiting", "attitude", "柜员态度差", "",
                  datetime(2024, 5, 6, 9, 30), "居民身份证", "11010519491231002X", "否"])
    sheet.append([])
    sheet.append(["赵六", "13812345679", "letter", "B-O1", "counter_waiting", "attitude", "等了很久", "道歉",
                  "2024/05/07 14:00", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _start(desk.cp, buffer.getvalue(), name="历史投诉.xlsx")
    assert job.kind == "xlsx" and job.original_name == "历史投诉.xlsx"
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert job.total_rows == 2
    wang = Complaint.objects.get(complainant_name="王五")
    assert wang.phone == "13812345678" and wang.id_type == "resident_id" and wang.id_number == "11010519491231002X"
    assert wang.received_at.astimezone(bulk_import.timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") == \
        "2024-05-06 09:30"


def test_xlsx_error_rows_are_numbered_as_excel_shows_them(desk):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ENGLISH[:9])
    sheet.append(_row(1)[:9])
    sheet.append(_row(2, description="")[:9])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _start(desk.cp, buffer.getvalue(), name="bad.xlsx")
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"row": 3, "field": "description", "message": "Write down the customer's own words."}]


def test_header_problems_stop_before_any_row(desk):
    job = _start(desk.cp, _csv([_row(1)], header=["投诉人", "电话号码", *ENGLISH[2:6], "description", "demand",
                                                   "demand", "amount_involved"]))
    assert job.status == JobStatus.FAILED
    fields = {(error["row"], error["field"]) for error in job.errors}
    assert fields == {(1, "电话号码"), (1, "demand"), (1, "phone"), (1, "received_at")}


def test_rows_outside_the_uploaders_scope_are_refused(desk):
    job = _start(desk.cp_b, _csv([_row(1, unit="B-O1"), _row(2, unit="A-O1")]))
    assert job.status == JobStatus.FAILED
    assert [(error["row"], error["field"]) for error in job.errors] == [(3, "unit")]
    assert Complaint.objects.count() == 0


def test_the_same_file_is_not_imported_twice(desk):
    content = _csv([_row(1)])
    assert _start(desk.cp, content).status == JobStatus.SUCCEEDED
    with pytest.raises(bulk_import.ValidationFailed) as refused:
        _start(desk.cp, content)
    assert refused.value.field == "file"
    assert Complaint.objects.count() == 1


def test_only_csv_and_xlsx(desk):
    with pytest.raises(bulk_import.ValidationFailed):
        _start(desk.cp, b"x", name="history.xls")
    with pytest.raises(bulk_import.ValidationFailed):
        _start(desk.cp, b"not a zip", name="history.xlsx")


def test_progress_is_written_while_checking(desk, monkeypatch):
    monkeypatch.setattr(bulk_import, "PROGRESS_EVERY", 2)
    seen = []
    real = bulk_import._progress

    def spy(job, **changes):
        real(job, **changes)
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((stored.phase, stored.processed_rows, stored.progress_percent))

    monkeypatch.setattr(bulk_import, "_progress", spy)
    job = _start(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    assert job.progress_percent == 100
    assert ("validating", 2, 20) in seen and ("validating", 4, 40) in seen and ("writing", 5, 50) in seen


# --- Pages ---------------------------------------------------------------------------------------------------------

def test_only_importers_may_upload(desk, client):
    client.force_login(desk.agent)
    assert client.get("/complaints/imports/new/").status_code == 403
    response = client.post("/complaints/imports/new/", {"file": SimpleUploadedFile("h.csv", _csv([_row(1)]))})
    assert response.status_code == 403
    assert client.get("/complaints/imports/").status_code == 403
    assert client.get("/complaints/imports/template.csv").status_code == 403
    assert ImportJob.objects.count() == 0


def test_upload_page_job_page_and_error_report(desk, client):
    client.force_login(desk.cp)
    page = client.get("/complaints/imports/new/")
    assert page.status_code == 200 and "counter_waiting" in page.content.decode()
    response = client.post("/complaints/imports/new/",
                           {"file": SimpleUploadedFile("h.csv", _csv([_row(1), _row(2, phone="1")]))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/complaints/imports/{job.pk}/"
    detail = client.get(response.url).content.decode()
    assert "Nothing was registered" in detail and "phone" in detail and 'hx-trigger="every' not in detail
    report = client.get(f"/complaints/imports/{job.pk}/errors.csv")
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Row", "Field", "Message"] and lines[1][:2] == ["3", "phone"]
    assert str(job.pk) in client.get("/complaints/imports/").content.decode()


def test_a_running_job_polls_every_two_seconds(desk, client):
    job = ImportJob.objects.create(original_name="h.csv", kind="csv", sha256="0" * 64, created_by=desk.cp,
                                   status=JobStatus.RUNNING, phase=ImportPhase.VALIDATING, total_rows=1000,
                                   processed_rows=500)
    client.force_login(desk.cp)
    partial = client.get(f"/complaints/imports/{job.pk}/", **HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in partial and 'value="25"' in partial and "<html" not in partial


def test_importers_see_only_their_own_jobs_unless_bank_wide(desk, client):
    job = _start(desk.cp, _csv([_row(1)]))
    client.force_login(desk.cp_b)
    assert client.get(f"/complaints/imports/{job.pk}/").status_code == 404


def test_template_csv(desk, client):
    client.force_login(desk.cp)
    chinese = b"".join(client.get("/complaints/imports/template.csv").streaming_content).decode("utf-8-sig")
    assert chinese.splitlines()[0].startswith("投诉人,联系电话,渠道,网点/部门代码")
    english = b"".join(client.get("/complaints/imports/template.csv?names=en").streaming_content).decode("utf-8-sig")
    assert english.splitlines()[0].startswith("complainant_name,phone,channel,unit")
    assert set(bulk_import._header(chinese.splitlines()[0].split(","))[0]) == set(bulk_import.COLUMNS)


# --- Size ----------------------------------------------------------------------------------------------------------

BIG_FILE_ROWS = 1_000  # bench/complaint_import_bench.py measures the large files


def test_a_big_file_imports_in_reasonable_time(desk):
    """Streams and registers BIG_FILE_ROWS rows in batches; bench/complaint_import_bench.py measures
    100,000 and more (20,000 rows took 12 s on the bench machine)."""
    content = _csv(_row(n, unit=("A-O1", "B-O1", "A", "B")[n % 4]) for n in range(1, BIG_FILE_ROWS + 1))
    started = time.perf_counter()
    job = _start(desk.cp, content)
    elapsed = time.perf_counter() - started
    assert job.status == JobStatus.SUCCEEDED, job.errors[:5]
    assert Complaint.objects.count() == BIG_FILE_ROWS
    print(f"\n{BIG_FILE_ROWS} rows imported in {elapsed:.1f} s")


def _indexes(model) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: tuple(found[name]["columns"]) for name in found if found[name]["index"]}


def _indexes_while_registering(monkeypatch) -> list[dict]:
    seen = []
    register = registration.Registrations.register

    def spy(self, inputs, attachments=None):
        seen.append(_indexes(Complaint) | _indexes(Clock))
        return register(self, inputs, attachments)

    monkeypatch.setattr(registration.Registrations, "register", spy)
    return seen


def test_a_file_adding_many_complaints_has_sqlite_build_their_indexes_after_the_rows(desk, monkeypatch):
    """On SQLite the complaints' and clocks' indexes, but the phone's that the repeat look-up reads, are dropped
    while the rows are written and built again in the same transaction; the tables end as they began."""
    before = _indexes(Complaint) | _indexes(Clock)
    seen = _indexes_while_registering(monkeypatch)
    job = _start(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert _indexes(Complaint) | _indexes(Clock) == before
    if connection.vendor == "sqlite":
        assert ("phone_index",) in seen[0].values() and ("received_at",) not in seen[0].values()
        assert ("kind", "due_at") not in seen[0].values()
    else:
        assert seen[0] == before
    assert Complaint.objects.filter(received_at__year=2024).count() == 5  # read through the rebuilt index


def test_a_file_refused_while_writing_leaves_the_indexes_as_they_were(desk, monkeypatch):
    before = _indexes(Complaint) | _indexes(Clock)
    monkeypatch.setattr(bulk_import, "BATCH_ROWS", 2)
    monkeypatch.setattr(bulk_import, "_finish", _raising_when_succeeded(bulk_import._finish))
    _start(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    assert Complaint.objects.count() == 0
    assert _indexes(Complaint) | _indexes(Clock) == before


def _raising_when_succeeded(finish):
    def stopped_while_finishing(job, status, *args):
        if status == JobStatus.SUCCEEDED:
            raise SystemExit("worker stopped")
        return finish(job, status, *args)

    return stopped_while_finishing


def test_a_small_file_into_many_complaints_keeps_the_indexes_up_to_date(desk, monkeypatch):
    _start(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    before = _indexes(Complaint) | _indexes(Clock)
    seen = _indexes_while_registering(monkeypatch)
    job = _start(desk.cp, _csv([_row(n) for n in range(6, 8)]))  # 2 rows: under half of the 5 there are
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert seen == [before] and Complaint.objects.count() == 7


def test_text_outside_the_columns_is_a_row_problem(desk):
    """An unquoted comma in the text shifts the cells: the row is refused rather than imported askew."""
    job = _start(desk.cp, _csv([_row(1), _row(2) + ["多余"]]))
    assert job.status == JobStatus.FAILED
    assert [(error["row"], error["field"]) for error in job.errors] == [(3, "")]


def test_job_left_running_by_a_dead_worker_is_started_over_only_by_a_later_attempt(desk, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    job = _start(desk.cp, _csv([_row(n) for n in range(1, 4)]))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, phase=ImportPhase.WRITING, processed_rows=3)
    bulk_import.run(job.pk)  # a second task for a job someone is running: left alone
    job.refresh_from_db()
    assert (job.status, Complaint.objects.count()) == (JobStatus.RUNNING, 0)
    bulk_import.run(job.pk, again=True)  # the task queued again after its worker died (core/workers.py)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, Complaint.objects.count()) == (JobStatus.SUCCEEDED, 3, 3)
    assert AuditEvent.objects.filter(action="complaint.import.restarted", object_id=str(job.pk)).count() == 1


def test_rows_and_the_jobs_success_are_committed_together(desk, monkeypatch):
    """A worker stopping between the two must not leave the rows registered and the job "running"."""
    monkeypatch.setattr(bulk_import, "_finish", _raising_when_succeeded(bulk_import._finish))
    _start(desk.cp, _csv([_row(n) for n in range(1, 4)]))  # the immediate task backend records the SystemExit
    assert Complaint.objects.count() == 0
    assert ImportJob.objects.get().status == JobStatus.RUNNING


def test_the_largest_file_is_a_rule_setting(desk):
    """A file of just over 1 MB is refused while the rule says 1 MB and taken once an administrator raises it."""
    upload = b"x" * (1024 * 1024 + 1)
    rules.set_value(desk.bank.admin, "complaint.import_max_megabytes", "1", "测试")
    with pytest.raises(ValidationFailed) as failure:
        bulk_import.start_import(desk.cp, SimpleUploadedFile("history.csv", upload))
    assert failure.value.field == "file" and "1 MB" in str(failure.value) and not ImportJob.objects.exists()
    rules.set_value(desk.bank.admin, "complaint.import_max_megabytes", "2", "测试")
    bulk_import.start_import(desk.cp, SimpleUploadedFile("history.csv", upload))
    assert ImportJob.objects.count() == 1
