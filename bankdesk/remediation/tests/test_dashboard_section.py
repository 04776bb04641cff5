"""The analytics dashboards show the trace-to-the-source figures that remediation registers, in the viewer's
scope and under the dashboard's unit."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bankdesk.remediation.rectification import services
from bankdesk.remediation.tests.test_rectification import _closed, _worked
from bankdesk.tests.exports import downloaded, run_export


def _board(client, **params):
    today = timezone.localdate().isoformat()
    response = client.get(reverse("analytics:dashboard"), {"received_from": today, "received_to": today, **params})
    assert response.status_code == 200
    return response


def _trace(response) -> list:
    return next((section["data"]["trace"] for section in response.context["sections"]
                 if section["key"] == "remediation.trace_to_source"), None)


def test_the_office_s_board_shows_the_figures_with_the_report_link(people, decided, logged_in):
    item = _worked(people, services.open_for_complaint(people.head_a, _closed(decided)))
    services.report_done(people.head_a, item)
    services.verify(people.cp, item, accepted=True, note="已核实")
    _closed(decided, phone="13700000001")  # no item yet
    response = _board(logged_in(people.cp))
    [figures] = _trace(response)
    assert (figures.bank_at_fault, figures.with_item, figures.verified_on_time) == (2, 1, 1)
    html = response.content.decode()
    assert "溯源情况" in html
    assert reverse("remediation:rectification_report") in html


def test_scope_unit_filter_and_boards(people, decided, logged_in):
    _closed(decided)
    assert _trace(_board(logged_in(people.cp_b))) == []  # another branch's office: nothing of branch A
    assert _trace(_board(logged_in(people.cp), unit=people.bank.branch_b.code)) == []
    assert len(_trace(_board(logged_in(people.cp), unit=people.bank.branch_a.code))) == 1
    assert _trace(_board(logged_in(people.head_a))) is None  # the department board has no such section


def test_the_dashboard_s_export_carries_the_section(people, decided, logged_in, django_capture_on_commit_callbacks):
    item = _worked(people, services.open_for_complaint(people.head_a, _closed(decided)))
    services.report_done(people.head_a, item)
    services.verify(people.cp, item, accepted=True, note="已核实")
    _closed(decided, phone="13700000001")
    client, today = logged_in(people.cp), timezone.localdate().isoformat()
    job = run_export(client, django_capture_on_commit_callbacks, "analytics.dashboard", "xlsx",
                     f"received_from={today}&received_to={today}")
    sheet = load_workbook(io.BytesIO(downloaded(client, job)))["溯源情况"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["机构", "以银行责任办结", "已建整改事项", "按期验收", "整改后重复投诉"]
    assert rows[1][1:] == [2, "1 (50.0%)", "1 (50.0%)", 0]

    other = run_export(logged_in(people.cp_b), django_capture_on_commit_callbacks, "analytics.dashboard", "xlsx",
                       f"received_from={today}&received_to={today}")
    rows = list(load_workbook(io.BytesIO(downloaded(logged_in(people.cp_b), other)))["溯源情况"].iter_rows(
        values_only=True))
    assert len(rows) == 1  # another branch's office: the header alone
