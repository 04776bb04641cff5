"""Issue 17 item 2: the further extension (to 60 days) is approved only above the handling institution (its
consumer-protection office or management) or by head-office senior management, and the customer is told."""

import pytest
import time_machine

from bankdesk.complaints.handling import authority, investigation
from bankdesk.complaints.models import ClockKind, CustomerNotice, ExtensionRequest, RequestStatus
from bankdesk.complaints.tests.conftest import local
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.models import Notification
from bankdesk.orgs.models import Role


def ask(desk, complaint):
    return investigation.request_extension(desk.handler_a1, complaint, reason="需调取第三方机构鉴定意见",
                                           notice_channel="sms", notice_text="您的投诉情况特别复杂，处理期限再延长30日。")


@pytest.fixture
def further(desk, routed):
    """A complaint of branch A's outlet, routed to branch A, extended once, with the further extension asked."""
    complaint = routed(local(2025, 9, 26, 10, 0))
    with time_machine.travel(local(2025, 10, 5, 9, 0), tick=False):
        investigation.decide_extension(desk.head_a, ask(desk, complaint), approve=True, note="同意")
    with time_machine.travel(local(2025, 10, 20, 9, 0), tick=False):
        request = ask(desk, complaint)
    return request


def decide(actor, request):
    with time_machine.travel(local(2025, 10, 20, 10, 0), tick=False):
        return investigation.decide_extension(actor, request, approve=True, note="同意再延长")


def test_the_handling_institutions_own_office_is_refused(desk, further):
    same_unit_office = desk.bank.user("cp_a", Role.CONSUMER_PROTECTION, desk.bank.branch_a)
    assert authority.handling_institution(further.complaint) == desk.bank.branch_a
    with pytest.raises(PermissionDenied) as refused:
        decide(same_unit_office, further)
    assert "上级" in str(refused.value)
    further.refresh_from_db()
    assert further.status == RequestStatus.PENDING and further.complaint.extension_level == 1


def test_another_branchs_office_and_the_unit_head_are_refused(desk, further):
    with pytest.raises(NotFound):  # another branch's office does not even see the complaint
        decide(desk.cp_b, further)
    assert not authority.may_approve_further_extension(desk.cp_b, further.complaint)
    with pytest.raises(PermissionDenied):
        decide(desk.head_a, further)


def test_the_superior_office_approves_and_the_customer_is_told(desk, further, django_capture_on_commit_callbacks):
    assert desk.cp.pk in Notification.objects.filter(kind="complaint.extension_request").values_list(
        "recipient_id", flat=True)
    decide(desk.cp, further)
    complaint = further.complaint
    complaint.refresh_from_db()
    assert complaint.extension_level == 2
    assert complaint.clocks.get(kind=ClockKind.DECISION).due_at == local(2025, 11, 26)
    notice = CustomerNotice.objects.get(complaint=complaint, kind="further_extension")
    assert notice.channel == "sms" and "再延长30日" in notice.text


def test_head_office_management_approves(desk, further):
    manager = desk.bank.user("manager", Role.MANAGEMENT, desk.bank.root)
    decide(manager, further)
    assert ExtensionRequest.objects.get(pk=further.pk).status == RequestStatus.APPROVED


def test_a_branch_manager_does_not_approve_for_the_head_office(desk, routed):
    """A complaint the head office handles has no superior institution: only head-office management approves."""
    complaint = routed(local(2025, 9, 26, 10, 0), unit=desk.bank.root)
    complaint.lead_department = desk.card_department  # a head-office department handles it
    complaint.save(update_fields=["lead_department"])
    assert authority.handling_institution(complaint) == desk.bank.root
    assert not authority.may_approve_further_extension(desk.cp, complaint)  # the head office's own office
    branch_manager = desk.bank.user("manager_a", Role.MANAGEMENT, desk.bank.branch_a)
    assert not authority.may_approve_further_extension(branch_manager, complaint)
    assert authority.may_approve_further_extension(desk.bank.user("manager", Role.MANAGEMENT, desk.bank.root),
                                                   complaint)


def test_the_page_offers_it_and_the_api_refuses_it_only_by_that_rule(desk, further, logged_in):
    same_unit_office = desk.bank.user("cp_a", Role.CONSUMER_PROTECTION, desk.bank.branch_a)
    complaint = further.complaint

    def offered_to(user) -> bool:
        return "/steps/decide_extension/" in logged_in(user).get(f"/complaints/{complaint.pk}/").content.decode()

    assert offered_to(desk.cp) and not offered_to(same_unit_office)
    complaint.refresh_from_db()
    with time_machine.travel(local(2025, 10, 20, 10, 0), tick=False):
        response = logged_in(same_unit_office).post(
            f"/api/complaints/{complaint.pk}/extensions/{further.pk}/decide",
            {"approve": True, "note": "同意", "version": complaint.version}, content_type="application/json")
        assert response.status_code == 403, response.content.decode()
        response = logged_in(desk.cp).post(
            f"/api/complaints/{complaint.pk}/extensions/{further.pk}/decide",
            {"approve": True, "note": "同意", "version": complaint.version}, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == "approved"
