"""The complaint web pages: who may open them, what they show and change, and that they stay thin and fast."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ChannelKind,
    Clock,
    ClockKind,
    Complaint,
    CustomerNotice,
    GroupRepresentative,
    NonAcceptanceReason,
    Status,
)
from bankdesk.complaints.review import acceptance
from bankdesk.core import rules
from bankdesk.core.models import AuditEvent
from bankdesk.orgs.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English msgids, whatever the translators have done to the default language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def make(desk, registration):
    def register(actor=None, **changes):
        return register_complaint(actor or desk.agent, registration(**changes))

    return register


def _form(desk, **changes):
    values = {
        "phone": "13912345678", "complainant_name": "王先生", "channel": Channel.objects.get(code="hotline").pk,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "business_category": BusinessCategory.objects.get(code="card_fees").pk,
        "cause": Cause.objects.get(code="pricing").pk, "unit": desk.bank.outlet_a.pk,
        "description": "信用卡年费未经告知即被收取。", "demand": "退还年费",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


class TestAccess:
    @pytest.mark.parametrize("url, allowed, refused", [
        ("/complaints/new/", "agent", "auditor"),
        ("/complaints/queue/", "cp", "handler_a1"),
        ("/complaints/", "handler_a1", "teller"),
        ("/complaints/export.csv", "auditor", "teller"),
    ])
    def test_page_opens_for_the_right_role_only(self, desk, logged_in, url, allowed, refused, bank):
        desk.auditor = bank.user("auditor", Role.AUDITOR, bank.root)
        assert logged_in(getattr(desk, allowed)).get(url).status_code == 200
        assert logged_in(getattr(desk, refused)).get(url).status_code == 403

    @pytest.mark.parametrize("url", ["/complaints/new/", "/complaints/queue/", "/complaints/", "/complaints/1/"])
    def test_anonymous_users_sign_in_first(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_another_branch_finds_nothing(self, desk, logged_in, make):
        complaint = make()
        for user in (desk.cp_b, desk.handler_b):
            client = logged_in(user)
            assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
            assert complaint.tracking_number not in client.get("/complaints/").content.decode()
            assert complaint.tracking_number not in b"".join(
                client.get("/complaints/export.csv").streaming_content).decode("utf-8-sig")
        assert complaint.tracking_number not in logged_in(desk.cp_b).get("/complaints/queue/").content.decode()
        assert logged_in(desk.cp_b).post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}).status_code == 404
        assert Complaint.objects.get(pk=complaint.pk).status == Status.REGISTERED

    def test_the_default_chinese_page_renders(self, desk, logged_in, settings):
        settings.LANGUAGE_CODE = "zh-hans"
        assert logged_in(desk.agent).get("/complaints/new/").status_code == 200


class TestRegister:
    def test_form_is_ready_for_a_call(self, desk, logged_in):
        page = logged_in(desk.agent).get("/complaints/new/").content.decode()
        phone_input = page[page.index('name="phone"') - 200:page.index('name="phone"') + 400]
        assert "autofocus" in phone_input and 'hx-post="/complaints/lookup/"' in phone_input
        assert page.index('name="phone"') < page.index('name="complainant_name"') < page.index('name="channel"')
        assert '<optgroup label="Credit card">' in page or '<optgroup label="信用卡">' in page
        assert 'type="datetime-local"' in page and 'name="representative_5_name"' in page
        assert 'name="representative_6_name"' not in page
        assert "12378" not in page and 'name="external_reference"' not in page  # regulator channels: reviewers only
        assert 'multiple' in page[page.index('name="attachments"') - 100:page.index('name="attachments"') + 100]

    def test_reviewers_may_register_regulator_transfers(self, desk, logged_in):
        page = logged_in(desk.cp).get("/complaints/new/").content.decode()
        assert 'name="external_reference"' in page and "12378" in page

    def test_registers_with_an_attachment_end_to_end(self, desk, logged_in):
        client = logged_in(desk.cp)
        uploads = [SimpleUploadedFile("收据.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
                   SimpleUploadedFile("录音.mp3", b"ID3 recording", content_type="audio/mpeg")]
        response = client.post("/complaints/new/", {**_form(desk), "attachments": uploads})
        complaint = Complaint.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
        assert complaint.registered_by == desk.cp and complaint.phone == "13912345678"
        assert complaint.attachments.count() == 2
        page = client.get(response["Location"]).content.decode()
        assert complaint.tracking_number in page and "Tracking number" in page
        assert "139****5678" in page and "13912345678" not in page and "收据.pdf" in page
        attachment = complaint.attachments.get(original_name="收据.pdf")
        download = client.get(f"/complaints/{complaint.pk}/attachments/{attachment.pk}/")
        assert b"".join(download.streaming_content) == b"%PDF-1.4 receipt"

    def test_agent_goes_back_to_an_empty_form_with_the_tracking_number(self, desk, logged_in):
        client = logged_in(desk.agent)
        response = client.post("/complaints/new/", _form(desk), follow=True)
        complaint = Complaint.objects.get()
        assert response.redirect_chain == [("/complaints/new/", 302)] and complaint.registered_by == desk.agent
        page = response.content.decode()
        assert complaint.tracking_number in page and 'value="13912345678"' not in page

    def test_a_file_type_not_accepted_is_an_error_at_the_attachments(self, desk, logged_in):
        upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
        response = logged_in(desk.agent).post("/complaints/new/", {**_form(desk), "attachments": [upload]})
        assert response.context["form"].errors["attachments"] and not Complaint.objects.exists()

    def test_bad_phone_shows_the_form_again_and_saves_nothing(self, desk, logged_in):
        response = logged_in(desk.agent).post("/complaints/new/", _form(desk, phone="12345", complainant_name="赵女士"))
        assert response.status_code == 200 and not Complaint.objects.exists()
        form = response.context["form"]
        assert form.errors["phone"] and 'value="12345"' in response.content.decode()
        assert 'value="赵女士"' in response.content.decode()

    def test_group_complaint_with_representatives(self, desk, logged_in):
        data = _form(desk, is_group="on", group_size=30, representative_1_name="甲",
                     representative_1_phone="13700000001", representative_2_name="乙")
        response = logged_in(desk.agent).post("/complaints/new/", data)
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.is_group and complaint.group_size == 30 and complaint.severity == 3
        assert sorted(GroupRepresentative.objects.values_list("name", flat=True)) == ["乙", "甲"]

    def test_representative_without_a_name_is_an_error_at_that_row(self, desk, logged_in):
        data = _form(desk, is_group="on", representative_1_name="甲", representative_3_phone="13700000003")
        response = logged_in(desk.agent).post("/complaints/new/", data)
        assert response.context["form"].errors["representative_3_name"] and not Complaint.objects.exists()

    def test_agent_cannot_pick_a_regulator_channel(self, desk, logged_in):
        nfra = Channel.objects.get(code="nfra").pk
        response = logged_in(desk.agent).post("/complaints/new/", _form(desk, channel=nfra))
        assert response.context["form"].errors["channel"] and not Complaint.objects.exists()

    def test_regulator_transfer_needs_its_reference(self, desk, logged_in):
        client = logged_in(desk.cp)
        response = client.post("/complaints/new/", _form(desk, channel=Channel.objects.get(code="nfra").pk))
        assert response.context["form"].errors["external_reference"]
        deadline = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
        response = client.post("/complaints/new/", _form(desk, channel=Channel.objects.get(code="nfra").pk,
                                                         external_reference="NFRA-2026-7", external_deadline=deadline))
        assert response.status_code == 302 and Complaint.objects.get().external_reference == "NFRA-2026-7"

    def test_phone_lookup_shows_history_and_flags_duplicates(self, desk, logged_in, make):
        earlier = make()
        client = logged_in(desk.agent)
        same = client.post("/complaints/lookup/", {"phone": "139 1234 5678",
                                                   "business_category": earlier.business_category_id})
        assert earlier.tracking_number in same.content.decode() and "Possible duplicate" in same.content.decode()
        card_fees = BusinessCategory.objects.get(code="card_fees").pk
        other = client.post("/complaints/lookup/", {"phone": "13912345678", "business_category": card_fees})
        assert earlier.tracking_number in other.content.decode() and "Possible duplicate" not in other.content.decode()
        stranger = client.post("/complaints/lookup/", {"phone": "13800000000"})
        assert earlier.tracking_number not in stranger.content.decode()

    def test_phone_lookup_is_a_post_for_registrars_only(self, desk, logged_in, bank, make):
        """The phone travels in the body: a GET with it in the URL (and so in access logs) is refused."""
        earlier = make()
        assert logged_in(desk.agent).get("/complaints/lookup/", {"phone": "13912345678"}).status_code == 405
        assert earlier.tracking_number in logged_in(desk.teller).post(
            "/complaints/lookup/", {"phone": "13912345678"}).content.decode()
        auditor = bank.user("auditor", Role.AUDITOR, bank.root)
        assert logged_in(auditor).post("/complaints/lookup/", {"phone": "13912345678"}).status_code == 403


class TestLists:
    def _queries(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("url", ["/complaints/", "/complaints/queue/", "/complaints/export.csv"])
    def test_queries_do_not_grow_with_rows(self, desk, logged_in, make, url, django_assert_max_num_queries):
        client = logged_in(desk.cp)
        for index in range(3):
            make(phone=f"1391234{index:04d}")
        few = self._queries(client, url)
        for index in range(3, 30):
            make(phone=f"1391234{index:04d}")
        with django_assert_max_num_queries(few):
            response = client.get(url)
            if url.endswith(".csv"):
                assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 31
            else:
                assert response.content.decode().count("/complaints/") > 30

    def test_list_masks_phones_and_filters(self, desk, logged_in, make):
        card_fees = BusinessCategory.objects.get(code="card_fees")
        first, second = make(), make(phone="13800001111", business_category=card_fees)
        client = logged_in(desk.cp)
        page = client.get("/complaints/").content.decode()
        assert "139****5678" in page and "13912345678" not in page and "2 records" in page
        found = client.get("/complaints/", {"search": "13800001111"}).content.decode()
        assert second.tracking_number in found and first.tracking_number not in found
        found = client.get("/complaints/", {"business_category": BusinessCategory.objects.get(code="credit_card").pk})
        assert second.tracking_number in found.content.decode() and first.tracking_number not in found.content.decode()
        sorted_page = client.get("/complaints/", {"sort": "tracking_number"}).content.decode()
        assert sorted_page.index(first.tracking_number) < sorted_page.index(second.tracking_number)

    def test_queue_shows_time_left_and_overdue_in_red(self, desk, logged_in, make):
        waiting, late = make(), make(phone="13800001111")
        Clock.objects.filter(complaint=late, kind=ClockKind.ACCEPTANCE).update(due_at=timezone.now() - timedelta(hours=3))
        page = logged_in(desk.cp).get("/complaints/queue/").content.decode()
        assert "overdue by 3" in page and 'class="late"' in page and " left" in page
        assert page.index(late.tracking_number) < page.index(waiting.tracking_number)  # the most urgent first
        overdue_only = logged_in(desk.cp).get("/complaints/queue/", {"overdue": "on"}).content.decode()
        assert late.tracking_number in overdue_only and waiting.tracking_number not in overdue_only

    def test_export_csv(self, desk, logged_in, make):
        complaint = make(complainant_name="=HYPERLINK(1)")
        response = logged_in(desk.cp).get("/complaints/export.csv")
        assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
        raw = b"".join(response.streaming_content)
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][0] == "Tracking number" and len(rows) == 2
        row = dict(zip(rows[0], rows[1]))
        assert row["Tracking number"] == complaint.tracking_number and row["Phone"] == "139****5678"
        assert row["Unit concerned"] == "人民路网点" and row["Business category"] == "柜面服务 / 排队与等候"
        assert row["Complainant"] == "'=HYPERLINK(1)"  # no formulas reach Excel
        assert "13912345678" not in raw.decode("utf-8-sig")

    def test_export_follows_the_filter(self, desk, logged_in, make):
        make()
        other = make(phone="13800001111")
        response = logged_in(desk.cp).get("/complaints/export.csv", {"search": other.tracking_number})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert len(text.splitlines()) == 2 and other.tracking_number in text


@pytest.fixture
def complaint(make):
    return make()


def _status(complaint) -> str:
    return Complaint.objects.get(pk=complaint.pk).status


class TestComplaintPage:
    def test_record_timeline_and_actions(self, desk, logged_in, complaint):
        page = logged_in(desk.cp).get(f"/complaints/{complaint.pk}/").content.decode()
        assert complaint.tracking_number in page and "139****5678" in page and "13912345678" not in page
        assert "Registered" in page and "complaint.register" not in page  # readable action names
        assert 'hx-post="/complaints/%d/steps/accept/"' % complaint.pk in page and 'name="version" value="1"' in page
        assert "Show in full (recorded)" in page

    def test_read_only_roles_see_no_review_steps(self, desk, logged_in, complaint, bank):
        auditor = bank.user("auditor", Role.AUDITOR, bank.root)
        page = logged_in(auditor).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "/steps/accept/" not in page and "Show in full" not in page
        assert logged_in(auditor).post(f"/complaints/{complaint.pk}/reveal/phone/").status_code == 403

    def test_reveal_phone_is_recorded(self, desk, logged_in, complaint):
        response = logged_in(desk.cp).post(f"/complaints/{complaint.pk}/reveal/phone/", **HTMX)
        assert "13912345678" in response.content.decode()
        assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(complaint.pk)).exists()
        assert logged_in(desk.cp).post(f"/complaints/{complaint.pk}/reveal/description/").status_code == 404

    def test_possible_duplicates_are_linked(self, desk, logged_in, make):
        first, second = make(), make()
        page = logged_in(desk.cp).get(f"/complaints/{second.pk}/").content.decode()
        assert "Possible duplicate" in page and f"/complaints/{first.pk}/" in page


class TestReview:
    def test_accept_swaps_the_panel_and_routes(self, desk, logged_in, complaint):
        response = logged_in(desk.cp).post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}, **HTMX)
        assert response.status_code == 200 and _status(complaint) == Status.ROUTED
        body = response.content.decode()
        assert '<section id="actions"' in body and 'id="record" hx-swap-oob="true"' in body
        assert "The complaint is accepted." in body and "Routed" in body and "东城分行" in body

    def test_without_htmx_the_page_redirects(self, desk, logged_in, complaint):
        response = logged_in(desk.cp).post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1})
        assert response.status_code == 302 and _status(complaint) == Status.ROUTED

    def test_stale_version_shows_a_conflict(self, desk, logged_in, complaint):
        acceptance.withdraw_complaint(desk.cp, complaint, "客户来电撤诉")
        response = logged_in(desk.cp).post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}, **HTMX)
        assert response.status_code == 200 and "Someone else changed this complaint" in response.content.decode()
        assert "Reload the complaint" in response.content.decode() and _status(complaint) == Status.WITHDRAWN

    def test_refuse_with_the_prefilled_notice(self, desk, logged_in, complaint):
        client = logged_in(desk.cp)
        reason = NonAcceptanceReason.objects.get(code="not_our_business")
        notice = client.get(f"/complaints/{complaint.pk}/refusal-notice/", {"reason": reason.pk}, **HTMX)
        text = notice.content.decode()
        assert complaint.tracking_number in text and reason.name in text and 'name="notice_text"' in text
        response = client.post(f"/complaints/{complaint.pk}/steps/refuse/", {
            "version": 1, "reason": reason.pk, "notice_channel": "sms", "notice_text": "李女士您好，您的投诉不属于本行业务。"},
            **HTMX)
        assert response.status_code == 200 and _status(complaint) == Status.NOT_ACCEPTED
        assert CustomerNotice.objects.get(complaint=complaint).text == "李女士您好，您的投诉不属于本行业务。"

    def test_refuse_errors_stay_in_the_form(self, desk, logged_in, complaint):
        response = logged_in(desk.cp).post(f"/complaints/{complaint.pk}/steps/refuse/", {
            "version": 1, "reason": NonAcceptanceReason.objects.get(code="other").pk, "notice_channel": "email",
            "notice_text": "您好"}, **HTMX)
        body = response.content.decode()
        assert "no e-mail address" in body and "more-step\" open>" in body and _status(complaint) == Status.REGISTERED

    def test_merge_into_an_earlier_complaint(self, desk, logged_in, make):
        earlier, later = make(), make()
        client = logged_in(desk.cp)
        response = client.post(f"/complaints/{later.pk}/steps/merge/", {"version": 1, "into": "TS-NOPE"}, **HTMX)
        assert "No complaint with this tracking number" in response.content.decode()
        response = client.post(f"/complaints/{later.pk}/steps/merge/",
                               {"version": 1, "into": earlier.tracking_number.lower(), "note": "同一事项"}, **HTMX)
        assert response.status_code == 200 and _status(later) == Status.MERGED
        assert Complaint.objects.get(pk=later.pk).merged_into == earlier
        assert f"/complaints/{later.pk}/" in client.get(f"/complaints/{earlier.pk}/").content.decode()
        later_page = client.get(f"/complaints/{later.pk}/").content.decode()
        link = f'<a href="/complaints/{earlier.pk}/">{earlier.tracking_number}</a>'
        assert f"Merged into</dt><dd>{link}" in later_page
        assert later.is_repeat and f"Repeat of</dt><dd>{link}" in later_page

    def test_withdraw_by_the_handler_too(self, desk, logged_in, complaint):
        client = logged_in(desk.handler_a1)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "/steps/withdraw/" in page and "/steps/accept/" not in page
        assert client.post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}, **HTMX).status_code == 403
        response = client.post(f"/complaints/{complaint.pk}/steps/withdraw/", {"version": 1, "note": "客户来电撤诉"}, **HTMX)
        assert response.status_code == 200 and _status(complaint) == Status.WITHDRAWN

    def test_route_by_hand(self, desk, logged_in, complaint):
        client = logged_in(desk.cp)
        client.post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}, **HTMX)
        options = client.get(f"/complaints/{complaint.pk}/handlers/", {"lead_department": desk.card_department.pk})
        assert "handler_card" in options.content.decode() and "handler_a1" not in options.content.decode()
        version = Complaint.objects.get(pk=complaint.pk).version
        response = client.post(f"/complaints/{complaint.pk}/steps/route/", {
            "version": version, "lead_department": desk.card_department.pk,
            "assisting_departments": [desk.bank.branch_a.pk], "handler": desk.handler_card.pk}, **HTMX)
        assert response.status_code == 200, response.content.decode()
        routed = Complaint.objects.get(pk=complaint.pk)
        assert routed.lead_department == desk.card_department and routed.handler == desk.handler_card
        assert list(routed.assisting_departments.all()) == [desk.bank.branch_a]

    def test_route_to_an_ineligible_handler_is_a_field_error(self, desk, logged_in, complaint):
        client = logged_in(desk.cp)
        client.post(f"/complaints/{complaint.pk}/steps/accept/", {"version": 1}, **HTMX)
        response = client.post(f"/complaints/{complaint.pk}/steps/route/", {
            "version": 3, "lead_department": desk.card_department.pk, "handler": desk.handler_b.pk}, **HTMX)
        assert "is not a handler of" in response.content.decode()
        assert Complaint.objects.get(pk=complaint.pk).lead_department == desk.bank.branch_a


class TestPublic:
    def _data(self, desk, **changes):
        return {"complainant_name": "陈女士", "phone": "13712345678", "unit": desk.bank.outlet_a.pk,
                "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
                "description": "网点只开一个窗口，排队两小时。", "demand": "增加窗口", **changes}

    def test_customer_files_without_login(self, desk, client):
        page = client.get("/track/new/").content.decode()
        assert 'class="mainnav"' not in page and 'name="website"' in page
        response = client.post("/track/new/", self._data(desk))
        assert response.status_code == 302 and response["Location"] == "/track/receipt/"
        complaint = Complaint.objects.get()
        assert complaint.channel.kind == ChannelKind.PUBLIC and complaint.registered_by is None
        assert complaint.unit == desk.bank.outlet_a and complaint.cause.code == "other"
        assert complaint.tracking_number in client.get("/track/receipt/").content.decode()

    def test_bad_input_keeps_the_form(self, desk, client):
        response = client.post("/track/new/", self._data(desk, phone="999"))
        assert response.status_code == 200 and response.context["form"].errors["phone"]
        assert not Complaint.objects.exists()

    def test_honeypot_saves_nothing(self, desk, client):
        assert client.post("/track/new/", self._data(desk, website="http://spam")).status_code == 400
        assert not Complaint.objects.exists()

    def test_rate_limit_per_address(self, desk, client):
        for number in range(5):  # five customers behind one address (the phone limit is the other rule)
            assert client.post("/track/new/", self._data(desk, phone=f"1371234567{number}")).status_code == 302
        response = client.post("/track/new/", self._data(desk, description="第六次：还是只开一个窗口。"))
        page = response.content.decode()
        assert response.status_code == 429 and "hotline" in page and 0 < int(response["Retry-After"]) <= 3600
        assert "第六次：还是只开一个窗口。" in page and settings.BANKDESK_HOTLINE in page  # kept filled, number shown
        assert Complaint.objects.count() == 5

    def test_refusal_is_in_chinese_by_default(self, desk, client):
        rules.set_value(desk.bank.admin, "complaint.public_form_per_hour", "1", "测试")
        client.post("/track/new/", self._data(desk))
        response = client.post("/track/new/", self._data(desk), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 429 and "客服热线" in response.content.decode()

    def test_tracking_shows_the_stage_only_for_the_right_phone(self, desk, client, make):
        complaint = make(phone="13712345678")
        right = client.post("/track/", {"tracking_number": complaint.tracking_number.lower(), "phone": "137-1234-5678"})
        assert "Received" in right.content.decode() and "reviewing it" in right.content.decode()
        wrong_phone = client.post("/track/", {"tracking_number": complaint.tracking_number, "phone": "13700000000"})
        wrong_number = client.post("/track/", {"tracking_number": "TS-20200101-000001", "phone": "13712345678"})
        for response in (wrong_phone, wrong_number):
            body = response.content.decode()
            assert "We could not find a complaint" in body and "reviewing it" not in body
            assert response.context["result"] is None


def test_export_is_on_the_audit_trail(desk, registration, logged_in):
    register_complaint(desk.agent, registration())
    response = logged_in(desk.cp).get("/complaints/export.csv", {"status": "registered"})
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="complaint.export")
    assert event.actor == desk.cp and event.after["status"] == "registered"


def test_public_tracking_is_rate_limited(client, desk):
    rules.set_value(desk.bank.admin, "complaint.public_tracking_per_hour", "2", "测试")
    codes = [client.post("/track/", {"tracking_number": "TS-20260101-000001", "phone": "13900000000"}).status_code
             for _attempt in range(3)]
    assert codes == [200, 200, 429]
