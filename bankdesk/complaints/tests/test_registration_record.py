"""The 登记表's own fields (issue 17 item 7): time and place of the incident, the postal address (encrypted), and
the complaint resolved on the spot (当场办结) that still gets its callback; a letter only with an address."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bankdesk.complaints.decisions import callback
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    Channel,
    ClockKind,
    ClockState,
    Complaint,
    ContactChannel,
    CustomerContact,
    NonAcceptanceReason,
    Status,
)
from bankdesk.complaints.review import acceptance
from bankdesk.complaints.web.step_panel import step_form
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent

ANSWER = "已当场向客户解释排队叫号规则，并为客户优先办理业务，客户表示理解。"


def test_incident_and_postal_address_are_on_the_record_the_address_encrypted(desk, registration):
    received = timezone.now() - timedelta(minutes=5)
    complaint = register_complaint(desk.agent, registration(
        received_at=received, incident_at=received - timedelta(days=2), incident_place=" 人民路网点 3 号窗口 ",
        postal_address="北京市东城区人民路 8 号 2 单元"))
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.incident_at == received - timedelta(days=2) and stored.incident_place == "人民路网点 3 号窗口"
    assert stored.postal_address == "北京市东城区人民路 8 号 2 单元"
    with connection.cursor() as cursor:
        cursor.execute("SELECT postal_address FROM complaints_complaint WHERE id = %s", [complaint.pk])
        assert "人民路" not in cursor.fetchone()[0]


@pytest.mark.parametrize("changes, field", [
    ({"incident_at": timezone.now() + timedelta(days=1)}, "incident_at"),
    ({"incident_at": timezone.now().replace(tzinfo=None)}, "incident_at"),
    ({"incident_place": "网" * 201}, "incident_place"),
    ({"postal_address": "址" * 301}, "postal_address"),
])
def test_bad_incident_or_address_names_the_field(desk, registration, changes, field):
    with pytest.raises(ValidationFailed) as failure:
        register_complaint(desk.agent, registration(**changes))
    assert failure.value.field == field
    assert not Complaint.objects.exists()


class TestResolvedOnTheSpot:
    def test_answered_at_once_and_waits_for_the_callback(self, desk, registration):
        complaint = register_complaint(desk.teller, registration(
            channel=Channel.objects.get(code="outlet"), resolved_on_the_spot=True, on_the_spot_answer=ANSWER))
        assert complaint.status == Status.COMMUNICATED and complaint.resolved_on_the_spot
        assert complaint.accepted_at and complaint.communicated_at and complaint.reviewed_by == desk.teller
        clocks = {clock.kind: clock for clock in complaint.clocks.all()}
        assert clocks[ClockKind.ACCEPTANCE].state == clocks[ClockKind.DECISION].state == ClockState.STOPPED
        assert clocks[ClockKind.DECISION].met and clocks[ClockKind.CALLBACK].state == ClockState.RUNNING
        assert complaint.current_deadline == clocks[ClockKind.CALLBACK].due_at
        contact = CustomerContact.objects.get(complaint=complaint)
        assert (contact.channel, contact.summary, contact.staff) == (ContactChannel.IN_PERSON, ANSWER, desk.teller)
        event = AuditEvent.objects.get(action="complaint.resolve_on_the_spot", object_id=str(complaint.pk))
        assert event.after["note"] == ANSWER and event.after["status"] == Status.COMMUNICATED

        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED

    def test_on_the_phone_the_answer_is_a_call(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(resolved_on_the_spot=True, on_the_spot_answer=ANSWER))
        assert complaint.contacts.get().channel == ContactChannel.CALL

    @pytest.mark.parametrize("changes, field", [
        ({"on_the_spot_answer": "  "}, "on_the_spot_answer"),
        ({"is_group": True, "group_size": 5}, "resolved_on_the_spot"),
        ({"description": "客户称要向记者曝光此事。"}, "resolved_on_the_spot"),  # a keyword makes it major
        ({"channel": "nfra", "external_reference": "R-1"}, "resolved_on_the_spot"),
        ({"channel": "letter"}, "resolved_on_the_spot"),
    ])
    def test_only_a_minor_single_customers_complaint_to_staff(self, desk, registration, changes, field):
        if "channel" in changes:
            changes = {**changes, "channel": Channel.objects.get(code=changes["channel"])}
        if "external_reference" in changes:
            changes["external_deadline"] = timezone.now() + timedelta(days=10)
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.cp, registration(**{"resolved_on_the_spot": True, "on_the_spot_answer": ANSWER,
                                                        **changes}))
        assert failure.value.field == field
        assert not Complaint.objects.exists()  # refused whole: nothing registered

    def test_the_public_form_cannot_resolve_on_the_spot(self, desk, registration):
        with pytest.raises((ValidationFailed, PermissionDenied)):
            register_complaint(None, registration(channel=Channel.objects.get(code="web"), resolved_on_the_spot=True,
                                                  on_the_spot_answer=ANSWER))
        assert not Complaint.objects.exists()


class TestLetterNeedsAnAddress:
    def test_the_letter_is_offered_only_with_an_address(self, desk, registration):
        with_address = register_complaint(desk.agent, registration())
        without = register_complaint(desk.agent, registration(phone="13900000001", postal_address=""))
        offered = dict(step_form("refuse", with_address).fields["notice_channel"].choices)
        assert "letter" in offered and "sms" in offered
        assert "letter" not in dict(step_form("refuse", without).fields["notice_channel"].choices)
        assert "letter" not in dict(step_form("contact", without).fields["channel"].choices)

    def test_the_service_refuses_a_letter_without_an_address(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(postal_address=""))
        with pytest.raises(ValidationFailed) as failure:
            acceptance.refuse_complaint(desk.cp, complaint, reason=NonAcceptanceReason.objects.first(),
                                        notice_channel="letter", notice_text="通知")
        assert failure.value.field == "notice_channel"
        complaint.refresh_from_db()
        assert complaint.status == Status.REGISTERED


class TestPages:
    @pytest.fixture(autouse=True)
    def _english(self, settings):
        settings.LANGUAGE_CODE = "en"

    def _form(self, desk, **changes):
        from bankdesk.complaints.models import BusinessCategory, Cause
        return {"phone": "13912345678", "complainant_name": "王先生", "channel": Channel.objects.get(code="outlet").pk,
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
                "cause": Cause.objects.get(code="attitude").pk, "unit": desk.bank.outlet_a.pk,
                "description": "排队太久，柜员态度冷淡。", **changes}

    def test_the_staff_form_records_incident_address_and_on_the_spot(self, desk, logged_in):
        client = logged_in(desk.cp)
        incident = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        response = client.post("/complaints/new/", self._form(
            desk, incident_at=incident, incident_place="3 号窗口", postal_address="北京市东城区人民路 8 号",
            resolved_on_the_spot="on", on_the_spot_answer=ANSWER))
        complaint = Complaint.objects.get()
        assert response.status_code == 302 and complaint.status == Status.COMMUNICATED
        assert complaint.incident_place == "3 号窗口" and complaint.postal_address == "北京市东城区人民路 8 号"
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "Resolved on the spot" in page and "北京市东城区****" in page and "人民路 8 号" not in page
        assert "3 号窗口" in page and ANSWER in page
        revealed = client.post(f"/complaints/{complaint.pk}/reveal/postal_address/").content.decode()
        assert "北京市东城区人民路 8 号" in revealed
        assert AuditEvent.objects.filter(action="pii.reveal", after__field="postal_address").exists()

    def test_an_on_the_spot_answer_missing_keeps_the_form(self, desk, logged_in):
        response = logged_in(desk.teller).post("/complaints/new/", self._form(desk, resolved_on_the_spot="on"))
        assert response.status_code == 200 and response.context["form"].errors["on_the_spot_answer"]
        assert "<details class=\"reg-extra\" open>" in response.content.decode() and not Complaint.objects.exists()

    def test_the_public_form_takes_incident_and_address(self, desk, client):
        from bankdesk.complaints.models import BusinessCategory
        response = client.post("/track/new/", {
            "complainant_name": "陈女士", "phone": "13712345678", "unit": desk.bank.outlet_a.pk,
            "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
            "description": "网点只开一个窗口。", "incident_place": "人民路网点", "postal_address": "上海市黄浦区某路 1 号",
            "incident_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.incident_place == "人民路网点" and complaint.postal_address == "上海市黄浦区某路 1 号"
        assert complaint.incident_at is not None and not complaint.resolved_on_the_spot
