"""The remediation lists exported in the background (core/export_jobs.py, kinds remediation.payments, .items,
.records): the XLSX holds the filtered list under Chinese headers, the buttons are on the lists, the right is
asked (403 without it), another branch's consumer-protection office gets none of branch A's orders."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.core.models import ExportJob, ExportStatus
from bankdesk.remediation.payments import services as payments

PAYEE = {"payee_name": "李女士", "payee_account": "6222000011112222", "payee_bank": "本行"}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def order(people, decided):
    def make(amount="3000", **changes):
        decision = decided(amount, **changes)
        return payments.propose_payment(decision.complaint.handler, decision, kind="compensation", **PAYEE)
    return make


def _export(client, captured, kind, file_format="xlsx", query=""):
    with captured(execute=True):
        answer = client.post(reverse("core:export_request"), {"kind": kind, "format": file_format, "query": query})
    assert answer.status_code == 302, answer.status_code
    return ExportJob.objects.order_by("-id").first()


def test_payment_orders_in_xlsx(people, logged_in, order, django_capture_on_commit_callbacks):
    first, second = order(), order("1200", phone="13912340000")
    client = logged_in(people.cp)
    assert 'value="remediation.payments"' in client.get("/remediation/payments/").content.decode()
    job = _export(client, django_capture_on_commit_callbacks, "remediation.payments")
    assert job.status == ExportStatus.SUCCEEDED and job.row_count == 2 and job.title == "付款指令"
    content = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))
    amounts = {row[0]: row[3] for row in rows[1:]}
    assert amounts == {str(first): "3000.00", str(second): "1200.00"}
    filtered = _export(client, django_capture_on_commit_callbacks, "remediation.payments", "csv",
                       f"number={second.complaint.tracking_number}")
    assert filtered.row_count == 1


def test_the_right_and_the_branch(people, logged_in, order, django_capture_on_commit_callbacks):
    order()
    refused = logged_in(people.handler_a1).post(reverse("core:export_request"), {
        "kind": "remediation.payments", "format": "csv"})
    assert refused.status_code == 403
    for kind in ("remediation.payments", "remediation.items", "remediation.records"):
        job = _export(logged_in(people.cp_b), django_capture_on_commit_callbacks, kind, "pdf")
        assert job.status == ExportStatus.SUCCEEDED and job.row_count == 0, (kind, job.error)


def test_a_large_list_is_exported_in_the_background(people, logged_in, order, django_capture_on_commit_callbacks):
    from bankdesk.core import rules

    order(), order("1200", phone="13912340000")
    rules.set_value(people.bank.admin, "core.export_direct_row_limit", "1", "测试")
    client = logged_in(people.cp)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get("/remediation/payments/export/", {"format": "xlsx", "status": ""})
    assert answer.status_code == 302 and answer["Location"] == reverse("core:exports")
    job = ExportJob.objects.get()
    assert job.format == "xlsx" and job.row_count == 2 and "format" not in job.filters
