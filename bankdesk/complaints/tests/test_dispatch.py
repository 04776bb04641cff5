"""Issue 17 item 8: dispatch. The department concerned signs for (签收) a routed complaint and the 10-minute dispatch
clock stops then, not at routing; the handler and every assisting department get an inbox message on assignment;
an assist request shows at the top of the assisting user's panel."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.decisions import approval
from bankdesk.complaints.handling import dispatch, investigation, sweeper
from bankdesk.complaints.models import Clock, ClockKind, ClockState, ClosureCode, Complaint, Status
from bankdesk.complaints.review import routing
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.orgs.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _dispatch(complaint) -> Clock:
    return Clock.objects.filter(complaint=complaint, kind=ClockKind.DISPATCH).latest("id")


class TestSignFor:
    def test_routing_leaves_the_clock_running_until_sign_for(self, desk, routed):
        complaint = routed()
        clock = _dispatch(complaint)
        assert clock.state == ClockState.RUNNING and complaint.signed_for_at is None
        assert complaint.current_deadline == clock.due_at  # the ten minutes are the nearest deadline
        signed = dispatch.sign_for(complaint.handler, complaint)
        clock.refresh_from_db()
        assert (clock.state, clock.stopped_at) == (ClockState.STOPPED, signed.signed_for_at) and clock.met
        assert signed.signed_for_by == complaint.handler and signed.status == Status.ROUTED
        assert AuditEvent.objects.filter(object_id=str(complaint.pk), action=ComplaintAction.SIGN_FOR).exists()

    def test_a_late_sign_for_is_late_and_the_sweep_chases_the_department(self, desk, routed):
        complaint = routed()
        later = timezone.now() + timedelta(minutes=11)
        sweeper.sweep(now=later)
        assert Notification.objects.filter(recipient=complaint.handler, kind="complaint.clock_chase").exists()
        with time_machine.travel(later):
            dispatch.sign_for(desk.head_a, complaint)
        clock = _dispatch(complaint)
        assert clock.state == ClockState.STOPPED and clock.met is False

    def test_only_the_lead_department_signs_and_only_once(self, desk, routed):
        complaint = routed()
        with pytest.raises(NotFound):
            dispatch.sign_for(desk.handler_b, complaint)
        with pytest.raises(NotFound):
            dispatch.sign_for(desk.handler_card, complaint)  # assisting, not leading
        teller_head = desk.bank.user("outlet_head", Role.UNIT_HEAD, desk.bank.outlet_a)
        with pytest.raises(ValidationFailed) as failure:  # over the unit complained about, not the lead department
            dispatch.sign_for(teller_head, complaint)
        assert failure.value.code == "not_lead_department"
        dispatch.sign_for(complaint.handler, complaint)
        with pytest.raises(ValidationFailed) as failure:
            dispatch.sign_for(complaint.handler, complaint)
        assert failure.value.code == "invalid_state"

    def test_the_first_handling_work_signs_for_it(self, desk, routed):
        complaint = routed()
        investigation.add_note(complaint.handler, complaint, "已联系网点调取监控")
        complaint.refresh_from_db()
        assert complaint.signed_for_by == complaint.handler and _dispatch(complaint).state == ClockState.STOPPED

    def test_proposing_at_once_signs_for_it(self, desk, routed):
        complaint = routed()
        approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=ClosureCode.objects.get(code="bank_at_fault"))
        assert Complaint.objects.get(pk=complaint.pk).signed_for_at is not None

    def test_routing_elsewhere_after_sign_for_needs_a_new_sign_for(self, desk, routed):
        complaint = routed()
        dispatch.sign_for(complaint.handler, complaint)
        rerouted = routing.route_complaint(desk.cp, Complaint.objects.get(pk=complaint.pk),
                                           lead_department=desk.bank.branch_b)
        assert rerouted.signed_for_at is None
        clocks = Clock.objects.filter(complaint=complaint, kind=ClockKind.DISPATCH).order_by("id")
        assert [clock.state for clock in clocks] == [ClockState.STOPPED, ClockState.RUNNING]
        dispatch.sign_for(desk.handler_b, rerouted)
        assert not Clock.objects.filter(complaint=complaint, kind=ClockKind.DISPATCH, state=ClockState.RUNNING).exists()


class TestMessagesOnAssignment:
    def test_the_handler_and_every_assisting_department_are_told(self, desk, routed):
        complaint = routed()
        assigned = Notification.objects.get(kind="complaint.assigned")
        assert assigned.recipient == complaint.handler and complaint.tracking_number in assigned.text
        assert "10 minutes" in assigned.text and assigned.link == f"/complaints/{complaint.pk}/"
        assisting = set(Notification.objects.filter(kind="complaint.assisting").values_list("recipient", flat=True))
        assert assisting == {desk.handler_card.pk}

    def test_routing_by_hand_tells_only_who_is_new(self, desk, routed, bank):
        complaint = routed()
        other = bank.user("handler_x", Role.HANDLER, bank.branch_a)
        routing.route_complaint(desk.cp, complaint, lead_department=desk.bank.branch_a, handler=other,
                                assisting=[desk.card_department, desk.bank.branch_b])
        assert Notification.objects.filter(kind="complaint.assigned").count() == 2
        assert Notification.objects.filter(kind="complaint.assigned", recipient=other).exists()
        assert set(Notification.objects.filter(kind="complaint.assisting").values_list("recipient", flat=True)) == {
            desk.handler_card.pk, desk.handler_b.pk}
        assert Notification.objects.filter(kind="complaint.assisting", recipient=desk.handler_card).count() == 1

    def test_an_assisting_department_opens_the_complaint_it_was_told_about(self, desk, routed, logged_in):
        complaint = routed()
        assert logged_in(desk.handler_card).get(f"/complaints/{complaint.pk}/").status_code == 200
        assert logged_in(desk.handler_b).get(f"/complaints/{complaint.pk}/").status_code == 404


class TestPages:
    def test_the_department_signs_for_it_from_the_panel(self, desk, routed, logged_in):
        complaint = routed()
        client = logged_in(complaint.handler)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "/steps/sign_for/" in page and "Awaiting the department" in page
        response = client.post(f"/complaints/{complaint.pk}/steps/sign_for/", {"version": complaint.version}, **HTMX)
        assert "The complaint is signed for" in response.content.decode()
        assert Complaint.objects.get(pk=complaint.pk).signed_for_by == complaint.handler
        assert "/steps/sign_for/" not in client.get(f"/complaints/{complaint.pk}/").content.decode()

    def test_the_office_above_is_not_offered_sign_for_outside_the_lead_department(self, desk, routed, logged_in):
        complaint = routed()
        assert "/steps/sign_for/" not in logged_in(desk.handler_card).get(f"/complaints/{complaint.pk}/").content.decode()

    def test_an_assist_request_is_on_top_of_the_assisting_users_panel(self, desk, routed, logged_in):
        complaint = routed()
        investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                         question="请核实该客户信用卡年费减免记录")
        page = logged_in(desk.handler_card).get(f"/complaints/{complaint.pk}/").content.decode()
        panel = page[page.index('<section id="actions"'):]
        assert panel.index("请核实该客户信用卡年费减免记录") < panel.index("</section>")
        assert panel.index('id="assist-request-') < panel.index("</section>")
        assert "No step is open to you at this stage." not in panel[:panel.index("</section>")]
        handler_page = logged_in(complaint.handler).get(f"/complaints/{complaint.pk}/").content.decode()
        assert 'id="assist-request-' not in handler_page  # the handler reads it, the department answers it

    def test_the_answer_from_the_panel(self, desk, routed, logged_in):
        complaint = routed()
        request = investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                                   question="请核实年费记录")
        response = logged_in(desk.handler_card).post(f"/complaints/{complaint.pk}/assist-answer/", {
            "request": request.pk, "findings": "年费已于3月减免"}, **HTMX)
        assert response.status_code == 200
        request.refresh_from_db()
        assert request.answered_by == desk.handler_card


class TestApi:
    def test_sign_for(self, desk, routed, logged_in):
        complaint = routed()
        url = f"/api/complaints/{complaint.pk}/sign-for"
        assert logged_in(desk.handler_card).post(url, {}, content_type="application/json").status_code == 404
        answer = logged_in(complaint.handler).post(url, {"version": complaint.version},
                                                   content_type="application/json")
        assert answer.status_code == 200 and answer.json()["signed_for_at"] is not None
        again = logged_in(complaint.handler).post(url, {}, content_type="application/json")
        assert again.status_code == 400 and again.json()["code"] == "invalid_state"

