"""The customer's side (issue 17 item 11): the decision's due date on the receipt and the tracking page, the stages
with their dates, the decision in the customer's words with the letter to download, the review (核查) asked for
within the allowed time, attachments on the public form, the public form's limits per phone and per address."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.complaints.decisions import approval, callback, communication, customer_review
from bankdesk.complaints.handling import clocks
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import BusinessCategory, ClockKind, ClosureCode, Complaint, ReviewRequest, Status
from bankdesk.complaints.tests.conftest import local
from bankdesk.complaints.web import tracking
from bankdesk.core import rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification

PHONE = "13912345678"  # the registration fixture's


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def answered(desk, routed):
    """A complaint whose decision (fee refund and compensation) was sent to the customer by SMS with the letter."""
    def make(at=None):
        complaint = routed(at)
        bank_at_fault = ClosureCode.objects.get(code="bank_at_fault")
        approval.propose_decision(desk.handler_a1, complaint, finding="多收手续费属实", basis="收费须事先告知",
                                  closure_code=bank_at_fault, remedies=["apology", "fee_refund", "compensation"],
                                  fee_refund_amount=Decimal("25"), compensation_amount=Decimal("100"))
        approval.approve_decision(desk.head_a, complaint)
        communication.communicate_decision(desk.handler_a1, complaint, channel="sms", text="您的投诉已处理完毕。")
        complaint.refresh_from_db()
        return complaint

    return make


def _public_data(desk, **changes):
    return {"complainant_name": "陈女士", "phone": "13712345678", "unit": desk.bank.outlet_a.pk,
            "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
            "description": "网点只开一个窗口，排队两小时。", **changes}


def _track(client, complaint, phone=PHONE):
    return client.post("/track/", {"tracking_number": complaint.tracking_number, "phone": phone})


class TestDecisionDue:
    def test_the_receipt_states_the_statutory_decision_date(self, desk, client):
        with time_machine.travel(local(2025, 9, 26, 10, 0), tick=False):
            assert client.post("/track/new/", _public_data(desk)).status_code == 302
            page = client.get("/track/receipt/").content.decode()
        assert "We will tell you our decision by 2025-10-11 at the latest." in page  # 15 days from receipt

    def test_the_tracking_page_states_it_and_follows_an_extension(self, desk, routed, client):
        complaint = routed(local(2025, 9, 26, 10, 0))
        assert tracking.decision_due(complaint).isoformat() == "2025-10-11"
        page = _track(client, complaint).content.decode()
        assert "2025-10-11 at the latest" in page
        rules.set_value(desk.bank.admin, "complaint.decision_calendar_days", "10", "缩短")
        clocks.extend(complaint, ["decision"])
        assert tracking.decision_due(complaint).isoformat() == "2025-10-06"


class TestTrackingPage:
    def test_stages_with_dates_the_decision_and_the_letter(self, desk, answered, client):
        complaint = answered()
        response = _track(client, complaint)
        page = response.content.decode()
        result = response.context["result"]
        assert [stage.label for stage in result.stages] == ["Received", "Accepted", "Being handled", "Answered",
                                                             "Closed"]
        assert all(stage.at for stage in result.stages[:4]) and result.stages[4].at is None
        assert result.decision_due is None  # answered: no date to wait for
        bank_at_fault = ClosureCode.objects.get(code="bank_at_fault")
        assert bank_at_fault.customer_text in page and bank_at_fault.name not in page and "bank_at_fault" not in page
        assert "¥25.00" in page and "¥100.00" in page
        letter = client.get("/track/letter/")
        assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
        with default_storage.open(complaint.decisions.get().letter, "rb") as sent:
            assert letter.content == sent.read()  # the letter as sent, not a new rendering

    def test_the_letter_needs_the_number_and_phone_first(self, desk, answered, client):
        complaint = answered()
        assert client.get("/track/letter/").status_code == 404
        _track(client, complaint, phone="13700000000")  # wrong phone: nothing opened
        assert client.get("/track/letter/").status_code == 404
        assert client.post("/track/review/", {"reason": "不同意"}).status_code == 302
        assert not ReviewRequest.objects.exists()

    def test_no_letter_before_the_answer(self, desk, routed, client):
        complaint = routed()
        page = _track(client, complaint).content.decode()
        assert "Download the decision letter" not in page and "Ask for a review" not in page
        assert client.get("/track/letter/").status_code == 404


class TestReview:
    def test_asked_once_within_the_time_on_the_record_and_the_office_told(self, desk, answered, client):
        complaint = answered()
        page = _track(client, complaint).content.decode()
        last_day = (timezone.localdate(complaint.communicated_at) + timedelta(days=30)).isoformat()
        assert "Ask for a review" in page and last_day in page
        response = client.post("/track/review/", {"reason": "补偿金额太少。"}, follow=True)
        assert "Your request for a review is received" in response.content.decode()
        request = ReviewRequest.objects.get()
        assert (request.complaint, request.reason) == (complaint, "补偿金额太少。")
        event = AuditEvent.objects.get(action="complaint.customer_review_request")
        assert event.actor is None and event.after["note"] == "补偿金额太少。"
        assert Notification.objects.filter(kind="complaint.customer_review_request", recipient=desk.cp).exists()
        again = client.get("/track/").content.decode()
        assert "You asked for a review on" in again and 'action="/track/review/"' not in again
        assert client.post("/track/review/", {"reason": "再次"}).status_code == 400
        assert ReviewRequest.objects.count() == 1

    def test_the_request_goes_to_the_office_s_screening(self, desk, answered):
        complaint = answered()
        request = customer_review.request_review(complaint, "补偿金额太少。")
        complaint.refresh_from_db()
        assert complaint.status == Status.SCREENING and complaint.closed_at is None
        assert complaint.clocks.filter(kind=ClockKind.REVIEW, stopped_at__isnull=True).exists()
        with pytest.raises(PermissionDenied):  # the complaint post screens, not the handler
            callback.screen_dissatisfaction(complaint.handler, complaint, outcome="reopen", reason="x",
                                            reopen_kind="review")
        screening = callback.screen_dissatisfaction(desk.cp, complaint, outcome="reopen", reason="补偿标准需核查",
                                                    reopen_kind="review")
        assert screening.review_request == request and screening.callback is None
        complaint.refresh_from_db()
        assert complaint.status == Status.REOPENED and complaint.reopen_count == 1

    def test_a_closed_complaint_is_screened_and_may_be_closed_again_with_the_customer_told(self, desk, answered):
        complaint = answered()
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and customer_review.may_request_review(complaint)
        customer_review.request_review(complaint, "不同意")
        complaint.refresh_from_db()
        assert complaint.status == Status.SCREENING
        callback.screen_dissatisfaction(desk.cp, complaint, outcome="uphold", reason="已按规定处理",
                                        notice_channel="sms")
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.screenings.get().notice is not None
        assert not customer_review.may_request_review(complaint)  # once per answer

    def test_the_staff_page_shows_the_request(self, desk, answered, logged_in):
        complaint = answered()
        customer_review.request_review(complaint, "补偿金额太少。")
        page = logged_in(desk.cp).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "The customer asks for a review" in page and "补偿金额太少。" in page
        assert "Fee refund: ¥25.00" in page  # the proposal's amounts on the timeline

    def test_not_after_the_allowed_time_a_rule_setting(self, desk, answered):
        complaint = answered()
        rules.set_value(desk.bank.admin, "complaint.customer_review_calendar_days", "5", "核查期限")
        last = timezone.localdate(complaint.communicated_at) + timedelta(days=5)
        with time_machine.travel(local(last.year, last.month, last.day, 23, 59), tick=False):
            assert customer_review.may_request_review(complaint)
        with time_machine.travel(local(last.year, last.month, last.day, 23, 59) + timedelta(minutes=1), tick=False):
            assert not customer_review.may_request_review(complaint)
            with pytest.raises(ValidationFailed) as failure:
                customer_review.request_review(complaint, "不同意")
            assert failure.value.code == "invalid_state"
        assert not ReviewRequest.objects.exists()

    def test_an_empty_reason_keeps_the_page(self, desk, answered, client):
        complaint = answered()
        _track(client, complaint)
        response = client.post("/track/review/", {"reason": "  "})
        assert response.status_code == 400 and response.context["review_form"].errors
        assert not ReviewRequest.objects.exists()

    def test_the_on_the_spot_answer_is_shown(self, desk, registration, client):
        complaint = register_complaint(desk.agent, registration(resolved_on_the_spot=True,
                                                                on_the_spot_answer="已当场解释叫号规则。"))
        result = _track(client, complaint).context["result"]
        assert result.on_the_spot_answer == "已当场解释叫号规则。" and result.review_until is not None
        assert "Being handled" not in [stage.label for stage in result.stages]


class TestPublicForm:
    def test_attachments_are_stored_with_the_staff_uploads_checks(self, desk, client):
        upload = SimpleUploadedFile("收据.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
        assert client.post("/track/new/", {**_public_data(desk), "attachments": [upload]}).status_code == 302
        attachment = Complaint.objects.get().attachments.get()
        assert attachment.original_name == "收据.pdf" and attachment.uploaded_by is None
        page = client.get("/track/new/").content.decode()
        assert 'enctype="multipart/form-data"' in page and "data-max-bytes" in page

    def test_a_refused_file_type_keeps_the_form(self, desk, client):
        upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
        response = client.post("/track/new/", {**_public_data(desk, description="我写的内容"), "attachments": [upload]})
        assert response.status_code == 200 and response.context["form"].errors["attachments"]
        assert "我写的内容" in response.content.decode() and not Complaint.objects.exists()

    def test_the_virus_scan_hook_refuses_an_infected_file(self, desk, client, settings):
        settings.ATTACHMENT_SCANNER = "bankdesk.complaints.tests.test_customer_side.infected"
        upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff\xe0 photo", content_type="image/jpeg")
        response = client.post("/track/new/", {**_public_data(desk), "attachments": [upload]})
        assert response.status_code == 200 and "virus scan" in str(response.context["form"].errors["attachments"])
        assert not Complaint.objects.exists()

    def test_the_limit_counts_per_phone_across_addresses(self, desk, client):
        rules.set_value(desk.bank.admin, "complaint.public_form_per_phone_per_hour", "2", "测试")
        for number in range(2):
            assert client.post("/track/new/", _public_data(desk), REMOTE_ADDR=f"10.0.0.{number}").status_code == 302
        response = client.post("/track/new/", _public_data(desk, description="第三次"), REMOTE_ADDR="10.0.0.9")
        page = response.content.decode()
        assert response.status_code == 429 and "this phone number" in page
        assert "第三次" in page and settings.BANKDESK_HOTLINE in page  # kept as typed, the hotline shown
        assert Complaint.objects.count() == 2
        other = client.post("/track/new/", _public_data(desk, phone="13700000009"), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 302  # another customer at that address

    def test_the_hotline_is_on_the_form(self, desk, client):
        assert settings.BANKDESK_HOTLINE in client.get("/track/new/").content.decode()


class TestPublicApi:
    def test_status_letter_and_review(self, desk, answered, client):
        complaint = answered()
        body = {"tracking_number": complaint.tracking_number, "phone": PHONE}
        status = client.post("/api/public/complaints/status", body, content_type="application/json").json()
        assert [stage["label"] for stage in status["stages"]][0] == "Received"
        assert status["decision"]["fee_refund_amount"] == "25.00" and status["review_until"]
        assert status["decision"]["conclusion"] == ClosureCode.objects.get(code="bank_at_fault").customer_text
        letter = client.post("/api/public/complaints/letter", body, content_type="application/json")
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
        review = client.post("/api/public/complaints/review", {**body, "reason": "不同意"},
                             content_type="application/json")
        assert review.status_code == 201 and review.json()["review_requested_at"]
        wrong = client.post("/api/public/complaints/letter", {**body, "phone": "13700000000"},
                            content_type="application/json")
        assert wrong.status_code == 404

    def test_the_api_limit_counts_per_phone(self, desk, client):
        rules.set_value(desk.bank.admin, "complaint.public_form_per_phone_per_hour", "1", "测试")
        payload = {"complainant_name": "陈", "phone": "13712345678", "unit": desk.bank.outlet_a.code,
                   "business_category": "counter_waiting", "description": "排队太久"}
        first = client.post("/api/public/complaints", payload, content_type="application/json", REMOTE_ADDR="10.1.0.1")
        again = client.post("/api/public/complaints", payload, content_type="application/json", REMOTE_ADDR="10.1.0.2")
        assert (first.status_code, again.status_code) == (201, 429)
        assert Complaint.objects.filter(status=Status.REGISTERED).count() == 1


def infected(content: bytes) -> str:
    return "infected"
