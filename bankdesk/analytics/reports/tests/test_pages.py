"""The regulatory statistics' pages and exports: list with due dates, computation with progress, the table,
freezing (permission, audit), the difference view, CSV and XLSX that open and hold the figures."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.analytics.reports.kinds import due_date
from bankdesk.analytics.reports.models import RegulatoryReport, ReportKind
from bankdesk.complaints.models import BusinessCategory
from bankdesk.complaints.review.acceptance import accept_complaint
from bankdesk.complaints.review.classification import Classification, reclassify_complaint
from bankdesk.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_request_from_the_list_page_computes_in_the_background(desk, month, logged_in,
                                                               django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    page = client.get(reverse("analytics_reports:list"))
    assert page.status_code == 200 and "监管统计报表" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("analytics_reports:request"), {
            "kind": "monthly", "year": month.year, "number": month.number, "unit": "HO"})
    report = RegulatoryReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("analytics_reports:detail", args=[report.pk])
    detail = client.get(answer["Location"]).content.decode()
    assert 'data-section="business_category"' in detail and "柜面服务 / 排队与等候" in detail
    assert "<strong data-total>5</strong>" in detail
    status = client.get(answer["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'id="job-status"' in status and "hx-trigger" not in status  # finished: no more polling


def test_a_refused_request_keeps_the_form_filled(desk, month, logged_in):
    client = logged_in(desk.cp_b)
    answer = client.post(reverse("analytics_reports:request"), {
        "kind": "monthly", "year": month.year, "number": month.number, "unit": "A"})
    assert answer.status_code == 400
    content = answer.content.decode()
    assert "您的权限范围内没有此代码的机构" in content and 'value="A"' in content
    assert not RegulatoryReport.objects.exists()


def test_the_list_shows_due_dates_and_filters(desk, month, computed, logged_in, viewers):
    client = logged_in(desk.cp)
    content = client.get(reverse("analytics_reports:list")).content.decode()
    assert computed.period_label in content and "1 条记录" in content
    assert due_date(ReportKind.MONTHLY, month.last).isoformat() in content  # last month in the due-date calendar
    empty = client.get(reverse("analytics_reports:list"), {"kind": "annual"}).content.decode()
    assert "暂无报表" in empty
    assert "暂无报表" in logged_in(viewers.head_a).get(reverse("analytics_reports:list")).content.decode()
    assert logged_in(desk.handler_a1).get(reverse("analytics_reports:list")).status_code == 403


def test_the_list_reads_a_fixed_number_of_queries(desk, month, logged_in, django_assert_max_num_queries):
    for kind, number in [(ReportKind.MONTHLY, month.number), (ReportKind.ANNUAL, 1)]:
        RegulatoryReport.objects.create(kind=kind, period_first=month.first.replace(month=number), period_last=month.last,
                                        unit=desk.bank.root, unit_path=desk.bank.root.path, requested_by=desk.cp,
                                        requested_at=month.complaints[0].received_at)
    client = logged_in(desk.cp)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("analytics_reports:list")).status_code == 200


def test_freeze_is_for_the_consumer_protection_office_and_audited(desk, computed, logged_in, viewers):
    url = reverse("analytics_reports:freeze", args=[computed.pk])
    assert logged_in(viewers.management).post(url).status_code == 403
    assert logged_in(viewers.head_a).post(url).status_code == 403
    assert logged_in(desk.cp_b).post(url).status_code == 404  # another branch's unit
    assert logged_in(desk.cp).post(url).status_code == 302
    computed.refresh_from_db()
    assert computed.submitted and computed.frozen_by == desk.cp
    event = AuditEvent.objects.get(action="analytics.report.freeze")
    assert event.actor == desk.cp and event.object_id == str(computed.pk)


def test_the_difference_view_after_a_reclassification(desk, month, computed, logged_in,
                                                      django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    client.post(reverse("analytics_reports:freeze", args=[computed.pk]))
    reclassify_complaint(desk.cp, accept_complaint(desk.cp, month.complaints[3]), Classification(
        business_category=BusinessCategory.objects.get(code="counter_handling")), reason="实为柜面业务办理问题")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("analytics_reports:recompute", args=[computed.pk])).status_code == 302
    detail = client.get(reverse("analytics_reports:detail", args=[computed.pk])).content.decode()
    assert "有 4 处不同" in detail  # card_bill count and share, counter_handling count and share
    view = client.get(reverse("analytics_reports:differences", args=[computed.pk])).content.decode()
    assert "柜面服务 / 业务办理" in view and "信用卡 / 账单与还款" in view
    frozen = client.get(reverse("analytics_reports:detail", args=[computed.pk]), {"copy": "frozen"}).content.decode()
    assert "信用卡 / 账单与还款" in frozen and "柜面服务 / 业务办理" not in frozen
    assert logged_in(desk.cp_b).get(reverse("analytics_reports:differences", args=[computed.pk])).status_code == 404


def test_csv_export_is_streamed_and_holds_the_figures(desk, computed, logged_in):
    answer = logged_in(desk.cp).get(reverse("analytics_reports:export_csv", args=[computed.pk]))
    assert answer.status_code == 200 and answer.streaming
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert ["分组", "代码", "名称", "投诉件数", "已办结", "占比（%）"] in rows
    assert ["按地区", "A", "东城分行", "4", "1", "80.0"] in rows
    assert ["按处理结果（结案代码）", "", "合计", "5", "2", "100.0"] in rows
    assert AuditEvent.objects.filter(action="analytics.report.export", after__format="csv").exists()


def test_xlsx_export_opens_with_chinese_headers(desk, computed, logged_in):
    answer = logged_in(desk.cp).get(reverse("analytics_reports:export_xlsx", args=[computed.pk]))
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames == ["概况", "按业务类别", "按投诉原因", "按渠道", "按地区", "按处理结果（结案代码）"]
    sheet = workbook["按渠道"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["代码", "名称", "投诉件数", "已办结", "占比（%）"] and sheet["A1"].font.bold
    assert ["hotline", "客服热线", 3, 1, 60] in rows and [None, "合计", 5, 2, 100] in rows


def test_exports_of_another_branch_are_not_found(desk, computed, logged_in):
    client = logged_in(desk.cp_b)
    assert client.get(reverse("analytics_reports:export_csv", args=[computed.pk])).status_code == 404
    assert client.get(reverse("analytics_reports:export_xlsx", args=[computed.pk])).status_code == 404
    assert logged_in(desk.handler_a1).get(reverse("analytics_reports:export_csv", args=[computed.pk])).status_code == 403
