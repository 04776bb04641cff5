"""The evaluation and calibration lists exported in the background (kinds scorecards.evaluations,
scorecards.calibrations): the page's rows in the user's scope under Chinese headers, filtered as the page is, the
button on each page, 403 without qa.view (an agent sees only their own on the page, and exports nothing); the QA
trends page (scorecards.trends) with its months, teams and staff."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.scorecards import evaluations
from bankdesk.scorecards.tests.conftest import build_scorecard
from bankdesk.scorecards.tests.test_pages import scored
from bankdesk.tests.exports import (
    downloaded,
    pdf_text,
    request_export,
    run_export,
    table,
)


def test_evaluations_filtered_and_in_scope(qa, call_card, logged_in, django_capture_on_commit_callbacks):
    scored(qa, call_card, call_id="C1")
    scored(qa, call_card, identity="no", call_id="C2")  # the fatal identity check failed
    client = logged_in(qa.inspector2)
    assert 'value="scorecards.evaluations"' in client.get(reverse("scorecards:evaluations")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "scorecards.evaluations",
                                             "xlsx", "sort=-score"))
    assert header == ["开始时间", "评分表", "评估对象", "员工", "质检员", "状态", "得分", "结果", "提交时间"]
    assert [(row[1], row[2], row[7] or "") for row in rows] == [("来电质检 v1", "来电 C1", ""),
                                                                ("来电质检 v1", "来电 C2", "致命项")]
    job = run_export(client, django_capture_on_commit_callbacks, "scorecards.evaluations", "csv", "fatal_only=on")
    assert [row[2] for row in table(client, job)[1:]] == ["来电 C2"]
    branch_b = logged_in(qa.inspector_b)
    assert table(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "scorecards.evaluations"))[1:] == []
    agent = logged_in(qa.agent)
    assert 'value="scorecards.evaluations"' not in agent.get(reverse("scorecards:evaluations")).content.decode()
    assert request_export(agent, "scorecards.evaluations").status_code == 403


def test_calibrations(qa, call_card, logged_in, django_capture_on_commit_callbacks):
    session = evaluations.create_calibration(qa.inspector, call_card.versions.get(), title="三月校准", staff=qa.agent,
                                             call_id="CAL")
    client = logged_in(qa.inspector)
    assert 'value="scorecards.calibrations"' in client.get(reverse("scorecards:calibrations")).content.decode()
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "scorecards.calibrations", "pdf"))
    assert "质检校准" in text and session.title in text and "来电CAL" in text
    rows = table(client, run_export(client, django_capture_on_commit_callbacks, "scorecards.calibrations", "csv",
                                    "status=closed"))
    assert rows[0][:3] == ["标题", "评分表", "评估对象"] and rows[1:] == []
    branch_b = logged_in(qa.inspector_b)
    assert table(branch_b, run_export(branch_b, django_capture_on_commit_callbacks, "scorecards.calibrations"))[1:] == []
    assert request_export(logged_in(qa.agent), "scorecards.calibrations").status_code == 403


def test_the_trends_page(qa, call_card, logged_in, django_capture_on_commit_callbacks):
    scored(qa, call_card)
    scored(qa, call_card, identity="no")
    client = logged_in(qa.inspector)
    assert 'value="scorecards.trends"' in client.get(reverse("scorecards:trends")).content.decode()
    job = run_export(client, django_capture_on_commit_callbacks, "scorecards.trends", "xlsx", "months=3")
    workbook = load_workbook(io.BytesIO(downloaded(client, job)))
    assert workbook.sheetnames == ["概况", "逐月数据", "按班组", "按员工"]
    months = list(workbook["逐月数据"].iter_rows(values_only=True))
    assert months[0] == ("月份", "平均分", "质检评估", "致命项不通过") and len(months) == 4
    assert months[-1][1:] == (45.0, 2, 1)
    staff = list(workbook["按员工"].iter_rows(values_only=True))
    assert staff[1:] == [(qa.agent.display_name, qa.agent.username, 45.0, 2, 1, 1)]
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "scorecards.trends", "pdf",
                                       f"staff={qa.agent.username}"))
    assert "质检趋势" in text and "逐月数据" in text and "按员工" not in text
    branch_b = logged_in(qa.inspector_b)
    job = run_export(branch_b, django_capture_on_commit_callbacks, "scorecards.trends", "xlsx")
    assert list(load_workbook(io.BytesIO(downloaded(branch_b, job)))["按员工"].iter_rows(values_only=True))[1:] == []
    agent = logged_in(qa.agent)
    assert 'value="scorecards.trends"' not in agent.get(reverse("scorecards:trends")).content.decode()
    assert request_export(agent, "scorecards.trends").status_code == 403


def test_the_scorecards(qa, call_card, bank, logged_in, django_capture_on_commit_callbacks):
    build_scorecard(qa.inspector_b, bank.branch_b, code="CALL-B")
    client = logged_in(qa.inspector)
    assert 'value="scorecards.designs"' in client.get(reverse("scorecards:scorecards")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "scorecards.designs", "xlsx"))
    assert header == ["代码", "名称", "用途", "适用机构", "状态"]
    assert [(row[0], row[4]) for row in rows] == [("CALL-1", "使用中")]  # not branch B's own
    assert request_export(logged_in(qa.agent), "scorecards.designs").status_code == 403
