"""The regulatory report exported in the background (core/export_jobs.py, kind analytics.report): the XLSX holds
the month's figures (conftest.py works them out by hand), the PDF's text the Chinese headings, figures and a bar
chart per section; the frozen copy is exported as frozen; another branch cannot export or download it."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.analytics.reports import services
from bankdesk.core.models import ExportJob, ExportStatus

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def _export(client, captured, report, file_format, copy=""):
    query = f"report={report.pk}" + (f"&copy={copy}" if copy else "")
    with captured(execute=True):
        answer = client.post(reverse("core:export_request"), {"kind": "analytics.report", "format": file_format,
                                                              "query": query})
    assert answer.status_code == 302
    job = ExportJob.objects.order_by("-id").first()
    assert job.status == ExportStatus.SUCCEEDED, job.error
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def test_the_detail_page_offers_the_background_exports(desk, computed, logged_in):
    page = logged_in(desk.cp).get(reverse("analytics_reports:detail", args=[computed.pk])).content.decode()
    assert 'name="kind" value="analytics.report"' in page and f'value="report={computed.pk}"' in page
    assert 'name="format" value="pdf"' in page and "后台导出" in page


def test_xlsx_holds_the_figures(desk, computed, logged_in, django_capture_on_commit_callbacks):
    job, content = _export(logged_in(desk.cp), django_capture_on_commit_callbacks, computed, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["概况", "按业务类别", "按投诉原因", "按渠道", "按地区", "按处理结果（结案代码）"]
    summary = {row[0]: row[1] for row in workbook["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["投诉件数"] == "5" and summary["已办结"] == "2" and summary["数据"] == "最新计算"
    sheet = workbook["按渠道"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["代码", "名称", "投诉件数", "已办结", "占比（%）"] and sheet["A1"].font.bold
    assert ["hotline", "客服热线", 3, 1, 60.0] in rows and rows[-1] == [None, "合计", 5, 2, 100.0]
    assert sheet.cell(row=sheet.max_row, column=2).font.bold and sheet["E2"].number_format == "0.0"
    assert job.title.startswith("月度统计表") and job.file_name.endswith(".xlsx")


def test_pdf_holds_the_chinese_text_figures_and_charts(desk, computed, logged_in, django_capture_on_commit_callbacks,
                                                       tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _job, content = _export(logged_in(desk.cp), django_capture_on_commit_callbacks, computed, "pdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    assert content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = "".join(text.split())
    assert "月度统计表" in flat and "按业务类别" in flat and "按地区" in flat and "客服热线" in flat
    assert "东城分行" in flat and "合计" in flat and "80.0" in flat  # branch A: 4 of 5 complaints
    assert flat.count("按渠道") >= 2  # the section's heading and its chart's title


def test_the_frozen_copy_is_exported_as_frozen(desk, computed, logged_in, django_capture_on_commit_callbacks):
    services.freeze(desk.cp, computed)
    job, content = _export(logged_in(desk.cp), django_capture_on_commit_callbacks, computed, "csv", copy="frozen")
    text = content.decode("utf-8-sig")
    assert "冻结副本" in text and job.filters == {"report": [str(computed.pk)], "copy": ["frozen"]}


def test_another_branch_cannot_export_nor_download(desk, computed, logged_in, django_capture_on_commit_callbacks):
    job, _content = _export(logged_in(desk.cp), django_capture_on_commit_callbacks, computed, "csv")
    other = logged_in(desk.cp_b)
    answer = other.post(reverse("core:export_request"), {"kind": "analytics.report", "format": "csv",
                                                         "query": f"report={computed.pk}"})
    assert answer.status_code == 404 and ExportJob.objects.count() == 1
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    handler = logged_in(desk.handler_a1).post("/api/exports", {"kind": "analytics.report", "format": "csv",
                                                               "filters": {"report": computed.pk}},
                                              content_type="application/json")
    assert handler.status_code == 403


def test_the_list_of_reports(desk, month, computed, logged_in, django_capture_on_commit_callbacks):
    from bankdesk.analytics.reports.models import ReportKind
    from bankdesk.tests.exports import request_export, run_export, table

    with django_capture_on_commit_callbacks(execute=True):
        theirs = services.request_report(desk.cp_b, ReportKind.MONTHLY, month.year, month.number, desk.bank.branch_b)
    client = logged_in(desk.cp)
    assert 'value="analytics.reports"' in client.get(reverse("analytics_reports:list")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "analytics.reports", "xlsx",
                                             f"unit={desk.bank.root.code}"))
    assert header == ["统计周期", "报表", "机构", "投诉件数", "状态", "计算时间", "报送截止", "已超时", "已提交"]
    by_unit = {row[2]: row for row in rows}
    assert set(by_unit) == {desk.bank.root.name, theirs.unit.name} and by_unit[desk.bank.root.name][3] == 5
    branch_b = logged_in(desk.cp_b)
    rows = table(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "analytics.reports", "csv"))[1:]
    assert [row[2] for row in rows] == [desk.bank.branch_b.name]
    refused = request_export(branch_b, "analytics.reports", "csv", f"unit={desk.bank.root.code}")
    assert refused.status_code == 302 and ExportJob.objects.filter(requested_by=desk.cp_b).count() == 1
    assert request_export(logged_in(desk.teller), "analytics.reports").status_code == 403
