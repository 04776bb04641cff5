"""The early-warning list and detail pages, the 'mark handled' form and the API: scope (another branch sees
nothing), rights (403 without them), the audit event, and the list's query count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.analytics.warnings import services
from bankdesk.analytics.warnings.models import (
    EarlyWarning,
    EarlyWarningComplaint,
    WarningKind,
    WarningStatus,
)
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import BusinessCategory
from bankdesk.core.errors import Conflict, PermissionDenied
from bankdesk.core.models import AuditEvent


def warning_at(unit, complaints, kind=WarningKind.RISE, days_ago=1, figure=8):
    day = timezone.localdate() - timedelta(days=days_ago)
    warning = EarlyWarning.objects.create(
        kind=kind, unit=unit, unit_path=unit.path, subject=f"category:{complaints[0].business_category_id}",
        business_category=complaints[0].business_category, day=day, period_start=day, period_end=day,
        figure=Decimal(figure), baseline=Decimal("1"), threshold=Decimal(5))
    EarlyWarningComplaint.objects.bulk_create(
        [EarlyWarningComplaint(warning=warning, complaint=complaint) for complaint in complaints])
    return warning


@pytest.fixture
def raised(desk, registration):
    """A warning at branch A's outlet (two complaints behind it) and one at branch B's."""
    a = [register_complaint(desk.agent, registration()) for _index in range(2)]
    b = [register_complaint(desk.agent, registration(unit=desk.bank.outlet_b,
                                                     business_category=BusinessCategory.objects.get(code="debit_loss")))]

    class Raised:
        at_a = warning_at(desk.bank.outlet_a, a)
        at_b = warning_at(desk.bank.outlet_b, b, days_ago=2, figure=6)
        complaints_a = a

    return Raised


def test_the_list_shows_the_warnings_in_scope_with_their_count(desk, raised, logged_in):
    page = logged_in(desk.cp).get("/analytics/warnings/")
    assert page.status_code == 200
    assert [warning.pk for warning in page.context["page"].items] == [raised.at_a.pk, raised.at_b.pk]
    assert page.context["page"].total == 2
    assert "人民路网点" in page.content.decode() and "建设路网点" in page.content.decode()
    assert "投诉预警" in page.content.decode() and "异常上升" in page.content.decode()  # zh-Hans first
    assert ">待处理<" in page.content.decode() and ">打开<" not in page.content.decode()  # a status, not a verb


def test_filters_and_sort(desk, raised, logged_in):
    client = logged_in(desk.cp)
    by_unit = client.get("/analytics/warnings/", {"unit": desk.bank.branch_b.pk})
    assert [warning.pk for warning in by_unit.context["page"].items] == [raised.at_b.pk]
    services.handle_warning(desk.cp, raised.at_a, "网点已整改排队")
    still_open = client.get("/analytics/warnings/", {"status": "open"})
    assert [warning.pk for warning in still_open.context["page"].items] == [raised.at_b.pk]
    by_figure = client.get("/analytics/warnings/", {"sort": "figure"})
    assert [warning.pk for warning in by_figure.context["page"].items] == [raised.at_b.pk, raised.at_a.pk]
    other_kind = client.get("/analytics/warnings/", {"kind": "overdue_share"})
    assert other_kind.context["page"].total == 0


def test_another_branch_sees_nothing(desk, raised, logged_in):
    client = logged_in(desk.cp_b)
    page = client.get("/analytics/warnings/")
    assert [warning.pk for warning in page.context["page"].items] == [raised.at_b.pk]
    assert client.get(f"/analytics/warnings/{raised.at_a.pk}/").status_code == 404
    assert client.post(f"/analytics/warnings/{raised.at_a.pk}/handle/", {"note": "x"}).status_code == 404
    answer = client.get("/api/analytics/warnings").json()
    assert [item["id"] for item in answer["items"]] == [raised.at_b.pk] and answer["total"] == 1
    assert client.get(f"/api/analytics/warnings/{raised.at_a.pk}").status_code == 404
    assert client.post(f"/api/analytics/warnings/{raised.at_a.pk}/handle", {"note": "x"},
                       content_type="application/json").status_code == 404


def test_without_the_right_403(desk, raised, logged_in):
    client = logged_in(desk.teller)
    assert client.get("/analytics/warnings/").status_code == 403
    assert client.get(f"/analytics/warnings/{raised.at_a.pk}/").status_code == 403
    assert client.get("/api/analytics/warnings").status_code == 403
    head = logged_in(desk.head_a)  # sees branch A's warnings, may not mark them handled
    assert head.get(f"/analytics/warnings/{raised.at_a.pk}/").status_code == 200
    assert head.post(f"/api/analytics/warnings/{raised.at_a.pk}/handle", {"note": "x"},
                     content_type="application/json").status_code == 403
    with pytest.raises(PermissionDenied):
        services.handle_warning(desk.head_a, raised.at_a, "x")


def test_the_detail_shows_the_complaints_and_marks_handled_with_a_note(desk, raised, logged_in):
    client = logged_in(desk.cp)
    page = client.get(f"/analytics/warnings/{raised.at_a.pk}/")
    text = page.content.decode()
    assert all(complaint.tracking_number in text for complaint in raised.complaints_a)
    assert page.context["form"] is not None

    empty = client.post(f"/analytics/warnings/{raised.at_a.pk}/handle/", {"note": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors["note"]

    done = client.post(f"/analytics/warnings/{raised.at_a.pk}/handle/", {"note": "已约谈网点负责人"}, follow=True)
    assert done.status_code == 200
    raised.at_a.refresh_from_db()
    assert (raised.at_a.status, raised.at_a.handled_by, raised.at_a.note) == (
        WarningStatus.HANDLED, desk.cp, "已约谈网点负责人")
    assert raised.at_a.handled_at is not None
    event = AuditEvent.objects.get(action="analytics.warning.handle", object_id=str(raised.at_a.pk))
    assert event.actor == desk.cp and event.before["status"] == "open" and event.after["status"] == "handled"
    assert done.context["form"] is None

    again = client.post(f"/analytics/warnings/{raised.at_a.pk}/handle/", {"note": "再次"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    with pytest.raises(Conflict):
        services.handle_warning(desk.cp, raised.at_a, "再次")


def test_the_api(desk, raised, logged_in):
    client = logged_in(desk.cp)
    listed = client.get("/api/analytics/warnings", {"sort": "-figure", "page_size": 1}).json()
    assert listed["total"] == 2 and listed["page_size"] == 1
    first = listed["items"][0]
    assert (first["id"], first["kind"], first["unit"], first["business_category"], first["figure"],
            first["threshold"], first["complaint_count"], first["status"]) == (
        raised.at_a.pk, "rise", "A-O1", "counter_waiting", 8.0, 5.0, 2, "open")
    detail = client.get(f"/api/analytics/warnings/{raised.at_a.pk}").json()
    assert sorted(item["tracking_number"] for item in detail["complaints"]) == sorted(
        complaint.tracking_number for complaint in raised.complaints_a)
    refused = client.post(f"/api/analytics/warnings/{raised.at_a.pk}/handle", {"note": ""},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "note"
    handled = client.post(f"/api/analytics/warnings/{raised.at_a.pk}/handle", {"note": "已处理"},
                          content_type="application/json")
    assert handled.status_code == 200
    assert (handled.json()["status"], handled.json()["handled_by"], handled.json()["note"]) == (
        "handled", "cp", "已处理")
    assert client.post(f"/api/analytics/warnings/{raised.at_a.pk}/handle", {"note": "again"},
                       content_type="application/json").status_code == 409
    assert client.get("/api/analytics/warnings", {"kind": "nonsense"}).status_code == 422
    assert client.get("/api/analytics/warnings", {"unit": "NOPE"}).json()["field"] == "unit"


def test_the_list_takes_the_same_queries_however_many_warnings(desk, raised, registration, logged_in,
                                                              django_assert_num_queries):
    client = logged_in(desk.cp)
    client.get("/api/analytics/warnings")  # sessions, rule caches warmed
    with django_assert_num_queries(5) as counted:
        client.get("/api/analytics/warnings")
    for days_ago in range(3, 8):
        warning_at(desk.bank.outlet_a, raised.complaints_a, days_ago=days_ago)
    with django_assert_num_queries(len(counted.captured_queries)):
        answer = client.get("/api/analytics/warnings").json()
    assert answer["total"] == 7


def test_the_menu_badge_counts_the_open_warnings_in_scope(desk, raised):
    from bankdesk.analytics.warnings import selectors

    assert (selectors.open_count(desk.cp), selectors.open_count(desk.cp_b)) == (2, 1)
    services.handle_warning(desk.cp, raised.at_b, "已处理")
    assert (selectors.open_count(desk.cp), selectors.open_count(desk.cp_b)) == (1, 0)


def test_the_home_page_tile_leads_the_office_to_the_open_warnings(desk, raised, logged_in):
    page = logged_in(desk.cp).get("/")
    assert "待处理的投诉预警" in page.content.decode()
    assert "/analytics/warnings/?status=open" in page.content.decode()
    assert "待处理的投诉预警" not in logged_in(desk.head_a).get("/").content.decode()  # sees, does not handle
