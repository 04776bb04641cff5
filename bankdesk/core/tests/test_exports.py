"""The export-job machinery with a kind of the test's own: the task writes the file with its progress, the
right is asked again when the task runs and at the download, the daily expiry deletes the file and keeps the
row, and the writers' files open with the figures (CSV, XLSX with openpyxl, PDF through pdftotext, a chart)."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bankdesk.core import export_files, export_jobs, exports, rules, scheduler
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.models import AuditEvent, ExportJob, ExportStatus
from bankdesk.core.permissions import CorePermission
from bankdesk.orgs.models import RoleAssignment

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
KIND = "tests.figures"


def _document(user, filters):
    if filters.get("fail"):
        raise NotFound()
    count = int(filters.get("rows", "3"))
    rows = ([f"第{number}行", number, number * 1.5] for number in range(1, count + 1))
    sheet = exports.Sheet("数字", ["名称", "数量", "占比（%）"], rows, count, widths=[12, 8, 10],
                          number_formats={2: "0.0"}, bold_last=True,
                          chart=exports.Chart("数量分布", [(f"第{number}行", number) for number in range(1, 4)]))
    return exports.Document("测试报表", "figures", [sheet], about=[("机构", "总行")])


@pytest.fixture(autouse=True)
def kind(settings, monkeypatch):
    settings.TASKS = IMMEDIATE_TASKS
    registered = exports.ExportKind(KIND, "测试报表", CorePermission.VIEW_AUDIT, _document)
    monkeypatch.setitem(exports.KINDS.entries, KIND, registered)
    return registered


def _queued(user, captured, file_format="xlsx", **filters):
    with captured(execute=True):
        job = export_jobs.request_export(user, KIND, file_format, filters)
    job.refresh_from_db()
    return job


def test_the_task_writes_the_file_with_its_figures(auditor, django_capture_on_commit_callbacks):
    job = _queued(auditor, django_capture_on_commit_callbacks, rows="2500")
    assert job.status == ExportStatus.SUCCEEDED and job.row_count == 2500 and job.total_rows == 2500
    assert default_storage.exists(job.file_path) and job.file_path.startswith("exports/")
    retention = rules.get("core.export_retention_days")
    assert job.expires_at - job.finished_at == timedelta(days=retention)
    content, name, content_type = export_jobs.open_download(auditor, job.pk)
    workbook = load_workbook(io.BytesIO(content.read()))
    content.close()
    sheet = workbook["数字"]
    assert [cell.value for cell in sheet[1]] == ["名称", "数量", "占比（%）"]
    assert [cell.value for cell in sheet[2501]] == ["第2500行", 2500, 3750.0]
    assert sheet["C2"].number_format == "0.0" and sheet["A2501"].font.bold and not sheet["A2"].font.bold
    assert workbook["概况"]["A2"].value == "机构" and workbook["概况"]["B2"].value == "总行"
    assert name == "figures.xlsx" and content_type.startswith("application/vnd.openxmlformats")


def test_progress_moves_while_the_rows_are_written(auditor, monkeypatch):
    job = export_jobs.request_export(auditor, KIND, "csv", {"rows": "3000"})  # no commit: not run yet
    seen = []
    original = export_files.write_csv

    def watching(document, out, progress):
        def spy(rows):
            progress(rows)
            seen.append(ExportJob.objects.values_list("progress", "row_count").get(pk=job.pk))
        return original(document, out, spy)

    monkeypatch.setitem(export_files.WRITERS, "csv", watching)
    export_jobs.run(job.pk)
    assert seen == [(33, 1000), (66, 2000), (99, 3000)]
    assert ExportJob.objects.get(pk=job.pk).progress == 100


def test_the_right_is_asked_again_when_the_task_runs_and_at_download(auditor, bank, logged_in,
                                                                      django_capture_on_commit_callbacks):
    ready = _queued(auditor, django_capture_on_commit_callbacks)
    waiting = export_jobs.request_export(auditor, KIND, "csv", {})
    RoleAssignment.objects.filter(user=auditor).update(is_active=False)
    export_jobs.run(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == ExportStatus.FAILED and "无权" in waiting.error and not waiting.file_path
    assert logged_in(auditor).get(reverse("core:export_download", args=[ready.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="core.export.download").exists()


def test_an_object_gone_from_the_scope_fails_the_job_with_a_message(auditor):
    job = export_jobs.request_export(auditor, KIND, "csv", {})
    ExportJob.objects.filter(pk=job.pk).update(filters={"fail": ["1"]})
    export_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error


def test_requests_are_checked(auditor, agent):
    with pytest.raises(ValidationFailed) as unknown:
        export_jobs.request_export(auditor, "no.such.kind", "csv", {})
    assert unknown.value.field == "kind"
    with pytest.raises(ValidationFailed) as bad_format:
        export_jobs.request_export(auditor, KIND, "docx", {})
    assert bad_format.value.field == "format"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        export_jobs.request_export(agent, KIND, "csv", {})
    for _number in range(rules.get("core.export_active_limit")):
        export_jobs.request_export(auditor, KIND, "csv", {})
    from bankdesk.core.errors import Conflict

    with pytest.raises(Conflict):
        export_jobs.request_export(auditor, KIND, "csv", {})


def test_the_daily_expiry_deletes_the_file_and_keeps_the_row(auditor, logged_in, django_capture_on_commit_callbacks):
    job = _queued(auditor, django_capture_on_commit_callbacks, file_format="csv")
    fresh = _queued(auditor, django_capture_on_commit_callbacks, file_format="csv")
    path = job.file_path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert export_jobs.expire() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and job.expired_at and not job.file_path
    assert not default_storage.exists(path) and default_storage.exists(fresh.file_path)
    assert AuditEvent.objects.filter(action="core.export.expire", object_id=str(job.pk)).exists()
    client = logged_in(auditor)
    answer = client.get(reverse("core:export_download", args=[job.pk]), follow=True)
    assert "文件已过期并删除" in answer.content.decode()
    assert client.get(f"/api/exports/{job.pk}/download").status_code == 409
    assert client.get(f"/api/exports/{job.pk}").json()["status"] == "expired"
    assert export_jobs.expire() == 0  # nothing twice
    assert any(periodic.name == "core.expire_exports" and periodic.every == timedelta(days=1)
               for periodic in scheduler.PERIODIC_JOBS)


def test_the_pdf_holds_chinese_text_the_figures_and_the_chart(tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from django.utils.datastructures import MultiValueDict

    path = tmp_path / "figures.pdf"
    with path.open("wb") as out:
        written = export_files.write(_document(None, MultiValueDict({"rows": ["600"]})), "pdf", out)
    assert written == 600
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = "".join(text.split())
    assert "测试报表" in flat and "机构总行" in flat and "数量分布" in flat  # title, about, the chart's title
    assert "第600行" in flat and "900.0" in flat and "第1行" in flat
    pages = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) > 1


def test_csv_starts_with_the_bom_and_keeps_formulas_out():
    document = exports.Document("表", "t", [exports.Sheet("表", ["名称"], iter([["=1+1"], ["正常"]]), 2)])
    out = io.BytesIO()
    assert export_files.write(document, "csv", out) == 2
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf") and "'=1+1" in raw.decode("utf-8-sig")
