"""The analytics dashboards show the trace-to-the-source figures that remediation registers, in the viewer's
scope and under the dashboard's unit."""

from django.urls import reverse
from django.utils import timezone

from bankdesk.remediation.rectification import services
from bankdesk.remediation.tests.test_rectification import _closed, _worked


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
