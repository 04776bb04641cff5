"""The agent's desk: a caller's complaints found by phone or tracking number, read-only, and the call logged
for the handler (complaints.selectors.desk_*, complaints.handling.enquiries)."""

import pytest
from django.utils import translation

from bankdesk.complaints import selectors
from bankdesk.complaints.handling import enquiries
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import CallerEnquiry
from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind


@pytest.fixture
def centers(desk):
    """A call center under the head office and one under branch B, an agent at each."""
    bank = desk.bank
    head_center = org_services.create_unit(bank.admin, code="CC", name="客服中心", kind=UnitKind.CALL_CENTER,
                                           parent=bank.root)
    branch_center = org_services.create_unit(bank.admin, code="B-CC", name="西城客服", kind=UnitKind.CALL_CENTER,
                                             parent=bank.branch_b)
    return bank.user("cc_agent", Role.AGENT, head_center), bank.user("b_agent", Role.AGENT, branch_center)


def test_an_agent_reaches_the_bank_or_branch_its_call_center_serves(desk, registration, centers):
    head_agent, branch_agent = centers
    about_a = register_complaint(desk.agent, registration())  # about branch A's outlet
    about_b = register_complaint(desk.agent, registration(unit=desk.bank.outlet_b, phone="13700000000"))
    assert selectors.desk_paths(head_agent) == [desk.bank.root.path]
    assert selectors.desk_paths(branch_agent) == [desk.bank.branch_b.path]
    assert set(selectors.desk_find(head_agent, phone="139 1234 5678")) == {about_a}
    assert list(selectors.desk_find(branch_agent, phone="13912345678")) == []  # branch A is not branch B's
    assert list(selectors.desk_find(branch_agent, tracking_number=about_b.tracking_number.lower())) == [about_b]
    with pytest.raises(NotFound):
        selectors.desk_complaint(branch_agent, about_a.pk)
    assert list(selectors.desk_find(head_agent)) == []  # neither phone nor number: nothing


def test_an_agent_sees_the_complaint_it_registered(desk, registration):
    """The registering agent of the shared fixture holds no right to read complaints (complaint.view): the desk
    shows it read-only, with its stage dates and next deadline."""
    complaint = register_complaint(desk.agent, registration())
    with pytest.raises(PermissionDenied):
        selectors.complaint_detail(desk.agent, complaint.pk)
    view = selectors.desk_view(desk.agent, complaint.pk)
    assert view.complaint.tracking_number == complaint.tracking_number and view.decision is None
    assert view.complaint.current_deadline == complaint.current_deadline is not None
    assert view.complaint.received_at == complaint.received_at


def test_roles_without_the_desk(desk, registration):
    complaint = register_complaint(desk.agent, registration())
    with pytest.raises(PermissionDenied):
        selectors.desk_view(desk.teller, complaint.pk)
    with pytest.raises(PermissionDenied):
        enquiries.log_caller_enquiry(desk.handler_a1, complaint.pk)


def test_the_call_is_logged_for_the_handler(desk, routed):
    complaint = routed()
    assert complaint.handler_id
    version = complaint.version
    with translation.override("en"):
        enquiry = enquiries.log_caller_enquiry(desk.agent, complaint.pk)
    assert enquiry.text == "The customer asked for progress."
    complaint.refresh_from_db()
    assert complaint.version == version  # the call changes nothing of the complaint
    event = AuditEvent.objects.get(action="complaint.caller_enquiry", object_id=str(complaint.pk))
    assert event.actor_id == desk.agent.pk and event.after["note"] == enquiry.text
    notice = Notification.objects.get(kind="complaint.caller_enquiry")
    assert notice.recipient_id == complaint.handler_id and notice.link == f"/complaints/{complaint.pk}/"
    assert [e.text for e in selectors.desk_view(desk.agent, complaint.pk).enquiries] == [enquiry.text]
    assert list(selectors.related_entries(selectors.complaint_page(desk.handler_a1, complaint.pk), "enquiries")) == [
        enquiry]


def test_before_routing_the_reviewers_hear_of_it(desk, registration):
    complaint = register_complaint(desk.agent, registration())
    enquiries.log_caller_enquiry(desk.agent, complaint.pk, "  客户  问何时答复  ")
    assert CallerEnquiry.objects.get().text == "客户 问何时答复"
    assert set(Notification.objects.filter(kind="complaint.caller_enquiry").values_list("recipient", flat=True)) == {
        desk.cp.pk}
    with pytest.raises(ValidationFailed) as refused:
        enquiries.log_caller_enquiry(desk.agent, complaint.pk, "长" * 501)
    assert refused.value.field == "text"
