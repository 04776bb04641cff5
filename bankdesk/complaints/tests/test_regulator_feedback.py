"""Issue 17 item 10: a complaint transferred by a regulator (监管转办) records the feedback sent back to it (申诉反馈:
what, when, by whom), shown on the complaint page and in the API; the feedback is due on a clock of its own (the
regulator's deadline, or the rule's working days from receipt), owned by the consumer-protection office, running
through and after the handling until the feedback is recorded, chased when it runs out like any clock."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bankdesk.complaints import state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.decisions.regulator_feedback import record_regulator_feedback
from bankdesk.complaints.handling import clocks, recipients, sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    Channel,
    Clock,
    ClockKind,
    ClockState,
    Complaint,
    LimitUnit,
    RegulatorFeedback,
    Status,
)
from bankdesk.complaints.review import acceptance
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import rules
from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.orgs.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def transfer(desk, registration):
    """A complaint the NFRA transferred, its feedback due in 12 days."""
    def make(**changes):
        values = {"channel": Channel.objects.get(code="nfra"), "external_reference": "NFRA-2026-0042",
                  "external_deadline": timezone.now() + timedelta(days=12), **changes}
        return register_complaint(desk.cp, registration(**values))

    return make


def _clock(complaint) -> Clock:
    return Clock.objects.get(complaint=complaint, kind=ClockKind.REGULATOR_FEEDBACK)


class TestClock:
    def test_a_transfer_owes_feedback_by_the_regulators_deadline_from_receipt(self, desk, transfer, registration):
        complaint = transfer()
        clock = _clock(complaint)
        assert (clock.state, clock.started_at, clock.due_at) == (ClockState.RUNNING, complaint.received_at,
                                                                 complaint.external_deadline)
        assert clock.limit_unit == LimitUnit.EXTERNAL and clock.next_check_at == clock.warn_at
        # the office's clock, not the handler's: the work lists' nearest deadline is the acceptance review's
        assert complaint.current_deadline == complaint.acceptance_deadline
        assert recipients.owners(clock) == recipients.reviewers(complaint) == [desk.cp.pk]
        ordinary = register_complaint(desk.agent, registration(phone="13700000001"))
        assert not Clock.objects.filter(complaint=ordinary, kind=ClockKind.REGULATOR_FEEDBACK).exists()

    def test_without_a_deadline_of_its_own_the_rules_working_days_apply(self, desk):
        """10 working days from Friday 2025-09-26 across National Day: the make-up Sunday 28 Sep and Saturday
        11 Oct count, 1-8 Oct do not; 5 working days end on Friday 10 Oct."""
        complaint = Complaint(channel=Channel.objects.get(code="nfra"), external_deadline=None)
        found = clocks.deadline(ClockKind.REGULATOR_FEEDBACK, complaint, local(2025, 9, 26, 10, 0))
        assert (found.due_at, found.limit_count, found.limit_unit) == (local(2025, 10, 17), 10,
                                                                       LimitUnit.WORKING_DAYS)
        rules.set_value(desk.bank.admin, "complaint.regulator_feedback_working_days", "5", "银行内部规定")
        found = clocks.deadline(ClockKind.REGULATOR_FEEDBACK, complaint, local(2025, 9, 26, 10, 0))
        assert found.due_at == local(2025, 10, 11)

    def test_the_clock_runs_on_after_the_complaint_ends_and_is_chased(self, desk, transfer):
        complaint = acceptance.withdraw_complaint(desk.cp, transfer(), "客户撤诉")
        assert complaint.status == Status.WITHDRAWN and complaint.current_deadline is None
        clock = _clock(complaint)
        assert clock.state == ClockState.RUNNING
        result = sweeper.sweep(now=complaint.external_deadline + timedelta(minutes=1))
        clock.refresh_from_db()
        assert result.overdue >= 1 and clock.overdue_at is not None
        assert Notification.objects.filter(recipient=desk.cp, kind="complaint.clock_chase").exists()
        assert AuditEvent.objects.filter(object_id=str(complaint.pk), action=ComplaintAction.OVERDUE,
                                         after__clock=ClockKind.REGULATOR_FEEDBACK).exists()


class TestRecord:
    def test_feedback_is_recorded_stops_the_clock_and_is_audited(self, desk, transfer):
        complaint = transfer()
        sent = timezone.now() - timedelta(minutes=1)
        feedback = record_regulator_feedback(desk.cp, complaint, content="已核实，已向客户道歉并退还年费。", sent_at=sent,
                                             expected_version=complaint.version)
        assert (feedback.content, feedback.sent_at, feedback.sent_by) == ("已核实，已向客户道歉并退还年费。", sent, desk.cp)
        assert feedback.complaint.version == complaint.version + 1
        clock = _clock(complaint)
        assert (clock.state, clock.stopped_at, clock.met) == (ClockState.STOPPED, sent, True)
        event = AuditEvent.objects.get(object_id=str(complaint.pk), action=ComplaintAction.REGULATOR_FEEDBACK)
        assert event.actor == desk.cp and event.after["reference"] == "NFRA-2026-0042"
        # append-only: a later report (the final result) is a new record; the first one stays as it was
        record_regulator_feedback(desk.cp, complaint, content="最终处理结果：客户满意。")
        assert list(RegulatorFeedback.objects.filter(complaint=complaint).values_list("content", flat=True)) == [
            "已核实，已向客户道歉并退还年费。", "最终处理结果：客户满意。"]

    def test_late_feedback_is_late(self, desk, transfer):
        complaint = transfer()
        with time_machine.travel(complaint.external_deadline + timedelta(hours=2)):
            record_regulator_feedback(desk.cp, complaint, content="逾期反馈")
        assert _clock(complaint).met is False

    def test_only_a_regulators_transfer_has_feedback(self, desk, registration):
        complaint = register_complaint(desk.agent, registration())
        assert "regulator_feedback" not in state_machine.available_steps(desk.cp, complaint)
        with pytest.raises(ValidationFailed) as refused:
            record_regulator_feedback(desk.cp, complaint, content="x")
        assert refused.value.code == "not_regulator_transfer"
        assert not RegulatorFeedback.objects.exists()

    @pytest.mark.parametrize("values, field", [({"content": "  "}, "content"),
                                               ({"content": "x", "sent_at": "future"}, "sent_at"),
                                               ({"content": "x", "sent_at": "before"}, "sent_at")])
    def test_what_is_entered_is_checked(self, desk, transfer, values, field):
        complaint = transfer()
        moments = {"future": timezone.now() + timedelta(hours=1),
                   "before": complaint.received_at - timedelta(hours=1)}
        values = {**values, **({"sent_at": moments[values["sent_at"]]} if "sent_at" in values else {})}
        with pytest.raises(ValidationFailed) as refused:
            record_regulator_feedback(desk.cp, complaint, **values)
        assert refused.value.field == field
        assert _clock(complaint).state == ClockState.RUNNING

    def test_who_may_record_it(self, desk, transfer, routed):
        complaint = transfer()
        with pytest.raises(PermissionDenied):  # handling is not the office's duty to the regulator
            record_regulator_feedback(desk.handler_a1, complaint, content="x")
        with pytest.raises(NotFound):  # another branch's office
            record_regulator_feedback(desk.cp_b, complaint, content="x")
        officer = desk.bank.user("cp_a", Role.CONSUMER_PROTECTION, desk.bank.branch_a)
        concerning = transfer(phone="13700000002", staff_concerned_id=officer.pk)
        assert "regulator_feedback" not in state_machine.available_steps(officer, concerning)
        with pytest.raises(PermissionDenied):  # recusal: the officer is the one complained about
            record_regulator_feedback(officer, concerning, content="x")
        record_regulator_feedback(officer, complaint, content="分行消保部反馈")
        assert not RegulatorFeedback.objects.filter(complaint=concerning).exists()


class TestPage:
    def test_the_office_records_it_from_the_panel_and_the_page_shows_it(self, desk, transfer, logged_in):
        complaint = transfer()
        client = logged_in(desk.cp)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "/steps/regulator_feedback/" in page and "No feedback sent to the regulator yet" in page
        refused = client.post(f"/complaints/{complaint.pk}/steps/regulator_feedback/",
                              {"version": complaint.version, "content": " ", "sent_at": "2020-01-01T10:00"}, **HTMX)
        assert refused.status_code == 200 and "This field is required." in refused.content.decode()
        assert 'value="2020-01-01T10:00"' in refused.content.decode()  # the form stays filled
        response = client.post(f"/complaints/{complaint.pk}/steps/regulator_feedback/",
                               {"version": complaint.version, "content": "已向监管反馈：已退费并致歉"}, **HTMX)
        assert "The feedback to the regulator is recorded." in response.content.decode()
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "已向监管反馈：已退费并致歉" in page and "Feedback sent to the regulator" in page

    def test_others_are_not_offered_the_step_and_are_refused(self, desk, transfer, routed, logged_in):
        complaint = transfer()
        acceptance.accept_complaint(desk.cp, complaint)
        complaint.refresh_from_db()
        handler = logged_in(complaint.handler)
        assert "/steps/regulator_feedback/" not in handler.get(f"/complaints/{complaint.pk}/").content.decode()
        assert handler.post(f"/complaints/{complaint.pk}/steps/regulator_feedback/",
                            {"version": complaint.version, "content": "x"}).status_code == 403
        assert logged_in(desk.cp_b).post(f"/complaints/{complaint.pk}/steps/regulator_feedback/",
                                         {"version": complaint.version, "content": "x"}).status_code == 404
        ordinary = routed(phone="13700000001")
        assert "/steps/regulator_feedback/" not in logged_in(desk.cp).get(
            f"/complaints/{ordinary.pk}/").content.decode()
        assert not RegulatorFeedback.objects.exists()


class TestApi:
    def test_record_and_read_it(self, desk, transfer, logged_in):
        complaint = transfer()
        url = f"/api/complaints/{complaint.pk}/regulator-feedback"
        client = logged_in(desk.cp)
        answer = client.post(url, {"version": complaint.version, "content": "已反馈监管"},
                             content_type="application/json")
        assert answer.status_code == 201
        body = answer.json()
        assert body["content"] == "已反馈监管" and body["sent_by"] == "cp"
        assert body["complaint_version"] == complaint.version + 1
        detail = client.get(f"/api/complaints/{complaint.pk}").json()
        assert [item["content"] for item in detail["regulator_feedback"]] == ["已反馈监管"]
        assert detail["archived_at"] is None

    def test_refusals(self, desk, transfer, routed, logged_in):
        complaint = transfer()
        url = f"/api/complaints/{complaint.pk}/regulator-feedback"
        assert logged_in(desk.handler_a1).post(url, {"content": "x"}, content_type="application/json"
                                               ).status_code == 403
        assert logged_in(desk.cp_b).post(url, {"content": "x"}, content_type="application/json").status_code == 404
        empty = logged_in(desk.cp).post(url, {"content": ""}, content_type="application/json")
        assert empty.status_code == 400 and empty.json()["field"] == "content"
        ordinary = routed(phone="13700000001")
        refused = logged_in(desk.cp).post(f"/api/complaints/{ordinary.pk}/regulator-feedback", {"content": "x"},
                                          content_type="application/json")
        assert refused.status_code == 400 and refused.json()["code"] == "not_regulator_transfer"
        assert logged_in(desk.cp).get(f"/api/complaints/{ordinary.pk}").json()["regulator_feedback"] == []
