"""The quality lists exported in the background (core/export_jobs.py, kinds quality.*): the interceptions'
XLSX holds the recorded figures, each register, the visits and the follow-ups export within the user's scope,
403 without the right."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.core.models import ExportJob, ExportStatus
from bankdesk.quality.tests.conftest import interception

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _export(client, captured, kind, file_format="xlsx", query=""):
    with captured(execute=True):
        answer = client.post(reverse("core:export_request"), {"kind": kind, "format": file_format, "query": query})
    assert answer.status_code == 302
    job = ExportJob.objects.order_by("-id").first()
    assert job.status == ExportStatus.SUCCEEDED, (kind, job.error)
    return job


def test_interceptions_in_xlsx_and_every_list(outlets, logged_in, django_capture_on_commit_callbacks):
    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    client = logged_in(outlets.sqm)
    assert 'value="quality.interceptions"' in client.get(reverse("quality:interceptions")).content.decode()
    job = _export(client, django_capture_on_commit_callbacks, "quality.interceptions")
    assert job.row_count == 1 and job.file_name.startswith("interceptions-")
    content = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert "人民路网点" in row.values() and any(str(value).startswith("60000") for value in row.values())
    for kind in ("quality.commendations", "quality.cares", "quality.visits", "quality.follow_ups"):
        assert _export(client, django_capture_on_commit_callbacks, kind, "pdf").row_count == 0
    other = _export(logged_in(outlets.head_b), django_capture_on_commit_callbacks, "quality.interceptions", "csv")
    assert other.row_count == 0  # branch B's outlet head sees none of branch A's records


def test_without_the_right(outlets, logged_in):
    answer = logged_in(outlets.handler).post(reverse("core:export_request"), {
        "kind": "quality.interceptions", "format": "csv"})
    assert answer.status_code == 403 and not ExportJob.objects.exists()


def test_a_large_list_is_exported_in_the_background(outlets, logged_in, django_capture_on_commit_callbacks):
    from bankdesk.core import rules

    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    rules.set_value(outlets.bank.admin, "core.export_direct_row_limit", "0", "测试")
    with django_capture_on_commit_callbacks(execute=True):
        answer = logged_in(outlets.sqm).get(reverse("quality:interceptions_export"))
    assert answer.status_code == 302 and ExportJob.objects.get().row_count == 1


def test_the_star_ranking_in_pdf_and_xlsx(outlets, logged_in, django_capture_on_commit_callbacks, tmp_path):
    import shutil
    import subprocess

    from bankdesk.quality.models import OutletRating
    from bankdesk.quality.tests.conftest import days_ago

    client = logged_in(outlets.sqm)
    client.post(reverse("quality:rating_compute"), {
        "unit": outlets.bank.branch_a.pk, "period_start": f"{days_ago(0):%Y-%m}", "months": "1"})
    rating = OutletRating.objects.get(unit=outlets.outlet_a)
    assert 'value="quality.ratings"' in client.get(reverse("quality:ranking")).content.decode()
    job = _export(client, django_capture_on_commit_callbacks, "quality.ratings")
    content = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))
    by_code = {row[2]: row for row in rows[1:]}
    assert rows[0][:5] == ("名次", "网点", "代码", "得分", "星级")
    row = by_code[outlets.outlet_a.code]
    assert row[1] == "人民路网点" and row[4] == rating.stars
    assert (row[3] is None and rating.score is None) or float(row[3]) == float(rating.score)
    pdf = _export(client, django_capture_on_commit_callbacks, "quality.ratings", "pdf")
    if shutil.which("pdftotext"):
        path = tmp_path / "ranking.pdf"
        path.write_bytes(b"".join(client.get(reverse("core:export_download", args=[pdf.pk])).streaming_content))
        text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                      capture_output=True, text=True).stdout.split())
        assert "人民路网点" in text and outlets.outlet_a.code in text


def test_the_outlet_page_with_its_outlets(outlets, logged_in, django_capture_on_commit_callbacks):
    from bankdesk.tests.exports import downloaded, pdf_text, request_export

    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    client = logged_in(outlets.sqm)
    branch = outlets.bank.branch_a
    assert 'value="quality.outlet"' in client.get(reverse("quality:outlet", args=[branch.pk])).content.decode()
    assert f'value="unit={branch.pk}"' in client.get(reverse("quality:outlets")).content.decode()
    job = _export(client, django_capture_on_commit_callbacks, "quality.outlet", "xlsx", f"unit={branch.pk}")
    workbook = load_workbook(io.BytesIO(downloaded(client, job)))
    assert workbook.sheetnames == ["概况", "逐月数据", "下辖网点"]
    monthly = list(workbook["逐月数据"].iter_rows(values_only=True))
    assert monthly[0][:4] == ("月份", "投诉件数", "表扬", "电诈拦截") and sum(row[3] for row in monthly[1:]) == 1
    by_outlet = {row[0]: row for row in workbook["下辖网点"].iter_rows(values_only=True)}
    assert by_outlet["人民路网点"][5] == 1 and by_outlet["解放路网点"][5] == 0
    assert outlets.outlet_b.name not in by_outlet  # branch B's outlet is not under branch A
    text = pdf_text(client, _export(client, django_capture_on_commit_callbacks, "quality.outlet", "pdf",
                                    f"unit={outlets.outlet_a.pk}"))
    assert "逐月数据" in text and "人民路网点" in text and "下辖网点" not in text
    assert request_export(logged_in(outlets.head_b), "quality.outlet", "csv", f"unit={branch.pk}").status_code == 404
    assert request_export(logged_in(outlets.handler), "quality.outlet", "csv", f"unit={branch.pk}").status_code == 403


def test_the_monthly_figures(outlets, logged_in, django_capture_on_commit_callbacks):
    from bankdesk.quality.figures import services
    from bankdesk.quality.tests.conftest import days_ago
    from bankdesk.tests.exports import request_export, run_export, table

    services.set_customer_count(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), customers=18500)
    services.set_evaluator_tally(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), responses=50, satisfied=48)
    services.set_customer_count(outlets.bank.admin, unit=outlets.outlet_b, month=days_ago(40), customers=9000)
    client = logged_in(outlets.sqm)
    assert 'value="quality.customer_counts"' in client.get(reverse("quality:figures")).content.decode()
    assert 'value="quality.evaluator_tallies"' in client.get(reverse("quality:evaluator_figures")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "quality.customer_counts",
                                             "xlsx"))
    assert header == ["月份", "机构", "服务客户数", "录入人", "录入时间"]
    assert [row[1:3] for row in rows] == [["人民路网点", 18500]]  # branch B's outlet is not in branch A's scope
    rows = table(client, run_export(client, django_capture_on_commit_callbacks, "quality.evaluator_tallies", "csv",
                                    f"unit={outlets.outlet_a2.pk}"))
    assert rows[0][2:4] == ["评价数", "满意"] and rows[1:] == []
    whole = table(client, run_export(client, django_capture_on_commit_callbacks, "quality.evaluator_tallies"))
    assert [row[2:4] for row in whole[1:]] == [["50", "48"]]
    assert request_export(logged_in(outlets.handler), "quality.customer_counts").status_code == 403


def test_the_service_star_rounds(outlets, logged_in, django_capture_on_commit_callbacks):
    from bankdesk.quality.awards import services as award_services
    from bankdesk.quality.tests.conftest import days_ago
    from bankdesk.tests.exports import request_export, run_export, table

    award_services.open_round(outlets.head_a, unit=outlets.outlet_a, month=days_ago(0))
    award_services.open_round(outlets.head_b, unit=outlets.outlet_b, month=days_ago(0))
    client = logged_in(outlets.sqm)
    assert 'value="quality.star_rounds"' in client.get(reverse("quality:star_rounds")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "quality.star_rounds"))
    assert header == ["月份", "网点", "状态", "发布时间"]
    assert [(row[0], row[1]) for row in rows] == [(f"{days_ago(0):%Y-%m}", "人民路网点")]  # not branch B's
    assert request_export(logged_in(outlets.handler), "quality.star_rounds").status_code == 403
