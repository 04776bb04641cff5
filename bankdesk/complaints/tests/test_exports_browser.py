"""A background export in a real browser: the consumer-protection officer asks for the complaint list as XLSX,
lands on 我的导出 where the job waits (the table polls itself); when the worker has written the file the link
appears without a reload, and the downloaded workbook holds the list."""

import io

import pytest
from openpyxl import load_workbook

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.tests.test_browser import _sign_in
from bankdesk.core import export_jobs
from bankdesk.core.models import ExportJob

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


def test_the_export_page_shows_the_file_when_it_is_written(page, live_server, desk, registration, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker: the test runs it
    complaint = register_complaint(desk.agent, registration())
    _sign_in(page, live_server, "cp")
    page.goto(f"{live_server.url}/complaints/")
    page.evaluate("window.notReloaded = true")
    page.click("form.export-request button[value=xlsx]")
    page.wait_for_url(f"{live_server.url}/exports/")
    page.evaluate("window.notReloaded = true")
    assert page.locator("tr[data-status=queued]").count() == 1 and "后台导出" in page.content()
    job = ExportJob.objects.get()
    export_jobs.run(job.pk)
    page.wait_for_selector("tr[data-status=succeeded] a.button", timeout=10000)  # the polling brought it
    assert page.evaluate("window.notReloaded") is True
    with page.expect_download() as download:
        page.click("tr[data-status=succeeded] a.button")
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    numbers = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert numbers == ["受理编号", complaint.tracking_number]
