"""The complaint list exported in the background (core/export_jobs.py): the files open (XLSX with openpyxl, the
PDF's text with poppler's pdftotext) and hold the list's rows under Chinese headers, within the requester's
scope and filters; 我的导出 shows the job and its download link; other users see nothing of it; a list longer
than core.export_direct_row_limit goes to a job instead of streaming."""

import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.core import rules
from bankdesk.core.models import AuditEvent, ExportJob, ExportStatus

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def complaints(desk, registration):
    """Two complaints about branch A's outlet (one of them =formula-like), one about branch B's."""
    return [register_complaint(desk.agent, registration()),
            register_complaint(desk.agent, registration(complainant_name="=HYPERLINK(1)", phone="13800001111")),
            register_complaint(desk.agent, registration(unit=desk.bank.outlet_b, phone="13700002222"))]


def _request(client, captured, file_format, query="", kind="complaints.list"):
    with captured(execute=True):
        answer = client.post(reverse("core:export_request"), {"kind": kind, "format": file_format, "query": query})
    assert answer.status_code == 302 and answer["Location"] == reverse("core:exports")
    return ExportJob.objects.order_by("-id").first()


def _download(client, job) -> bytes:
    answer = client.get(reverse("core:export_download", args=[job.pk]))
    assert answer.status_code == 200, answer.status_code
    return b"".join(answer.streaming_content)


def test_xlsx_of_the_list_holds_the_rows_under_chinese_headers(desk, complaints, logged_in,
                                                                django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    job = _request(client, django_capture_on_commit_callbacks, "xlsx")
    assert job.status == ExportStatus.SUCCEEDED and job.row_count == 3 and job.progress == 100
    assert job.file_name.endswith(".xlsx") and job.expires_at is not None

    page = client.get(reverse("core:exports")).content.decode()
    assert "我的导出" in page and "投诉列表" in page and reverse("core:export_download", args=[job.pk]) in page
    workbook = load_workbook(io.BytesIO(_download(client, job)))
    assert workbook.sheetnames[0] == "概况" and workbook["概况"]["A1"].value == "投诉列表"
    sheet = workbook[workbook.sheetnames[1]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "受理编号" and "被投诉机构" in header
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    by_number = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert set(by_number) == {complaint.tracking_number for complaint in complaints}
    formula_like = by_number[complaints[1].tracking_number]
    assert "'=HYPERLINK(1)" in formula_like.values()  # no formula reaches Excel
    assert "138****1111" in formula_like.values() and "13800001111" not in str(rows)
    assert AuditEvent.objects.filter(action="core.export.request", object_id=str(job.pk), actor=desk.cp).exists()
    assert AuditEvent.objects.filter(action="core.export.download", object_id=str(job.pk), actor=desk.cp).exists()


def test_csv_follows_the_filters_and_the_scope(desk, complaints, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    job = _request(client, django_capture_on_commit_callbacks, "csv", f"search={complaints[0].tracking_number}")
    text = _download(client, job).decode("utf-8-sig")
    assert complaints[0].tracking_number in text and complaints[1].tracking_number not in text
    assert job.row_count == 1 and job.filters == {"search": [complaints[0].tracking_number]}

    branch_b = logged_in(desk.cp_b)  # the consumer-protection office of branch B: its own complaints only
    job_b = _request(branch_b, django_capture_on_commit_callbacks, "csv")
    rows = list(csv.reader(io.StringIO(_download(branch_b, job_b).decode("utf-8-sig"))))
    numbers = {row[0] for row in rows if row}
    assert complaints[2].tracking_number in numbers and complaints[0].tracking_number not in numbers
    assert job_b.row_count == 1


def test_pdf_holds_chinese_text_and_the_rows(desk, complaints, logged_in, django_capture_on_commit_callbacks,
                                             tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    client = logged_in(desk.cp)
    job = _request(client, django_capture_on_commit_callbacks, "pdf")
    assert job.status == ExportStatus.SUCCEEDED, job.error
    path = tmp_path / "list.pdf"
    path.write_bytes(_download(client, job))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "投诉列表" in flat and "受理编号" in flat and "人民路网点" in flat
    assert all(complaint.tracking_number in flat for complaint in complaints)


def test_pdf_refused_over_its_row_limit(desk, complaints, logged_in):
    rules.set_value(desk.bank.admin, "core.export_pdf_row_limit", "2", "测试")
    answer = logged_in(desk.cp).post(reverse("core:export_request"), {"kind": "complaints.list", "format": "pdf"},
                                     follow=True)
    assert "PDF 最多" in answer.content.decode() and not ExportJob.objects.exists()


def test_without_the_right_nothing_is_queued(desk, complaints, logged_in):
    answer = logged_in(desk.agent).post(reverse("core:export_request"), {"kind": "complaints.list", "format": "csv"})
    assert answer.status_code == 403 and not ExportJob.objects.exists()


def test_another_user_sees_nothing_and_cannot_download(desk, complaints, logged_in,
                                                       django_capture_on_commit_callbacks):
    job = _request(logged_in(desk.cp), django_capture_on_commit_callbacks, "csv")
    other = logged_in(desk.handler_b)
    assert job.file_name not in other.get(reverse("core:exports")).content.decode()
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert other.get(f"/api/exports/{job.pk}").status_code == 404
    assert other.get(f"/api/exports/{job.pk}/download").status_code == 404
    assert not AuditEvent.objects.filter(action="core.export.download").exists()


def test_invalid_filters_are_refused_not_widened(desk, complaints, logged_in):
    answer = logged_in(desk.cp).post(reverse("core:export_request"), {
        "kind": "complaints.list", "format": "csv", "query": "received_from=not-a-date"}, follow=True)
    assert "受理日期起" in answer.content.decode() or "class=\"message error" in answer.content.decode()
    assert not ExportJob.objects.exists()


def test_a_large_list_goes_to_a_background_job(desk, complaints, logged_in, django_capture_on_commit_callbacks):
    rules.set_value(desk.bank.admin, "core.export_direct_row_limit", "2", "测试")
    client = logged_in(desk.cp)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get(reverse("complaints:export"), {"severity": ""})
    assert answer.status_code == 302 and answer["Location"] == reverse("core:exports")
    job = ExportJob.objects.get()
    assert job.format == "csv" and job.status == ExportStatus.SUCCEEDED and job.row_count == 3
    small = client.get(reverse("complaints:export"), {"search": complaints[0].tracking_number})
    assert small.status_code == 200 and small.streaming  # one row: streamed at once as before


def test_the_api_requests_polls_and_downloads(desk, complaints, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/exports", {"kind": "complaints.list", "format": "xlsx",
                                              "filters": {"search": complaints[2].tracking_number}},
                             content_type="application/json")
    assert answer.status_code == 202, answer.content
    job_id = answer.json()["id"]
    status = client.get(f"/api/exports/{job_id}").json()
    assert status["status"] == "succeeded" and status["row_count"] == 1 and status["download_url"]
    workbook = load_workbook(io.BytesIO(b"".join(client.get(status["download_url"]).streaming_content)))
    values = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert values == ["受理编号", complaints[2].tracking_number]
    listed = client.get("/api/exports").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == job_id
    refused = logged_in(desk.agent).post("/api/exports", {"kind": "complaints.list", "format": "csv"},
                                         content_type="application/json")
    assert refused.status_code == 403
    unknown = client.post("/api/exports", {"kind": "nothing", "format": "csv"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "kind"


def test_the_exports_page_polls_while_a_job_runs(desk, complaints, logged_in, django_assert_max_num_queries):
    from bankdesk.core import export_jobs

    for _number in range(3):
        export_jobs.request_export(desk.cp, "complaints.list", "csv", {})  # queued: no commit, no worker
    client = logged_in(desk.cp)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("core:exports")).content.decode()
    assert 'hx-trigger="every 2s"' in page and page.count('data-status="queued"') == 3
    partial = client.get(reverse("core:exports"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="export-jobs"' in partial and "<html" not in partial
