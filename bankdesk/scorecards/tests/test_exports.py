"""The evaluation and calibration lists exported in the background (kinds scorecards.evaluations,
scorecards.calibrations): the page's rows in the user's scope under Chinese headers, filtered as the page is, the
button on each page, 403 without qa.view (an agent sees only their own on the page, and exports nothing)."""

from django.urls import reverse

from bankdesk.scorecards import evaluations
from bankdesk.scorecards.tests.test_pages import scored
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


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
