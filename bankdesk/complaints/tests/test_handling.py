"""Handling to closure through the services: the happy path, maker-checker, extensions, callback and reopen."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection, connections

from bankdesk.complaints import state_machine
from bankdesk.complaints.decisions import approval, callback, communication
from bankdesk.complaints.handling import investigation
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    ClockKind,
    ClockState,
    ClosureCode,
    CustomerNotice,
    DecisionStatus,
    ExtensionRequest,
    RequestStatus,
    Status,
)
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import rules
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import SmsOutbox
from bankdesk.core.models import AuditEvent, Notification


@pytest.fixture
def bank_at_fault():
    return ClosureCode.objects.get(code="bank_at_fault")


def propose(desk, complaint, closure_code, amount=None):
    remedies = ["apology", "compensation"] if amount else ["apology"]
    return approval.propose_decision(desk.handler_a1, complaint, finding="柜员未按规定叫号，属实。", remedies=remedies,
                                     basis="依据服务规范。", compensation_amount=amount, closure_code=closure_code)


def communicated(desk, complaint, closure_code):
    propose(desk, complaint, closure_code)
    approval.approve_decision(desk.head_a, complaint)
    decision = approval.current_decision(complaint)
    communication.communicate_decision(desk.handler_a1, complaint, channel="sms",
                                       text=communication.decision_notice(complaint, decision))
    complaint.refresh_from_db()
    return complaint


def states(complaint) -> dict:
    return dict(complaint.clocks.values_list("kind", "state"))


class TestHappyPath:
    def test_from_registration_to_closure(self, desk, routed, bank_at_fault, django_capture_on_commit_callbacks):
        complaint = routed()
        assert complaint.handler == desk.handler_a1 and complaint.status == Status.ROUTED
        investigation.start_handling(desk.handler_a1, complaint)
        investigation.add_note(desk.handler_a1, complaint, "调取监控，核实排队时长 70 分钟。")
        investigation.log_contact(desk.handler_a1, complaint, channel="call", summary="致电客户说明正在核查。")
        request = investigation.request_assistance(desk.handler_a1, complaint, department=desk.card_department,
                                                   question="请核查当日叫号系统记录。")
        investigation.answer_assistance(desk.handler_card, request, findings="叫号系统当日 10:00-11:00 故障。",
                                        actions_taken="已报修。")
        assert states(complaint)[ClockKind.ASSIST] == ClockState.STOPPED

        decision = propose(desk, complaint, bank_at_fault, amount=Decimal("200"))
        complaint.refresh_from_db()
        assert complaint.status == Status.DECISION_PROPOSED
        assert Notification.objects.filter(kind="complaint.decision_proposed", recipient=desk.head_a).exists()
        approval.approve_decision(desk.head_a, complaint, note="同意")
        complaint.refresh_from_db()
        assert complaint.status == Status.DECISION_APPROVED and complaint.closure_code == bank_at_fault

        with django_capture_on_commit_callbacks(execute=True):
            communication.communicate_decision(desk.handler_a1, complaint, channel="sms",
                                               text=communication.decision_notice(complaint, decision))
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.COMMUNICATED
        with default_storage.open(decision.letter, "rb") as letter:
            assert letter.read(4) == b"%PDF"
        assert CustomerNotice.objects.filter(complaint=complaint, kind="decision", channel="sms").exists()
        assert SmsOutbox.objects.filter(kind="complaint.decision").count() == 1
        complaint.refresh_from_db()
        assert complaint.status == Status.COMMUNICATED
        clocks = states(complaint)
        assert clocks[ClockKind.DECISION] == clocks[ClockKind.INTERNAL] == ClockState.STOPPED
        assert clocks[ClockKind.CALLBACK] == ClockState.RUNNING
        assert complaint.clocks.get(kind=ClockKind.DECISION).met

        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.closed_at is not None
        assert not complaint.clocks.exclude(state=ClockState.STOPPED).exists()
        actions = list(AuditEvent.objects.filter(object_id=str(complaint.pk), object_type="complaints.complaint")
                       .order_by("id")
                       .values_list("action", flat=True))
        assert actions[-7:] == ["complaint.contact", "complaint.assist_request", "complaint.assist_answer",
                                "complaint.decision_propose", "complaint.decision_approve", "complaint.communicate",
                                "complaint.callback"]

    def test_a_note_starts_the_investigation(self, desk, routed):
        complaint = routed()
        investigation.add_note(desk.handler_a1, complaint, "已电话联系网点负责人")
        complaint.refresh_from_db()
        assert complaint.status == Status.INVESTIGATING

    def test_a_contact_is_the_clear_reply_a_major_complaint_needs(self, desk, routed):
        complaint = routed(is_group=True, group_size=8)
        assert states(complaint)[ClockKind.MAJOR_REPLY] == ClockState.RUNNING
        investigation.log_contact(desk.handler_a1, complaint, channel="call", summary="明确答复客户处理安排")
        assert states(complaint)[ClockKind.MAJOR_REPLY] == ClockState.STOPPED


class TestRefusals:
    def test_rights_are_checked_before_the_input(self, desk, routed):
        complaint = routed()
        with pytest.raises(PermissionDenied):
            communication.communicate_decision(desk.teller, complaint, channel="sms", text="")
        with pytest.raises(NotFound):
            investigation.log_contact(desk.handler_b, complaint, channel="nonsense", summary="")

    def test_a_contact_cannot_predate_the_complaint(self, desk, routed):
        complaint = routed()
        with pytest.raises(ValidationFailed) as failure:
            investigation.log_contact(desk.handler_a1, complaint, channel="call", summary="通话",
                                      contacted_at=complaint.received_at - timedelta(days=1))
        assert failure.value.field == "contacted_at"

    def test_a_decision_without_its_basis_is_refused(self, desk, routed, bank_at_fault):
        complaint = routed()
        with pytest.raises(ValidationFailed) as failure:
            approval.propose_decision(desk.handler_a1, complaint, finding="属实", basis="  ", remedies=["apology"],
                                      closure_code=bank_at_fault)
        assert failure.value.field == "basis" and "处理依据及理由" in failure.value.message
        assert not complaint.decisions.exists()

    def test_a_step_out_of_order_is_refused_with_the_state(self, desk, routed, bank_at_fault):
        complaint = routed()
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)
        assert failure.value.code == "invalid_state" and "已分派" in failure.value.message
        with pytest.raises(ValidationFailed):
            callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")

    def test_rights_and_scope(self, desk, routed, bank_at_fault):
        complaint = routed()
        with pytest.raises(PermissionDenied):
            investigation.add_note(desk.teller, complaint, "无权限")
        with pytest.raises(NotFound):
            investigation.add_note(desk.handler_b, complaint, "他行")
        propose(desk, complaint, bank_at_fault)
        with pytest.raises(PermissionDenied):
            approval.approve_decision(desk.handler_a2, complaint)  # handlers do not approve

    def test_nobody_approves_their_own_proposal(self, desk, routed, bank_at_fault):
        complaint = routed()
        approval.propose_decision(desk.head_a, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=bank_at_fault)
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)
        assert failure.value.code == "self_approval"

    def test_compensation_above_the_approvers_limit_needs_a_higher_one(self, desk, routed, bank_at_fault):
        complaint = routed()
        propose(desk, complaint, bank_at_fault, amount=Decimal("8000"))
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)  # a head approves up to 5,000 yuan
        assert failure.value.code == "over_limit" and "8000" in failure.value.message
        approval.approve_decision(desk.cp, complaint)  # consumer protection: up to 50,000
        assert approval.current_decision(complaint).status == DecisionStatus.APPROVED

    def test_the_step_table_offers_approval_exactly_to_whom_the_service_lets_approve(self, desk, routed,
                                                                                      bank_at_fault):
        def offered(user) -> bool:
            return "approve" in state_machine.available_steps(user, complaint)

        complaint = routed()
        approval.propose_decision(desk.head_a, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=bank_at_fault)
        complaint.refresh_from_db()
        assert not offered(desk.head_a) and offered(desk.cp)
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)
        assert failure.value.code == "self_approval"
        approval.return_decision(desk.cp, complaint, note="补充赔偿")

        propose(desk, complaint, bank_at_fault, amount=Decimal("8000"))
        complaint.refresh_from_db()
        assert not offered(desk.head_a) and offered(desk.cp)  # a head approves up to 5,000 yuan
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)
        assert failure.value.code == "over_limit"
        rules.set_value(desk.bank.admin, "approval.unit_head_limit_yuan", "8000", "授权额度调整")
        assert offered(desk.head_a)  # the limit is the rule setting's, for the table and the service alike
        approval.approve_decision(desk.head_a, complaint)
        assert approval.current_decision(complaint).status == DecisionStatus.APPROVED

    def test_remedy_and_amount_must_agree(self, desk, routed, bank_at_fault):
        complaint = routed()
        for remedies, amount, field in [([], None, "remedies"), (["bribe"], None, "remedies"),
                                        (["compensation"], None, "compensation_amount"),
                                        (["apology"], Decimal("10"), "compensation_amount")]:
            with pytest.raises(ValidationFailed) as failure:
                approval.propose_decision(desk.handler_a1, complaint, finding="x", basis="依据服务规范。", remedies=remedies,
                                          compensation_amount=amount, closure_code=bank_at_fault)
            assert failure.value.field == field
        complaint.refresh_from_db()
        assert complaint.status == Status.ROUTED and not complaint.decisions.exists()

    def test_fee_refund_and_compensation_are_separate_amounts(self, desk, routed, bank_at_fault):
        complaint = routed()
        for remedies, refund, field in [(["fee_refund"], None, "fee_refund_amount"),
                                        (["apology"], Decimal("25"), "fee_refund_amount"),
                                        (["fee_refund", "compensation"], Decimal("25"), "compensation_amount")]:
            with pytest.raises(ValidationFailed) as failure:
                approval.propose_decision(desk.handler_a1, complaint, finding="x", basis="依据服务规范。", remedies=remedies,
                                          fee_refund_amount=refund, closure_code=bank_at_fault)
            assert failure.value.field == field
        decision = approval.propose_decision(
            desk.handler_a1, complaint, finding="多收手续费属实", basis="收费须事先告知", closure_code=bank_at_fault,
            remedies=["fee_refund", "compensation"], fee_refund_amount=Decimal("25.5"),
            compensation_amount=Decimal("100"))
        assert (decision.fee_refund_amount, decision.compensation_amount) == (Decimal("25.50"), Decimal("100.00"))
        assert decision.basis == "收费须事先告知"
        event = AuditEvent.objects.filter(action="complaint.decision_propose").latest("id")
        assert (event.after["fee_refund"], event.after["amount"]) == ("25.50", "100.00")

    def test_the_approval_limit_covers_refund_and_compensation_together(self, desk, routed, bank_at_fault):
        complaint = routed()
        approval.propose_decision(desk.handler_a1, complaint, finding="属实", basis="依据服务规范。", closure_code=bank_at_fault,
                                  remedies=["fee_refund", "compensation"], fee_refund_amount=Decimal("3000"),
                                  compensation_amount=Decimal("3000"))
        with pytest.raises(ValidationFailed) as failure:
            approval.approve_decision(desk.head_a, complaint)  # a head approves up to 5,000 yuan in all
        assert failure.value.code == "over_limit" and "6000" in failure.value.message
        approval.approve_decision(desk.cp, complaint)

    def test_the_letter_tells_the_decision_in_the_customers_words_never_the_code(self, desk, routed,
                                                                                  bank_at_fault, tmp_path):
        from bankdesk.complaints.tests.test_letters import pdf_text, squeezed
        complaint = routed()
        approval.propose_decision(desk.handler_a1, complaint, finding="柜员未告知收费标准", basis="收费须事先告知",
                                  closure_code=bank_at_fault, remedies=["apology", "fee_refund"],
                                  fee_refund_amount=Decimal("25"))
        approval.approve_decision(desk.head_a, complaint)
        rules.set_value(desk.bank.admin, "complaint.customer_review_calendar_days", "40", "核查期限")
        flat = squeezed(pdf_text(communication.letter_content(complaint), tmp_path))
        assert squeezed(bank_at_fault.customer_text) in flat and bank_at_fault.name not in flat
        assert "收费须事先告知" in flat and "退还费用人民币25.00元" in flat and "补偿金额无" in flat
        assert "40日内向我行申请核查" in flat and "12378" in flat

    def test_a_returned_decision_goes_back_to_the_handler(self, desk, routed, bank_at_fault):
        complaint = routed()
        propose(desk, complaint, bank_at_fault)
        approval.return_decision(desk.head_a, complaint, note="补充监控截图")
        complaint.refresh_from_db()
        assert complaint.status == Status.INVESTIGATING
        assert Notification.objects.filter(kind="complaint.decision_returned", recipient=desk.handler_a1).exists()
        propose(desk, complaint, bank_at_fault)
        assert complaint.decisions.count() == 2

    def test_a_closed_complaint_is_read_only_but_may_be_reopened(self, desk, routed, bank_at_fault):
        complaint = communicated(desk, routed(), bank_at_fault)
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="basically_satisfied")
        with pytest.raises(ValidationFailed) as failure:
            investigation.add_note(desk.handler_a1, complaint, "办结后补记")
        assert failure.value.code == "invalid_state"
        with pytest.raises(PermissionDenied):
            callback.reopen_complaint(desk.handler_a1, complaint, kind="review", reason="客户申请核查")
        callback.reopen_complaint(desk.cp, complaint, kind="review", reason="客户申请核查")
        complaint.refresh_from_db()
        assert complaint.status == Status.REOPENED and complaint.reopen_count == 1
        assert states(complaint)[ClockKind.REVIEW] == ClockState.RUNNING


class TestCallback:
    def test_not_satisfied_is_screened_then_reopened_with_its_own_clock(self, desk, routed, bank_at_fault):
        complaint = communicated(desk, routed(), bank_at_fault)
        with pytest.raises(ValidationFailed) as failure:
            callback.record_callback(desk.cp, complaint, reached=True, satisfaction="not_satisfied")
        assert failure.value.field == "reason"
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="not_satisfied",
                                 reason="补偿金额过低", reopen_kind="rehandle")
        complaint.refresh_from_db()
        assert complaint.status == Status.SCREENING and complaint.reopen_count == 0
        callback.screen_dissatisfaction(desk.cp, complaint, outcome="reopen", reopen_kind="rehandle",
                                        reason="补偿标准适用错误")
        complaint.refresh_from_db()
        assert complaint.status == Status.REOPENED and complaint.reopen_count == 1
        review = complaint.clocks.get(kind=ClockKind.REVIEW)
        assert review.state == ClockState.RUNNING and review.length == "15 个自然日"
        assert Notification.objects.filter(kind="complaint.reopened", recipient=desk.handler_a1).exists()
        # handled again, to closure
        complaint = communicated(desk, complaint, bank_at_fault)
        assert complaint.clocks.get(kind=ClockKind.REVIEW).state == ClockState.STOPPED
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED

    def test_closes_unreachable_only_after_three_attempts(self, desk, routed, bank_at_fault):
        complaint = communicated(desk, routed(), bank_at_fault)
        for attempt in range(2):
            callback.record_callback(desk.cp, complaint, reached=False)
        with pytest.raises(ValidationFailed) as failure:
            callback.close_unreachable(desk.cp, complaint)
        assert "2" in failure.value.message
        callback.record_callback(desk.cp, complaint, reached=False)
        callback.close_unreachable(desk.cp, complaint, note="三次电话均无人接听")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.failed_callbacks == 3


class TestExtensions:
    def request(self, desk, complaint):
        return investigation.request_extension(desk.handler_a1, complaint, reason="需调取第三方支付机构记录",
                                               notice_channel="letter",
                                               notice_text="您的投诉情况复杂，处理期限延长至30日。")

    def test_extension_to_30_then_60_days(self, desk, routed):
        at = local(2025, 9, 26, 10, 0)
        complaint = routed(at)
        with time_machine.travel(local(2025, 10, 5, 9, 0), tick=False):
            request = self.request(desk, complaint)
            with pytest.raises(PermissionDenied):
                investigation.decide_extension(desk.handler_a1, request, approve=True)
        with time_machine.travel(local(2025, 10, 5, 9, 0), tick=False):
            investigation.decide_extension(desk.head_a, request, approve=True, note="同意")
        complaint.refresh_from_db()
        assert complaint.extension_level == 1
        assert complaint.clocks.get(kind=ClockKind.DECISION).due_at == local(2025, 10, 27)
        assert CustomerNotice.objects.filter(complaint=complaint, kind="extension", channel="letter").exists()
        with time_machine.travel(local(2025, 10, 20, 9, 0), tick=False):
            further = self.request(desk, complaint)
            with pytest.raises(PermissionDenied):
                investigation.decide_extension(desk.head_a, further, approve=True)  # the further one needs the office
            investigation.decide_extension(desk.cp, further, approve=True)
        assert complaint.clocks.get(kind=ClockKind.DECISION).due_at == local(2025, 11, 26)
        with pytest.raises(ValidationFailed):
            self.request(desk, complaint)

    def test_refused_on_the_record_and_not_after_the_limit(self, desk, routed):
        complaint = routed(local(2025, 9, 26, 10, 0))
        with time_machine.travel(local(2025, 10, 1, 9, 0), tick=False):
            request = self.request(desk, complaint)
            with pytest.raises(ValidationFailed):
                investigation.decide_extension(desk.head_a, request, approve=False)  # a refusal says why
            investigation.decide_extension(desk.head_a, request, approve=False, note="证据已齐备")
        assert ExtensionRequest.objects.get().status == RequestStatus.REFUSED
        assert AuditEvent.objects.filter(action="complaint.extension_refused").exists()
        with time_machine.travel(local(2025, 10, 13, 9, 0), tick=False), pytest.raises(ValidationFailed) as late:
            self.request(desk, complaint)
        assert late.value.code == "too_late"

    def test_a_written_notice_is_required(self, desk, routed):
        with pytest.raises(ValidationFailed) as failure:
            investigation.request_extension(desk.handler_a1, routed(), reason="复杂", notice_channel="phone",
                                            notice_text="电话告知")
        assert failure.value.field == "notice_channel"

    def test_the_regulators_deadline_cannot_be_extended_here(self, desk, routed):
        complaint = routed(external_reference="NFRA-9", external_deadline=local(2030, 1, 1))
        with pytest.raises(ValidationFailed) as failure:
            self.request(desk, complaint)
        assert "监管" in failure.value.message


class TestConcurrency:
    def test_two_approvers_at_once_one_wins(self, desk, routed, bank_at_fault):
        complaint = routed()
        propose(desk, complaint, bank_at_fault)
        complaint.refresh_from_db()
        seen = complaint.version
        approval.approve_decision(desk.head_a, complaint, expected_version=seen)
        with pytest.raises(Conflict):
            approval.return_decision(desk.cp, complaint, note="退回", expected_version=seen)
        assert approval.current_decision(complaint).status == DecisionStatus.APPROVED

    def test_a_stale_form_changes_nothing(self, desk, routed):
        complaint = routed()
        seen = complaint.version
        investigation.start_handling(desk.handler_a1, complaint, expected_version=seen)
        with pytest.raises(Conflict):
            investigation.escalate(desk.handler_a2, complaint, reason="重复点击", expected_version=seen)
        complaint.refresh_from_db()
        assert complaint.escalation_level == 0


def test_escalation_by_hand_tells_the_level_above(desk, routed):
    complaint = investigation.escalate(desk.handler_a1, routed(), reason="客户情绪激动，扬言投诉媒体")
    assert complaint.escalation_level == 1
    told = set(Notification.objects.filter(kind="complaint.escalated").values_list("recipient", flat=True))
    assert {desk.head_a.pk, desk.cp.pk} <= told and desk.cp_b.pk not in told


def test_two_people_acting_at_the_same_moment(committed_db, desk, routed, bank_at_fault):
    """Two approvers press at once on the same version: the row lock serialises them, one wins and
    the other is told the complaint changed; nothing of the loser is saved."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is one connection's; the race runs on PostgreSQL")
    complaint = routed()
    propose(desk, complaint, bank_at_fault)
    complaint.refresh_from_db()
    barrier, outcomes = threading.Barrier(2), []

    def act(step):
        try:
            barrier.wait()
            step()
            outcomes.append("done")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    seen = complaint.version
    threads = [threading.Thread(target=act, args=(lambda: approval.approve_decision(
                   desk.head_a, complaint, expected_version=seen),)),
               threading.Thread(target=act, args=(lambda: approval.return_decision(
                   desk.cp, complaint, note="退回", expected_version=seen),))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "done"]
    complaint.refresh_from_db()
    assert complaint.version == seen + 1
    assert complaint.status in (Status.DECISION_APPROVED, Status.INVESTIGATING)


def test_an_important_complaint_is_reported_to_the_manager_at_once(desk, registration, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    desk.head_a.email = "head_a@bank.example"
    desk.head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = register_complaint(desk.agent, registration(description="我要找律师起诉你们。"))
    assert complaint.severity == 2
    report = Notification.objects.get(kind="complaint.important")
    assert report.recipient == desk.head_a and complaint.tracking_number in report.text
    assert [message.to for message in mailoutbox] == [["head_a@bank.example"]]
