"""Values of the right type that cannot be true: refused by the services (so the web, the API and the imports all
obey), with the field to fix, the limits being rule settings."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.complaints import state_machine
from bankdesk.complaints.decisions import approval
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import ClosureCode, Complaint, Decision
from bankdesk.complaints.tests.test_api import PAYLOAD
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed


def _register_fails(desk, registration, **changes) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as failure:
        register_complaint(desk.agent, registration(**changes))
    assert not Complaint.objects.exists()
    return failure.value


class TestReceivedAt:
    def test_a_complaint_received_in_1900_is_refused(self, desk, registration):
        failure = _register_fails(desk, registration, received_at=timezone.make_aware(datetime(1900, 1, 1, 9)))
        assert failure.field == "received_at" and "1825" in failure.message

    def test_how_far_back_is_a_rule_setting(self, desk, registration):
        register_complaint(desk.agent, registration(received_at=timezone.now() - timedelta(days=400)))
        rules.set_value(desk.bank.admin, "complaint.received_max_days_back", "365", "只补录一年内的投诉")
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.agent, registration(received_at=timezone.now() - timedelta(days=400)))
        assert failure.value.field == "received_at"

    def test_the_future_tolerance_is_a_rule_setting(self, desk, registration):
        failure = _register_fails(desk, registration, received_at=timezone.now() + timedelta(minutes=30))
        assert failure.field == "received_at"
        rules.set_value(desk.bank.admin, "complaint.received_future_tolerance_minutes", "60", "分行服务器时钟偏差")
        register_complaint(desk.agent, registration(received_at=timezone.now() + timedelta(minutes=30)))

    def test_a_time_without_time_zone_is_refused_by_the_service(self, desk, registration):
        failure = _register_fails(desk, registration, received_at=datetime(2026, 12, 1, 9, 30))
        assert failure.field == "received_at"

    def test_the_api_answers_with_the_field(self, desk, logged_in):
        client = logged_in(desk.agent)
        response = client.post("/api/complaints", {**PAYLOAD, "received_at": "1900-01-01T09:00:00+08:00"},
                               content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "received_at"
        assert "天之前" in response.json()["message"]
        assert not Complaint.objects.exists()

    def test_the_page_shows_a_field_error_and_keeps_the_form_filled(self, desk, registration, logged_in):
        data = registration()
        response = logged_in(desk.cp).post("/complaints/new/", {
            "phone": data.phone, "complainant_name": data.complainant_name, "channel": data.channel.pk,
            "business_category": data.business_category.pk, "cause": data.cause.pk, "unit": data.unit.pk,
            "description": data.description, "received_at": "1900-01-01T09:00"})
        assert response.status_code == 200 and "天之前" in str(response.context["form"].errors["received_at"])
        assert data.description in response.content.decode()
        assert not Complaint.objects.exists()


class TestGroupSize:
    def test_a_group_of_a_billion_people_is_refused(self, desk, registration):
        failure = _register_fails(desk, registration, is_group=True, group_size=10**9)
        assert failure.field == "group_size" and "10000" in failure.message

    def test_the_largest_group_is_a_rule_setting(self, desk, registration):
        register_complaint(desk.agent, registration(is_group=True, group_size=800))
        rules.set_value(desk.bank.admin, "complaint.group_max_size", "500", "群体投诉上限")
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.agent, registration(is_group=True, group_size=800, phone="13912345679"))
        assert failure.value.field == "group_size"

    def test_the_api_answers_with_the_field(self, desk, logged_in):
        response = logged_in(desk.agent).post("/api/complaints", {**PAYLOAD, "is_group": True, "group_size": 10**9},
                                              content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "group_size"
        assert not Complaint.objects.exists()


class TestCompensation:
    @pytest.fixture
    def bank_at_fault(self):
        return ClosureCode.objects.get(code="bank_at_fault")

    def _propose(self, desk, complaint, closure_code, amount):
        return approval.propose_decision(desk.handler_a1, complaint, finding="多收年费属实", closure_code=closure_code,
                                         basis="依据服务规范。", remedies=["apology", "compensation"], compensation_amount=amount)

    def test_an_amount_no_approver_can_approve_is_refused(self, desk, routed, bank_at_fault):
        complaint = routed()
        with pytest.raises(ValidationFailed) as failure:
            self._propose(desk, complaint, bank_at_fault, Decimal("1000000.01"))  # management approves 1,000,000
        assert failure.value.field == "compensation_amount" and "1000000" in failure.value.message
        assert not Decision.objects.exists()
        assert self._propose(desk, complaint, bank_at_fault, Decimal("1000000")).compensation_amount == 1000000

    def test_the_highest_limit_follows_the_rule_settings(self, desk, routed, bank_at_fault):
        complaint = routed()
        rules.set_value(desk.bank.admin, "approval.management_limit_yuan", "20000", "授权调整")
        rules.set_value(desk.bank.admin, "approval.consumer_protection_limit_yuan", "30000", "授权调整")
        assert state_machine.highest_approval_limit() == Decimal("30000")
        with pytest.raises(ValidationFailed) as failure:
            self._propose(desk, complaint, bank_at_fault, Decimal("30000.50"))
        assert failure.value.field == "compensation_amount"
