"""The handling pages: my work, the team view, the step panel, the assist answer and the decision letter."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bankdesk.complaints import page_panels, selectors
from bankdesk.complaints.decisions import approval
from bankdesk.complaints.handling import clocks, investigation, sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import ClockKind, ClosureCode, Complaint, DeadlineState, Status
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import rules
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission
from bankdesk.orgs.models import User

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def post_step(client, complaint, name, data, **extra):
    complaint.refresh_from_db()
    return client.post(f"/complaints/{complaint.pk}/steps/{name}/", {"version": complaint.version, **data}, **extra)


class TestMyWork:
    def test_due_first_with_overdue_marked(self, desk, logged_in, routed):
        soon, later = routed(), routed(phone="13700000002")
        sweeper.sweep(soon.clocks.get(kind=ClockKind.RESOLUTION).due_at)  # both run out together ...
        later.clocks.update(overdue_at=None, warned_at=None)
        later.refresh_from_db()
        page = logged_in(desk.handler_a1).get("/complaints/my-work/").content.decode()
        mine = [c for c in (soon, later) if c.handler_id == desk.handler_a1.pk]
        assert all(c.tracking_number in page for c in mine)
        assert 'class="deadline-2"' in page and "overdue by" in page

    def test_filter_by_deadline_state(self, desk, logged_in, routed):
        complaint = routed()
        handler = complaint.handler
        assert complaint.tracking_number in logged_in(handler).get("/complaints/my-work/?state=0").content.decode()
        assert complaint.tracking_number not in logged_in(handler).get(
            "/complaints/my-work/?state=%d" % DeadlineState.OVERDUE).content.decode()

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
    def test_the_first_page_reads_the_open_work_index(self, desk):
        """A handler keeps every complaint they closed; the first page must not walk past them."""
        page = selectors.my_work(desk.handler_a1, selectors.WorkFilter())[:25]
        sql, params = page.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "complaint_open_work_idx" in plan and "TEMP B-TREE" not in plan

    def test_rights(self, desk, logged_in, routed):
        complaint = routed()
        assert logged_in(desk.teller).get("/complaints/my-work/").status_code == 403
        assert complaint.tracking_number not in logged_in(desk.handler_b).get("/complaints/my-work/").content.decode()

    def test_one_page_is_a_fixed_number_of_queries(self, desk, logged_in, routed, django_assert_max_num_queries):
        for number in range(12):
            routed(phone=f"137000001{number:02d}")
        client = logged_in(desk.handler_a1)
        client.get("/complaints/my-work/")
        with django_assert_max_num_queries(7):
            assert client.get("/complaints/my-work/").status_code == 200

    def test_assist_requests_reach_the_department(self, desk, logged_in, routed):
        complaint = routed()
        investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                         question="请核查叫号记录")
        page = logged_in(desk.handler_card).get("/complaints/my-work/").content.decode()
        assert complaint.tracking_number in page and "请核查叫号记录" in page


class TestTeam:
    def test_load_per_handler_and_approvals(self, desk, logged_in, routed):
        complaint = routed()
        approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=ClosureCode.objects.get(code="bank_at_fault"))
        page = logged_in(desk.head_a).get("/complaints/team/").content.decode()
        assert "Awaiting your approval" in page and complaint.tracking_number in page
        assert str(complaint.handler) in page

    def test_rights_and_scope(self, desk, logged_in, routed):
        complaint = routed()
        assert logged_in(desk.handler_a1).get("/complaints/team/").status_code == 403
        assert complaint.tracking_number not in logged_in(desk.cp_b).get("/complaints/team/").content.decode()

    def test_fixed_number_of_queries(self, desk, logged_in, routed, django_assert_max_num_queries):
        for number in range(12):
            routed(phone=f"137000002{number:02d}")
        client = logged_in(desk.head_a)
        client.get("/complaints/team/")
        with django_assert_max_num_queries(8):
            assert client.get("/complaints/team/").status_code == 200


class TestStepPanel:
    def test_carry_a_complaint_to_closure_in_the_web_ui(self, desk, logged_in, routed):
        complaint = routed()
        handler = logged_in(desk.handler_a1) if complaint.handler == desk.handler_a1 else logged_in(desk.handler_a2)
        page = handler.get(f"/complaints/{complaint.pk}/").content.decode()
        assert f"/complaints/{complaint.pk}/steps/start/" in page and "/steps/approve/" not in page
        assert "15 calendar days" in page and "5 working days" in page  # clock limits in the reader's language
        assert post_step(handler, complaint, "start", {}, **HTMX).status_code == 200
        response = post_step(handler, complaint, "note", {"text": "调取监控"}, **HTMX)
        assert "The note is added." in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
        response = post_step(handler, complaint, "propose", {
            "finding": "属实", "basis": "柜员未按规定办理", "remedies": ["apology", "compensation"],
            "compensation_amount": "300", "closure_code": ClosureCode.objects.get(code="bank_at_fault").pk}, **HTMX)
        assert "awaits approval" in response.content.decode()

        head = logged_in(desk.head_a)
        assert post_step(head, complaint, "approve", {"note": "同意"}).status_code == 302
        letter = head.get(f"/complaints/{complaint.pk}/decision-letter.pdf")
        assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"

        handler = logged_in(complaint.handler)
        form = handler.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "your complaint" in form or "您的投诉" in form  # the notice is prefilled
        response = post_step(handler, complaint, "communicate", {
            "channel": "letter", "text": "您的投诉已处理完毕，详见告知书。"})
        assert response.status_code == 302
        cp = logged_in(desk.cp)
        assert post_step(cp, complaint, "callback", {"reached": "yes", "satisfaction": "satisfied"}).status_code == 302
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED
        assert "/steps/" not in cp.get(f"/complaints/{complaint.pk}/").content.decode().replace(
            "/steps/reopen/", "").replace("/steps/reclassify/", "")  # the statistics may still be corrected

    def test_bad_input_keeps_the_form_filled(self, desk, logged_in, routed):
        complaint = routed()
        client = logged_in(complaint.handler)
        response = post_step(client, complaint, "propose", {
            "finding": "我写了很长的调查结论", "basis": "依据", "remedies": ["compensation"], "compensation_amount": "",
            "closure_code": ClosureCode.objects.get(code="bank_at_fault").pk}, **HTMX)
        page = response.content.decode()
        assert "Give the amount of the “Compensation” in yuan." in page and "我写了很长的调查结论" in page
        complaint.refresh_from_db()
        assert complaint.status == Status.ROUTED

    def test_stale_version_asks_to_reload(self, desk, logged_in, routed):
        complaint = routed()
        client = logged_in(complaint.handler)
        stale = complaint.version
        post_step(client, complaint, "start", {}, **HTMX)
        response = client.post(f"/complaints/{complaint.pk}/steps/escalate/", {"version": stale, "reason": "x"},
                               **HTMX)
        assert "Reload the complaint" in response.content.decode()
        complaint.refresh_from_db()
        assert complaint.escalation_level == 0

    def test_rights_and_scope(self, desk, logged_in, routed):
        complaint = routed()
        assert post_step(logged_in(desk.teller), complaint, "note", {"text": "x"}).status_code == 403
        assert post_step(logged_in(desk.handler_b), complaint, "note", {"text": "x"}).status_code == 404
        assert post_step(logged_in(complaint.handler), complaint, "approve", {}).status_code == 403
        assert post_step(logged_in(complaint.handler), complaint, "no-such-step", {}).status_code == 404

    def test_the_assisting_department_answers_from_the_page(self, desk, logged_in, routed):
        complaint = routed()
        request = investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                                   question="请核查")
        client = logged_in(desk.handler_card)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "Send the answer" in page
        response = client.post(f"/complaints/{complaint.pk}/assist-answer/",
                               {"request": request.pk, "findings": "系统故障", "actions_taken": "已修复"})
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.answered_by == desk.handler_card
        assert logged_in(desk.handler_b).post(f"/complaints/{complaint.pk}/assist-answer/", {
            "request": request.pk, "findings": "x"}).status_code == 404

    def test_no_letter_before_approval(self, desk, logged_in, routed):
        complaint = routed()
        assert logged_in(desk.head_a).get(f"/complaints/{complaint.pk}/decision-letter.pdf").status_code == 404
        assert logged_in(desk.cp_b).get(f"/complaints/{complaint.pk}/decision-letter.pdf").status_code == 404

    def test_the_complaint_page_stays_a_fixed_number_of_queries(self, desk, logged_in, routed,
                                                                django_assert_max_num_queries):
        complaint = routed()
        handler = complaint.handler
        for number in range(5):
            investigation.add_note(handler, complaint, f"记录 {number}")
            investigation.log_contact(handler, complaint, channel="call", summary=f"电话 {number}")
        approval.propose_decision(handler, complaint, finding="属实", basis="依据服务规范。", remedies=["compensation"],
                                  compensation_amount=Decimal("50"),
                                  closure_code=ClosureCode.objects.get(code="bank_at_fault"))
        client = logged_in(desk.head_a)
        client.get(f"/complaints/{complaint.pk}/")
        with django_assert_max_num_queries(25):  # the same with one note or fifty
            assert client.get(f"/complaints/{complaint.pk}/").status_code == 200

    def test_the_complaint_page_reads_only_the_lists_that_have_entries(self, desk, logged_in, routed):
        complaint = routed()
        client = logged_in(desk.head_a)

        def tables_read() -> set[str]:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/complaints/{complaint.pk}/")
            assert response.status_code == 200
            return {query["sql"].split(" FROM ", 1)[1].split(" ", 1)[0].strip('"') for query in queries
                    if query["sql"].startswith("SELECT") and " FROM " in query["sql"]}

        assert "complaints_handlingnote" not in tables_read()
        investigation.add_note(complaint.handler, complaint, "已调取监控录像")
        assert "complaints_handlingnote" in tables_read()
        assert "已调取监控录像" in client.get(f"/complaints/{complaint.pk}/").content.decode()

    def test_the_page_knows_each_list_that_has_entries(self, desk, routed):
        complaint = routed()
        investigation.add_note(complaint.handler, complaint, "已调取监控录像")
        investigation.log_contact(complaint.handler, complaint, channel="call", summary="电话")
        page = selectors.complaint_page(complaint.handler, complaint.pk)
        relations = (*selectors.PAGE_RELATIONS, *page_panels.relations())
        with_entries = {relation for relation in relations
                        if Complaint.objects.filter(pk=complaint.pk, **{f"{relation}__isnull": False}).exists()}
        assert {"notes", "contacts", "assisting_departments"} <= with_entries
        assert {relation for relation in relations if getattr(page, f"has_{relation}")} == with_entries
        assert not page.has_open_duplicates and not selectors.possible_duplicates(page).exists()
        routed()  # the same phone, the same business category, still open
        page = selectors.complaint_page(complaint.handler, complaint.pk)
        assert page.has_open_duplicates and selectors.possible_duplicates(page).exists()


def test_the_further_extension_is_offered_only_to_who_may_approve_it(desk, logged_in, routed):
    complaint = routed()

    def request_extension():
        investigation.request_extension(complaint.handler, complaint, reason="复杂", notice_channel="letter",
                                        notice_text="期限延长")
        return complaint.extension_requests.get(status="pending")

    def offered_to(user) -> bool:
        return "/steps/decide_extension/" in logged_in(user).get(f"/complaints/{complaint.pk}/").content.decode()

    first = request_extension()
    assert offered_to(desk.head_a)
    investigation.decide_extension(desk.head_a, first, approve=True)
    request_extension()  # the further one
    assert not offered_to(desk.head_a) and offered_to(desk.cp)


def test_the_approval_is_offered_only_to_who_may_give_it(desk, logged_in, routed):
    complaint = routed()
    approval.propose_decision(complaint.handler, complaint, finding="属实", remedies=["apology", "compensation"],
                              basis="依据服务规范。", compensation_amount=Decimal("8000"),
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))

    def offered_to(user) -> bool:
        return "/steps/approve/" in logged_in(user).get(f"/complaints/{complaint.pk}/").content.decode()

    assert not offered_to(desk.head_a) and offered_to(desk.cp)  # a head approves up to 5,000 yuan
    rules.set_value(desk.bank.admin, "approval.unit_head_limit_yuan", "10000", "授权额度调整")
    assert offered_to(desk.head_a)


def test_the_complaint_list_filters_on_any_clock(desk, logged_in, routed):
    late, on_time = routed(), routed(phone="13700000009")
    sweeper.sweep(late.clocks.get(kind=ClockKind.RESOLUTION).due_at)
    on_time.clocks.update(overdue_at=None, warned_at=None)
    clocks.refresh_complaints([on_time.pk])
    page = logged_in(desk.cp).get("/complaints/", {"deadline_state": DeadlineState.OVERDUE}).content.decode()
    assert late.tracking_number in page and on_time.tracking_number not in page and "overdue" in page
    found = logged_in(desk.cp).get("/api/complaints", {"deadline_state": 2}).json()
    assert [item["tracking_number"] for item in found["items"]] == [late.tracking_number]


def test_a_failed_answer_keeps_what_was_written(desk, logged_in, routed):
    complaint = routed()
    request = investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                               question="请核查")
    client = logged_in(desk.handler_card)
    for extra in ({}, HTMX):
        response = client.post(f"/complaints/{complaint.pk}/assist-answer/",
                               {"request": request.pk, "findings": "", "actions_taken": "已联系厂商维修"}, **extra)
        page = response.content.decode()
        assert response.status_code == 200 and "已联系厂商维修" in page and "This field is required." in page
    request.refresh_from_db()
    assert request.answered_at is None


def test_who_opens_a_complaint_is_who_may_see_it(desk, routed, registration):
    """The complaint page asks the visibility rule of the row it read (selectors._may_see), not in its query: the
    same answer as the rule written into a query, for every user and complaint (unrouted, routed with an assisting
    department, asked for assistance)."""
    unrouted = register_complaint(desk.agent, registration(phone="13700000001"))
    named = routed(phone="13700000002")  # branch A's rule names the card department to assist
    asked = routed(phone="13700000003", unit=desk.bank.outlet_b)
    investigation.request_assistance(asked.handler, asked, department=desk.card_department, question="请核查")
    for user in User.objects.all():
        if not has_permission(user, ComplaintPermission.VIEW_COMPLAINTS):
            continue
        reach = {*selectors.visible_complaints(user).values_list("pk", flat=True),
                 *selectors.assisting_complaint_ids(user).values_list("complaint_id", flat=True),
                 *selectors.named_assisting_complaint_ids(user).values_list("complaint_id", flat=True)}
        for complaint in (unrouted, named, asked):
            try:
                opened = selectors.complaint_page(user, complaint.pk).pk == complaint.pk
            except NotFound:
                opened = False
            assert opened == (complaint.pk in reach), (user.username, complaint.tracking_number)
    assert selectors.complaint_detail(desk.handler_card, asked.pk) == asked  # through the assist request only
    with pytest.raises(NotFound):
        selectors.complaint_detail(desk.handler_b, named.pk)
