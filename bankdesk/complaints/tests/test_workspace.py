"""What complaints put on the home page: each role's counts, one click from the list behind them."""

import re

import pytest
from django.utils import translation
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bankdesk.complaints.decisions import approval
from bankdesk.complaints.handling import sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import ClockKind, ClosureCode
from bankdesk.core.audit_display import describe
from bankdesk.core.models import AuditEvent


def tiles(client) -> dict[str, tuple[int, str]]:
    """The home page's tiles: key -> (count, link)."""
    page = client.get("/").content.decode()
    found = re.findall(r'<a class="tile[^"]*" href="([^"]+)" data-tile="([^"]+)">\s*<span class="tile-count">(\d+)</span>',
                       page)
    return {key: (int(count), href.replace("&amp;", "&")) for href, key, count in found}


def test_handler_sees_their_overdue_work_and_the_list_behind_it(desk, logged_in, routed):
    complaint = routed()
    sweeper.sweep(complaint.clocks.get(kind=ClockKind.RESOLUTION).due_at)
    client = logged_in(complaint.handler)
    shown = tiles(client)
    assert shown["complaints.my_overdue"] == (1, "/complaints/my-work/?state=2")
    assert shown["complaints.my_open"][0] == 1
    assert "complaints.team_overdue" not in shown and "complaints.intake_queue" not in shown
    assert complaint.tracking_number in client.get(shown["complaints.my_overdue"][1]).content.decode()


def test_head_sees_approvals_and_the_team(desk, logged_in, routed):
    complaint = routed()
    approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    client = logged_in(desk.head_a)
    shown = tiles(client)
    assert shown["complaints.awaiting_approval"] == (1, "/complaints/team/")
    assert shown["complaints.team_open"][0] == 1
    page = client.get("/").content.decode()
    assert 'id="section-team"' in page and str(complaint.handler) in page  # the load per handler


def test_another_branch_sees_none_of_it(desk, logged_in, routed):
    complaint = routed()
    approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    shown = tiles(logged_in(desk.cp_b))
    assert shown["complaints.awaiting_approval"][0] == 0 and shown["complaints.team_open"][0] == 0


def test_the_office_sees_its_intake_queue(desk, logged_in, registration):
    register_complaint(desk.agent, registration())
    shown = tiles(logged_in(desk.cp))
    assert shown["complaints.intake_queue"] == (1, "/complaints/queue/")
    assert shown["complaints.acceptance_overdue"] == (0, "/complaints/?overdue=on")


def test_home_page_queries_do_not_grow_with_the_work(desk, logged_in, routed, django_assert_num_queries):
    client = logged_in(desk.cp)
    routed()
    client.get("/")
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    for number in range(5):
        routed(phone=f"1370000030{number}")
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get("/").status_code == 200


def test_home_page_query_count(desk, logged_in, django_assert_num_queries):
    """Session, user and role assignments (3), one COUNT per tile of the office (12 of complaints, 4 of outlet
    quality's follow-ups, visits and care services, 1 of analytics' open early warnings, 3 of remediation's
    payment orders awaiting approval, own rectification items and items to verify), the team's load (1), the
    header's unread badge (1), the assignments listed (1), the session's idle clock saved (3)."""
    client = logged_in(desk.cp)
    with django_assert_num_queries(29):
        client.get("/")


# --- The complaint's audit events read as sentences -------------------------------------------------------------

@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.usefixtures("chinese")
def test_audit_a_creation_lists_what_it_set_and_codes_read_as_names(desk, registration):
    complaint = register_complaint(desk.agent, registration())
    line = describe([AuditEvent.objects.get(action="complaint.register", object_id=str(complaint.pk))])[0]
    changes = {change.label: (change.old, change.new) for change in line.changes}
    assert changes["渠道"] == (None, "客服热线")  # the channel's code, read as its name
    assert changes["状态"] == (None, "已登记，待受理审核")
    assert "经办人" not in changes  # nothing set


@pytest.mark.usefixtures("chinese")
def test_audit_a_step_detail_named_by_its_app_and_units_by_code(desk, routed):
    complaint = routed()
    line = describe([AuditEvent.objects.get(action="complaint.route", object_id=str(complaint.pk))])[0]
    changes = {change.label: (change.old, change.new) for change in line.changes}
    assert changes["协办部门"] == (None, "信用卡中心")  # "assisting": ["CARD"]
    assert changes["经办人"] == ("—", str(complaint.handler))


def test_audit_trail_filtered_by_tracking_number_typed_in_lower_case(desk, routed, logged_in):
    complaint, other = routed(), routed(phone="13700000099")
    page = logged_in(desk.bank.admin).get("/audit/", {"object_name": complaint.tracking_number.lower()})
    body = page.content.decode()
    assert page.context["page"].total == 3  # registered, accepted, routed
    assert other.tracking_number not in body


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_every_count_of_the_home_page_reads_an_index(desk, logged_in):
    client = logged_in(desk.cp)
    client.get("/")
    with CaptureQueriesContext(connection) as seen:
        client.get("/")
    counts = [query["sql"] for query in seen.captured_queries if query["sql"].startswith("SELECT COUNT(")]
    assert len(counts) >= 12
    with connection.cursor() as cursor:
        for sql in counts:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[3] for row in cursor.fetchall()]
            assert not [step for step in plan if re.match(r"SCAN (complaints_complaint|core_notification)\b", step)], (
                sql, plan)
