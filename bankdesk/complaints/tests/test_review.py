import pytest

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import BusinessCategory, CustomerNotice, NonAcceptanceReason, Status
from bankdesk.complaints.review import acceptance, routing
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification


@pytest.fixture
def registered(desk, registration):
    return register_complaint(desk.agent, registration())


class TestAcceptance:
    def test_accept_routes_to_the_least_loaded_handler(self, desk, registration):
        first = acceptance.accept_complaint(desk.cp, register_complaint(desk.agent, registration()))
        second = acceptance.accept_complaint(desk.cp, register_complaint(
            desk.agent, registration(phone="13700000000")))
        assert first.status == second.status == Status.ROUTED
        assert first.lead_department == desk.bank.branch_a
        assert {first.handler, second.handler} == {desk.handler_a1, desk.handler_a2}
        assert list(first.assisting_departments.all()) == [desk.card_department]

    def test_category_rule_with_higher_priority_wins(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(
            business_category=BusinessCategory.objects.get(code="card_fees")))
        complaint = acceptance.accept_complaint(desk.cp, complaint)
        assert (complaint.lead_department, complaint.handler) == (desk.card_department, desk.handler_card)

    def test_staff_complained_about_is_never_assigned(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(
            staff_concerned_id=desk.handler_a1.pk, disputed_act_approver_ids=[desk.handler_a2.pk]))
        complaint = acceptance.accept_complaint(desk.cp, complaint)
        assert complaint.handler is None
        assert Notification.objects.filter(kind="complaint.unassigned", recipient=desk.head_a).exists()

    def test_manual_assignment_refuses_a_recused_handler(self, desk, registration):
        complaint = acceptance.accept_complaint(desk.cp, register_complaint(
            desk.agent, registration(staff_concerned_id=desk.handler_a1.pk)))
        with pytest.raises(ValidationFailed) as failure:
            routing.route_complaint(desk.cp, complaint, lead_department=desk.bank.branch_a, handler=desk.handler_a1)
        assert failure.value.field == "handler"
        with pytest.raises(ValidationFailed):
            routing.route_complaint(desk.cp, complaint, lead_department=desk.bank.branch_a, handler=desk.handler_b)
        rerouted = routing.route_complaint(desk.cp, complaint, lead_department=desk.bank.branch_b)
        assert rerouted.handler == desk.handler_b

    def test_no_matching_rule_leaves_it_accepted_for_routing_by_hand(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(unit=desk.bank.root))
        assert acceptance.accept_complaint(desk.cp, complaint).status == Status.ACCEPTED

    def test_only_the_office_in_scope_reviews(self, desk, registered):
        with pytest.raises(PermissionDenied):
            acceptance.accept_complaint(desk.handler_a1, registered)
        with pytest.raises(NotFound):
            acceptance.accept_complaint(desk.cp_b, registered)
        assert registered.status == Status.REGISTERED

    def test_a_stale_version_is_refused(self, desk, registered):
        acceptance.accept_complaint(desk.cp, registered, expected_version=registered.version)
        with pytest.raises(Conflict):
            acceptance.accept_complaint(desk.cp, registered, expected_version=registered.version)

    def test_accepting_twice_is_a_state_error(self, desk, registered):
        acceptance.accept_complaint(desk.cp, registered)
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, registered)
        assert failure.value.code == "invalid_state"


class TestNonAcceptance:
    def test_customer_is_told_with_the_reason(self, desk, registered):
        reason = NonAcceptanceReason.objects.get(code="decided_elsewhere")
        text = acceptance.non_acceptance_notice(registered, reason)
        assert registered.tracking_number in text and reason.name in text
        complaint = acceptance.refuse_complaint(desk.cp, registered, reason=reason, notice_channel="sms",
                                                notice_text=text)
        assert complaint.status == Status.NOT_ACCEPTED and complaint.non_acceptance_reason == reason
        notice = CustomerNotice.objects.get(complaint=complaint)
        assert (notice.kind, notice.channel, notice.text, notice.sent_by) == ("non_acceptance", "sms", text, desk.cp)

    @pytest.mark.parametrize("changes, field", [
        ({"reason": None}, "reason"),
        ({"notice_channel": "pigeon"}, "notice_channel"),
        ({"notice_text": " "}, "notice_text"),
        ({"notice_channel": "email"}, "notice_channel"),
    ])
    def test_incomplete_refusal_changes_nothing(self, desk, registered, changes, field):
        values = {"reason": NonAcceptanceReason.objects.first(), "notice_channel": "letter", "notice_text": "通知",
                  **changes}
        with pytest.raises(ValidationFailed) as failure:
            acceptance.refuse_complaint(desk.cp, registered, **values)
        assert failure.value.field == field
        registered.refresh_from_db()
        assert registered.status == Status.REGISTERED and not CustomerNotice.objects.exists()


class TestMergeAndWithdraw:
    def test_duplicate_merged_both_kept_and_linked(self, desk, registration, registered):
        duplicate = register_complaint(desk.agent, registration())
        merged = acceptance.merge_complaint(desk.cp, duplicate, registered, "同一事项重复来电")
        assert merged.status == Status.MERGED and merged.merged_into == registered
        assert list(registered.merged.all()) == [merged]
        assert AuditEvent.objects.filter(action="complaint.merged_in", object_id=str(registered.pk)).exists()

    def test_cannot_merge_into_itself(self, desk, registered):
        with pytest.raises(ValidationFailed):
            acceptance.merge_complaint(desk.cp, registered, registered)

    def test_withdrawal_ends_the_complaint(self, desk, registered):
        complaint = acceptance.withdraw_complaint(desk.cp, registered, "客户来电撤诉")
        assert complaint.status == Status.WITHDRAWN
        with pytest.raises(ValidationFailed):
            acceptance.withdraw_complaint(desk.cp, complaint, "again")

    def test_withdrawal_needs_a_note(self, desk, registered):
        with pytest.raises(ValidationFailed) as failure:
            acceptance.withdraw_complaint(desk.cp, registered, "")
        assert failure.value.field == "note"


def test_refusal_by_email_is_sent_in_the_banks_language(desk, registration, mailoutbox, django_capture_on_commit_callbacks):
    complaint = register_complaint(desk.agent, registration(email="li@example.com"))
    reason = NonAcceptanceReason.objects.get(code="not_a_party")
    with django_capture_on_commit_callbacks(execute=True):
        acceptance.refuse_complaint(desk.cp, complaint, reason=reason, notice_channel="email",
                                    notice_text=acceptance.non_acceptance_notice(complaint, reason))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["li@example.com"]
    assert complaint.tracking_number in mailoutbox[0].body and "尊敬的" in mailoutbox[0].body
