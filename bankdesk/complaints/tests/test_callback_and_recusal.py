"""Issue 17 items 4 and 5: the callback belongs to the complaint post and an unhappy answer is screened (复核);
recusal (回避) at every door: the record, every step, the callback, the choice of handler and department."""

import pytest

from bankdesk.complaints import recusal, state_machine
from bankdesk.complaints.decisions import approval, callback, communication
from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import ClockKind, ClockState, ClosureCode, Screening, Status
from bankdesk.complaints.review import routing
from bankdesk.complaints.web import step_panel
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.orgs.demo import grant_directly
from bankdesk.orgs.models import Role


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def post(client, url: str, body: dict):
    return client.post(f"/api/{url}", body, content_type="application/json")


def communicate(desk, complaint, handler=None, approver=None):
    handler = handler or complaint.handler
    approval.propose_decision(handler, complaint, finding="柜员未按规定叫号，属实。", basis="依据服务规范。", remedies=["apology"],
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    approval.approve_decision(approver or desk.head_a, complaint)
    communication.communicate_decision(handler, complaint, channel="sms", text="您的投诉已处理完毕。")
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def unhappy(desk, routed):
    """A complaint whose customer said "not satisfied" at the callback: awaiting the screening."""
    def make(**changes):
        complaint = communicate(desk, routed(**changes))
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="not_satisfied",
                                 reason="补偿金额过低")
        complaint.refresh_from_db()
        return complaint

    return make


class TestScreening:
    def test_not_satisfied_goes_to_the_consumer_protection_office_on_the_rehandling_clock(self, desk, unhappy):
        complaint = unhappy()
        assert complaint.status == Status.SCREENING and complaint.reopen_count == 0
        clocks = dict(complaint.clocks.values_list("kind", "state"))
        assert clocks[ClockKind.REVIEW] == ClockState.RUNNING and clocks[ClockKind.CALLBACK] == ClockState.STOPPED
        assert Notification.objects.filter(kind="complaint.screening", recipient=desk.cp).exists()
        assert state_machine.available_steps(desk.cp, complaint) == ["withdraw", "screen", "escalate"]
        assert "screen" not in state_machine.available_steps(desk.handler_a1, complaint)

    def test_closing_as_handled_properly_keeps_the_reason_and_tells_the_customer_where_to_turn(self, desk, unhappy):
        complaint = unhappy()
        with pytest.raises(ValidationFailed) as failure:
            callback.screen_dissatisfaction(desk.cp, complaint, outcome="uphold", reason="已按标准足额补偿")
        assert failure.value.field == "notice_channel"
        with pytest.raises(ValidationFailed) as failure:
            callback.screen_dissatisfaction(desk.cp, complaint, outcome="uphold", reason=" ", notice_channel="sms")
        assert failure.value.field == "reason"
        screening = callback.screen_dissatisfaction(desk.cp, complaint, outcome="uphold", reason="已按标准足额补偿",
                                                    notice_channel="sms")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.reopen_count == 0 and complaint.closed_at
        assert screening.callback == complaint.callbacks.get() and screening.screened_by == desk.cp
        text = screening.notice.text
        assert "已按标准足额补偿" in text and "mediation" in text and "12378" in text and "arbitration" in text
        assert screening.notice.kind == "dissatisfaction_closed"
        assert not complaint.clocks.exclude(state=ClockState.STOPPED).exists()
        event = AuditEvent.objects.filter(action="complaint.screening_close", object_id=str(complaint.pk)).get()
        assert event.after["note"] == "已按标准足额补偿" and event.after["status"] == "closed"

    def test_the_notice_is_in_the_banks_language(self, desk, unhappy, settings):
        complaint = unhappy()
        settings.LANGUAGE_CODE = "zh-hans"
        text = callback.dissatisfaction_notice(complaint, "已按标准足额补偿")
        assert "调解" in text and "仲裁" in text and "12378" in text and "已按标准足额补偿" in text

    def test_reopening_keeps_the_clock_started_at_the_callback(self, desk, unhappy):
        complaint = unhappy()
        review = complaint.clocks.get(kind=ClockKind.REVIEW)
        with pytest.raises(ValidationFailed) as failure:
            callback.screen_dissatisfaction(desk.cp, complaint, outcome="reopen", reason="补偿标准适用错误")
        assert failure.value.field == "reopen_kind"
        callback.screen_dissatisfaction(desk.cp, complaint, outcome="reopen", reopen_kind="rehandle",
                                        reason="补偿标准适用错误")
        complaint.refresh_from_db()
        assert complaint.status == Status.REOPENED and complaint.reopen_count == 1
        assert complaint.clocks.get(kind=ClockKind.REVIEW).pk == review.pk
        assert Notification.objects.filter(kind="complaint.reopened", recipient=complaint.handler).exists()

    def test_the_handler_neither_screens_nor_calls_back(self, desk, unhappy, routed):
        complaint = unhappy()
        with pytest.raises(PermissionDenied):
            callback.screen_dissatisfaction(complaint.handler, complaint, outcome="uphold", reason="x",
                                            notice_channel="sms")
        communicated = communicate(desk, routed(phone="13700000001"))
        with pytest.raises(PermissionDenied):
            callback.record_callback(communicated.handler, communicated, reached=False)

    def test_page_and_api(self, desk, unhappy, logged_in):
        complaint = unhappy()
        page = logged_in(desk.cp)
        assert "Screen the customer" in page.get(f"/complaints/{complaint.pk}/").content.decode()
        response = page.post(f"/complaints/{complaint.pk}/steps/screen/", {
            "version": complaint.version, "outcome": "uphold", "reason": "处理恰当", "notice_channel": "phone"})
        assert response.status_code == 302
        shown = page.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "Handled properly" in shown and "处理恰当" in shown
        other = unhappy(phone="13700000003")
        assert post(logged_in(complaint.handler), f"complaints/{other.pk}/screening",
                    {"outcome": "uphold", "reason": "x"}).status_code == 403
        answer = post(logged_in(desk.cp), f"complaints/{other.pk}/screening",
                      {"outcome": "reopen", "reopen_kind": "review", "reason": "未核实监控"})
        assert answer.status_code == 201
        assert answer.json()["complaint_status"] == "reopened" and answer.json()["reopen_kind"] == "review"


def _cp_handler(desk):
    """A consumer-protection officer who is also a handler of branch A."""
    user = desk.bank.user("cp_handler", Role.CONSUMER_PROTECTION, desk.bank.branch_a)
    grant_directly(desk.bank.admin, user, Role.HANDLER, desk.bank.branch_a)
    return user


class TestComplaintPost:
    def test_an_officer_who_handled_the_complaint_does_not_call_it_back(self, desk, routed, logged_in):
        complaint = routed()
        officer = _cp_handler(desk)
        complaint.handler = officer
        complaint.save(update_fields=["handler"])
        complaint = communicate(desk, complaint)
        assert "callback" not in state_machine.available_steps(officer, complaint)
        with pytest.raises(PermissionDenied):
            callback.record_callback(officer, complaint, reached=True, satisfaction="satisfied")
        response = post(logged_in(officer), f"complaints/{complaint.pk}/callbacks",
                        {"reached": True, "satisfaction": "satisfied"})
        assert response.status_code == 403
        assert "callback" in state_machine.available_steps(desk.cp, complaint)

    def test_the_callback_clock_is_the_complaint_posts(self, desk, routed):
        from bankdesk.complaints.handling import recipients

        complaint = communicate(desk, routed())
        assert recipients.owners(complaint.clocks.get(kind=ClockKind.CALLBACK)) == recipients.reviewers(complaint)

    def test_handlers_and_heads_hold_no_callback_right(self, desk, routed):
        complaint = communicate(desk, routed())
        for user in (desk.handler_a2, desk.head_a):
            with pytest.raises(PermissionDenied):
                callback.record_callback(user, complaint, reached=False)


class TestRecusal:
    def test_the_staff_complained_about_cannot_open_the_record(self, desk, routed, logged_in):
        complaint = routed(staff_concerned_id=desk.handler_a2.pk)
        assert complaint.handler_id != desk.handler_a2.pk
        client = logged_in(desk.handler_a2)
        assert client.get(f"/complaints/{complaint.pk}/").status_code == 403
        assert client.get(f"/api/complaints/{complaint.pk}").status_code == 403
        assert client.get(f"/api/complaints/{complaint.pk}/timeline").status_code == 403
        assert client.post(f"/complaints/{complaint.pk}/steps/note/", {"text": "x"}).status_code == 403
        assert logged_in(complaint.handler).get(f"/complaints/{complaint.pk}/").status_code == 200

    def test_the_approver_of_the_disputed_act_takes_no_step(self, desk, routed, logged_in):
        complaint = routed(disputed_act_approver_ids=[desk.head_a.pk])
        approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=ClosureCode.objects.get(code="bank_at_fault"))
        assert state_machine.available_steps(desk.head_a, complaint) == []
        with pytest.raises(PermissionDenied):
            approval.approve_decision(desk.head_a, complaint)
        response = post(logged_in(desk.head_a), f"complaints/{complaint.pk}/decision/approve", {})
        assert response.status_code == 403
        approval.approve_decision(desk.cp, complaint)  # someone not concerned approves

    def test_every_service_asks_recusal(self, desk, routed):
        officer = desk.bank.user("cp2", Role.CONSUMER_PROTECTION, desk.bank.root)
        complaint = routed(staff_concerned_id=officer.pk)
        for name in ("start", "note", "escalate"):
            with pytest.raises(PermissionDenied):
                state_machine.require_step(officer, name, complaint)
        with pytest.raises(PermissionDenied):
            investigation.add_note(officer, complaint, "x")
        assert step_panel.offered_steps(officer, complaint) == []
        assert "note" in step_panel.offered_steps(desk.cp, complaint)

    def test_whoever_approved_the_act_does_not_call_back(self, desk, routed):
        officer = desk.bank.user("cp2", Role.CONSUMER_PROTECTION, desk.bank.root)
        complaint = communicate(desk, routed(disputed_act_approver_ids=[officer.pk]))
        with pytest.raises(PermissionDenied):
            callback.record_callback(officer, complaint, reached=False)
        assert recusal.is_recused(officer, complaint) and not recusal.is_recused(desk.handler_a1, complaint)
        callback.record_callback(desk.cp, complaint, reached=False)

    def test_a_complaint_about_the_head_is_handled_one_level_up(self, desk, routed):
        handler_ho = desk.bank.user("handler_ho", Role.HANDLER, desk.bank.root)
        complaint = routed(staff_concerned_id=desk.head_a.pk)
        assert complaint.lead_department == desk.bank.root
        assert complaint.handler is not None and complaint.handler not in (desk.handler_a1, desk.handler_a2)
        eligible = set(routing.eligible_handlers(complaint, complaint.lead_department))
        assert handler_ho in eligible and desk.handler_b not in eligible
        state_machine.require_step(complaint.handler, "propose", complaint)
        event = AuditEvent.objects.filter(action="complaint.route", object_id=str(complaint.pk)).get()
        assert event.after["raised_from"] == desk.bank.branch_a.code
        with pytest.raises(PermissionDenied):
            state_machine.require_step(desk.head_a, "approve", complaint)

    def test_the_head_one_level_up_is_asked_only_when_the_department_lies_in_the_heads_unit(self, desk, routed):
        complaint = routed(staff_concerned_id=desk.head_a.pk)
        assert recusal.lead_department_for(complaint, desk.card_department) == desk.card_department
        assert recusal.lead_department_for(complaint, desk.bank.branch_a) == desk.bank.root


class TestDoorsOfScreening:
    def test_an_officer_concerned_does_not_screen(self, desk, unhappy, logged_in):
        officer = desk.bank.user("cp2", Role.CONSUMER_PROTECTION, desk.bank.root)
        complaint = unhappy(disputed_act_approver_ids=[officer.pk])
        assert "screen" not in state_machine.available_steps(officer, complaint)
        with pytest.raises(PermissionDenied):
            callback.screen_dissatisfaction(officer, complaint, outcome="uphold", reason="x", notice_channel="sms")
        response = post(logged_in(officer), f"complaints/{complaint.pk}/screening",
                        {"outcome": "uphold", "reason": "x", "notice_channel": "sms"})
        assert response.status_code == 403 and not Screening.objects.exists()
