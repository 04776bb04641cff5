"""Monthly outlet figures: entered one by one, or imported from a file in the background."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.models import JobStatus
from bankdesk.orgs.models import CustomerCount
from bankdesk.quality.figures import imports, services
from bankdesk.quality.models import EvaluatorTally
from bankdesk.quality.tests.conftest import days_ago

pytestmark = pytest.mark.django_db
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_month_entered_again_is_corrected(outlets):
    services.set_customer_count(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), customers=18000)
    services.set_customer_count(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), customers=18500)
    assert CustomerCount.objects.get().customers == 18500
    with pytest.raises(ValidationFailed) as failure:
        services.set_evaluator_tally(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), responses=10,
                                     satisfied=11)
    assert failure.value.field == "satisfied"
    with pytest.raises(NotFound):
        services.set_customer_count(outlets.sqm, unit=outlets.outlet_b, month=days_ago(40), customers=1)


def _upload(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("gb18030"))


def _run(capture, actor, upload):
    with capture(execute=True):
        job = imports.start_import(actor, upload)
    job.refresh_from_db()
    return job


def test_a_good_file_writes_both_tables(outlets, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    services.set_customer_count(outlets.sqm, unit=outlets.outlet_a, month=days_ago(40), customers=1)
    month = f"{days_ago(40):%Y-%m}"
    job = _run(django_capture_on_commit_callbacks, outlets.sqm, _upload(
        f"网点代码,月份,客户数,评价器评价数,评价器满意数\nA-O1,{month},20000,300,290\nA-O2,{month},,120,100\n"))
    assert (job.status, job.rows_created, job.rows_updated) == (JobStatus.SUCCEEDED, 2, 1)
    assert CustomerCount.objects.get(unit=outlets.outlet_a).customers == 20000
    assert EvaluatorTally.objects.get(unit=outlets.outlet_a2).satisfied == 100


def test_every_problem_is_reported_and_nothing_written(outlets, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    month = f"{days_ago(40):%Y-%m}"
    job = _run(django_capture_on_commit_callbacks, outlets.sqm, _upload(
        f"网点代码,月份,客户数,评价器评价数,评价器满意数\nA-O1,{month},20000,10,11\nB-O1,{month},5,,\n"
        f"A-O2,2099-01,5,,\nA-O2,九月,x,,\n"))
    assert job.status == JobStatus.FAILED and not CustomerCount.objects.exists()
    assert [(error["row"], error["field"]) for error in job.errors] == [
        (2, "satisfied"), (3, "unit"), (4, "month"), (5, "month"), (5, "customers")]


def test_the_import_pages(outlets, logged_in, settings):
    settings.TASKS = IMMEDIATE_TASKS
    client = logged_in(outlets.sqm)
    assert client.get(reverse("quality:figures_import_upload")).status_code == 200
    template = client.get(reverse("quality:figures_import_template"))
    assert "网点代码" in b"".join(template.streaming_content).decode("utf-8-sig")
    response = client.post(reverse("quality:figures_import_upload"), {"file": _upload(
        f"网点代码,月份,客户数\nA-O1,{days_ago(40):%Y-%m},20000\n")})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("quality:figures_imports")).status_code == 200
    assert logged_in(outlets.teller_a).get(reverse("quality:figures_import_upload")).status_code == 403


def test_the_figures_page_enters_a_month(outlets, logged_in):
    client = logged_in(outlets.sqm)
    response = client.post(reverse("quality:figures"), {"unit": outlets.outlet_a.pk, "month": f"{days_ago(0):%Y-%m}",
                                                        "customers": "21000", "responses": "50", "satisfied": "48"})
    assert response.status_code == 302
    assert CustomerCount.objects.get().customers == 21000 and EvaluatorTally.objects.get().satisfied == 48
    assert "21000" in client.get(reverse("quality:figures")).content.decode()
    assert "48" in client.get(reverse("quality:evaluator_figures")).content.decode()


def test_the_largest_file_is_a_rule_setting(outlets, django_capture_on_commit_callbacks):
    """A file of just over 1 MB is refused while the rule says 1 MB and taken once an administrator raises it."""
    padded = "网点代码,月份,客户数\n" + " " * 1024 * 1024
    rules.set_value(outlets.bank.admin, "quality.figures_import_max_megabytes", "1", "测试")
    with pytest.raises(ValidationFailed) as failure:
        imports.start_import(outlets.sqm, _upload(padded))
    assert failure.value.field == "file" and "1 MB" in str(failure.value)
    rules.set_value(outlets.bank.admin, "quality.figures_import_max_megabytes", "2", "测试")
    with django_capture_on_commit_callbacks():
        assert imports.start_import(outlets.sqm, _upload(padded)).pk
