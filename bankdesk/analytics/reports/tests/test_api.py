"""GET /api/analytics/reports…, POST to compute, recompute and freeze: the same reports as the pages."""

import pytest

from bankdesk.analytics.reports.models import RegulatoryReport
from bankdesk.complaints.models import ClosureCode, Complaint

pytestmark = pytest.mark.usefixtures("immediate_tasks")
LIST_QUERIES = 5  # session, user, grants, COUNT, the page with its unit and people joined


@pytest.fixture
def computed_by_api(desk, month, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/analytics/reports", {"kind": "monthly", "year": month.year,
                                                         "number": month.number, "unit": "HO"},
                             content_type="application/json")
    assert answer.status_code == 202
    return answer.json()["id"]


def test_request_list_get_freeze_and_differences(desk, month, logged_in, computed_by_api,
                                                 django_capture_on_commit_callbacks):
    client = logged_in(desk.cp)
    page = client.get("/api/analytics/reports", {"kind": "monthly", "year": month.year}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == computed_by_api
    assert page["items"][0]["due_date"] >= month.last.isoformat()
    report = client.get(f"/api/analytics/reports/{computed_by_api}").json()
    assert report["status"] == "succeeded" and report["table"]["total"] == 5 and report["frozen_copy"] is None
    regions = next(section for section in report["table"]["sections"] if section["key"] == "region")
    assert {row["key"]: row["count"] for row in regions["rows"]} == {"A": 4, "B": 1}
    assert client.get(f"/api/analytics/reports/{computed_by_api}/differences").status_code == 404  # not frozen
    frozen = client.post(f"/api/analytics/reports/{computed_by_api}/freeze").json()
    assert frozen["submitted"] and frozen["frozen_by"] and frozen["differing_cells"] == 0
    assert client.post(f"/api/analytics/reports/{computed_by_api}/freeze").status_code == 409
    # complaint 1 is closed as handled properly after the submission
    Complaint.objects.filter(pk=month.complaints[0].pk).update(
        status="closed", closure_code=ClosureCode.objects.get(code="handled_properly"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/analytics/reports/{computed_by_api}/recompute").status_code == 202
    again = client.get(f"/api/analytics/reports/{computed_by_api}").json()
    assert again["frozen_copy"]["table"]["closed"] == 2 and again["table"]["closed"] == 3
    cells = client.get(f"/api/analytics/reports/{computed_by_api}/differences").json()["cells"]
    assert {(cell["section"], cell["key"], cell["column"], cell["frozen"], cell["current"]) for cell in cells
            if cell["section"] == "outcome"} == {
        ("outcome", "", "count", 3, 2), ("outcome", "", "share", 60.0, 40.0),
        ("outcome", "handled_properly", "count", 0, 1), ("outcome", "handled_properly", "closed", 0, 1),
        ("outcome", "handled_properly", "share", 0, 20.0), ("outcome", "__total__", "closed", 2, 3)}


def test_scope_and_rights(desk, month, logged_in, viewers, computed_by_api):
    other = logged_in(desk.cp_b)
    assert other.get("/api/analytics/reports").json()["total"] == 0
    assert other.get(f"/api/analytics/reports/{computed_by_api}").status_code == 404
    assert other.post(f"/api/analytics/reports/{computed_by_api}/freeze").status_code == 404
    answer = other.post("/api/analytics/reports", {"kind": "monthly", "year": month.year, "number": month.number,
                                                   "unit": "A"}, content_type="application/json")
    assert answer.status_code == 404
    assert logged_in(desk.handler_a1).get("/api/analytics/reports").status_code == 403
    assert logged_in(viewers.head_a).post(f"/api/analytics/reports/{computed_by_api}/freeze").status_code == 403
    assert logged_in(viewers.management).get("/api/analytics/reports").json()["total"] == 1


def test_a_refused_request_names_the_field(desk, logged_in):
    answer = logged_in(desk.cp).post("/api/analytics/reports", {"kind": "quarterly", "year": 2024, "number": 7,
                                                                "unit": "HO"}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == "number"
    assert not RegulatoryReport.objects.exists()


def test_the_list_and_a_report_read_a_fixed_number_of_queries(desk, month, logged_in, computed_by_api,
                                                              django_assert_num_queries):
    """The list does not grow with its rows; a report is one query with its frozen copy joined."""
    client = logged_in(desk.cp)
    client.get("/api/analytics/reports")  # warms the rule cache
    for kind in ("quarterly", "annual"):
        report = RegulatoryReport.objects.get(pk=computed_by_api)
        report.pk, report.kind = None, kind
        report.save()
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/api/analytics/reports").json()["total"] == 3
    with django_assert_num_queries(LIST_QUERIES - 1):
        assert client.get(f"/api/analytics/reports/{computed_by_api}").status_code == 200

