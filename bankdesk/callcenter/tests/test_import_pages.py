"""The import pages: upload, progress, problems; rights and scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bankdesk.callcenter.models import IntervalImport
from bankdesk.orgs.models import Role

HEADER = "时段开始,队列代码,呼入量,接通量,时限内接通量,放弃量,处理时长(秒)"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def planner(center, bank):
    return bank.user("planner", Role.WORKFORCE_PLANNER, center.unit)


def _upload(client, *lines, name="acd.csv"):
    data = SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode())
    return client.post("/callcenter/imports/new/", {"file": data})


def test_upload_and_follow_the_import(planner, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(planner)
    assert "队列代码" in client.get("/callcenter/imports/new/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, "2025-03-03 09:00,HOTLINE,10,9,8,1,1800")
    job = IntervalImport.objects.get()
    assert response.url == f"/callcenter/imports/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "成功" in page or "succeeded" in page.lower()
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('\n<div id="job-status"') or 'id="job-status"' in partial[:200]
    assert job.original_name in client.get("/callcenter/imports/").content.decode()


def test_problems_are_listed_and_downloadable(planner, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(planner)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, "2025-03-03 09:00,NOPE,10,9,8,1,1800")
    job = IntervalImport.objects.get()
    assert "NOPE" in client.get(f"/callcenter/imports/{job.pk}/").content.decode()
    download = client.get(f"/callcenter/imports/{job.pk}/errors.csv")
    text = b"".join(download.streaming_content).decode()
    assert "queue" in text and ",2," in text.replace("\r\n", "\n").replace("\n2,", ",2,")


def test_a_bad_file_keeps_the_form_with_a_message(planner, logged_in):
    response = _upload(logged_in(planner), "x", name="acd.pdf")
    assert response.status_code == 200 and "请上传 CSV 或 XLSX 文件" in response.content.decode()
    assert not IntervalImport.objects.exists()


def test_the_template_downloads(planner, logged_in):
    response = logged_in(planner).get("/callcenter/imports/template.csv?names=en")
    assert b"interval_start,queue" in b"".join(response.streaming_content)


def test_an_agent_may_not_import(center, logged_in):
    client = logged_in(center.agent_user)
    assert client.get("/callcenter/imports/").status_code == 403
    assert _upload(client, "2025-03-03 09:00,HOTLINE,10,9,8,1,1800").status_code == 403


def test_another_branch_does_not_see_the_import(planner, center, bank, logged_in,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(logged_in(planner), "2025-03-03 09:00,HOTLINE,10,9,8,1,1800")
    job = IntervalImport.objects.get()
    planner_b = bank.user("planner_b", Role.WORKFORCE_PLANNER, center.branch_center)
    client = logged_in(planner_b)
    assert client.get(f"/callcenter/imports/{job.pk}/").status_code == 404
    assert job.original_name not in client.get("/callcenter/imports/").content.decode()
    assert logged_in(center.head).get(f"/callcenter/imports/{job.pk}/").status_code == 200
