"""The early-warning list exported in the background (kind analytics.warnings): the XLSX holds the list's rows
in the user's scope under Chinese headers, filtered as the page is; the button is on the list; 403 without the
right."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.analytics.tests.test_warning_pages import raised  # noqa: F401  (a fixture)
from bankdesk.core.models import ExportJob, ExportStatus


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _export(client, captured, query=""):
    with captured(execute=True):
        answer = client.post(reverse("core:export_request"),
                             {"kind": "analytics.warnings", "format": "xlsx", "query": query})
    assert answer.status_code == 302, answer.status_code
    return ExportJob.objects.order_by("-id").first()


def _rows(client, job) -> list[tuple]:
    content = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    return list(load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))


def test_the_office_exports_its_warnings(desk, raised, logged_in, django_capture_on_commit_callbacks):  # noqa: F811
    client = logged_in(desk.cp)
    assert 'value="analytics.warnings"' in client.get(reverse("analytics:warnings")).content.decode()
    job = _export(client, django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.SUCCEEDED and job.row_count == 2, job.error
    header, *rows = _rows(client, job)
    assert header == ("检测日期", "类型", "机构", "类别或原因", "数值", "阈值", "相关投诉", "状态", "处理人", "处理时间", "备注")
    assert sorted((row[2], row[6]) for row in rows) == sorted(
        [(desk.bank.outlet_a.name, 2), (desk.bank.outlet_b.name, 1)])
    filtered = _export(client, django_capture_on_commit_callbacks, f"unit={desk.bank.branch_b.pk}")
    assert filtered.row_count == 1


def test_scope_and_right(desk, raised, logged_in, django_capture_on_commit_callbacks):  # noqa: F811
    job = _export(logged_in(desk.cp_b), django_capture_on_commit_callbacks)
    assert [row[2] for row in _rows(logged_in(desk.cp_b), job)[1:]] == [desk.bank.outlet_b.name]
    refused = logged_in(desk.teller).post(reverse("core:export_request"),
                                          {"kind": "analytics.warnings", "format": "csv"})
    assert refused.status_code == 403
