import json
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from bankdesk.complaints.models import Channel, Complaint, Status
from bankdesk.core import rules
from bankdesk.orgs.models import OrgUnit

PAYLOAD = {
    "complainant_name": "周先生", "phone": "13612345678", "channel": "hotline", "unit": "A-O1",
    "business_category": "card_fees", "cause": "pricing", "description": "信用卡年费未经告知即被收取。",
    "demand": "退还年费", "postal_address": "上海市黄浦区南京东路 100 号",
}


def _post(client, payload=None, **headers):
    return client.post("/api/complaints", payload or PAYLOAD, content_type="application/json", **headers)


class TestRegister:
    def test_registers_and_answers_the_record(self, desk, logged_in):
        response = _post(logged_in(desk.agent))
        assert response.status_code == 201
        body = response.json()
        assert body["tracking_number"].startswith("TS-") and body["phone_masked"] == "136****5678"
        assert body["status"] == "registered" and "13612345678" not in response.content.decode()

    def test_a_registration_takes_sixteen_queries(self, desk, logged_in, django_assert_num_queries):
        """The lists, severity rules and units come from the process's copy (cached_lists): session, user,
        roles, Idempotency-Key, transaction, earlier complaints, savepoint, tracking number, the keys of the
        complaint and its clocks, complaint, clocks, search entry, event, savepoint's release, key, commit."""
        client = logged_in(desk.agent)
        _post(client, HTTP_IDEMPOTENCY_KEY="warm")
        with django_assert_num_queries(16):
            response = _post(client, {**PAYLOAD, "phone": "13912345678"}, HTTP_IDEMPOTENCY_KEY="pinned")
        assert response.status_code == 201

    @pytest.mark.parametrize(("model", "field"), [(Channel, "channel"), (OrgUnit, "unit")])
    def test_a_retired_list_entry_or_closed_unit_is_refused_at_once_despite_the_copy(self, desk, logged_in, model,
                                                                                     field):
        client = logged_in(desk.agent)
        assert _post(client).status_code == 201
        entry = model.objects.get(code=PAYLOAD[field])
        entry.is_active = False
        entry.save()
        response = _post(client, {**PAYLOAD, "phone": "13912345678"})
        assert response.status_code == 400 and response.json()["field"] == field

    def test_retry_with_the_same_idempotency_key_makes_one_complaint(self, desk, logged_in):
        client = logged_in(desk.agent)
        first = _post(client, HTTP_IDEMPOTENCY_KEY="cti-call-42")
        again = _post(client, HTTP_IDEMPOTENCY_KEY="cti-call-42")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["tracking_number"] == again.json()["tracking_number"]
        assert Complaint.objects.count() == 1

    def test_same_key_with_another_body_is_refused(self, desk, logged_in):
        client = logged_in(desk.agent)
        _post(client, HTTP_IDEMPOTENCY_KEY="k1")
        response = _post(client, {**PAYLOAD, "demand": "另一诉求"}, HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 400 and response.json()["code"] == "idempotency_mismatch"
        assert Complaint.objects.count() == 1

    def test_keys_are_per_client(self, desk, logged_in):
        _post(logged_in(desk.agent), HTTP_IDEMPOTENCY_KEY="k1")
        _post(logged_in(desk.teller), HTTP_IDEMPOTENCY_KEY="k1")
        assert Complaint.objects.count() == 2

    @pytest.mark.parametrize("changes, status, field", [
        ({"phone": "123"}, 400, "phone"),
        ({"channel": "pigeon"}, 400, "channel"),
        ({"unit": "NOPE"}, 400, "unit"),
        ({"business_category": "credit_card"}, 400, "business_category"),
        ({"description": None}, 422, "description"),
        ({"amount_involved": "lots"}, 422, "amount_involved"),
        ({"incident_at": "2099-01-01T00:00:00+08:00"}, 400, "incident_at"),
    ])
    def test_bad_input_is_a_field_error_and_saves_nothing(self, desk, logged_in, changes, status, field):
        payload = {key: value for key, value in {**PAYLOAD, **changes}.items() if value is not None}
        response = _post(logged_in(desk.agent), payload)
        assert response.status_code == status
        assert response.json()["field"] == field and response.json()["message"]
        assert not Complaint.objects.exists()

    def test_regulator_transfer_by_api(self, desk, logged_in):
        payload = {**PAYLOAD, "channel": "12378", "external_reference": "12378-2026-001",
                   "external_deadline": "2026-12-31T17:00:00+08:00"}
        assert _post(logged_in(desk.agent), payload).status_code == 403
        response = _post(logged_in(desk.cp), payload)
        assert response.status_code == 201 and response.json()["external_reference"] == "12378-2026-001"

    def test_the_registration_records_incident_and_address(self, desk, logged_in):
        payload = {**PAYLOAD, "incident_at": "2026-01-01T09:30:00+08:00", "incident_place": "人民路网点 3 号窗口"}
        with time_machine.travel("2026-01-02 10:00 +0800", tick=False):
            body = _post(logged_in(desk.agent), payload).json()
        assert datetime.fromisoformat(body["incident_at"]) == datetime.fromisoformat("2026-01-01T09:30:00+08:00")
        assert body["incident_place"] == "人民路网点 3 号窗口"
        assert body["postal_address_masked"] == "上海市黄浦区****" and "南京东路" not in json.dumps(body)
        complaint = Complaint.objects.get()
        assert complaint.postal_address == "上海市黄浦区南京东路 100 号"
        with connection.cursor() as cursor:  # encrypted at rest, like the phone
            cursor.execute("SELECT postal_address FROM complaints_complaint")
            assert "南京东路" not in cursor.fetchone()[0]

    def test_resolved_on_the_spot_by_api_awaits_the_callback(self, desk, logged_in):
        payload = {**PAYLOAD, "resolved_on_the_spot": True, "on_the_spot_answer": "已当场解释年费收取规则并办理减免。"}
        body = _post(logged_in(desk.agent), payload).json()
        assert body["status"] == "communicated" and body["resolved_on_the_spot"] is True
        refused = _post(logged_in(desk.agent), {**PAYLOAD, "resolved_on_the_spot": True})
        assert refused.status_code == 400 and refused.json()["field"] == "on_the_spot_answer"


@pytest.fixture
def complaint_id(desk, logged_in):
    return _post(logged_in(desk.agent)).json()["id"]


class TestReview:
    def test_accept_routes(self, desk, logged_in, complaint_id):
        response = logged_in(desk.cp).post(f"/api/complaints/{complaint_id}/accept", {"version": 1},
                                           content_type="application/json")
        body = response.json()
        assert body["status"] == "routed" and body["lead_department"] == "CARD" and body["handler"] == "handler_card"

    def test_stale_version_is_409(self, desk, logged_in, complaint_id):
        client = logged_in(desk.cp)
        client.post(f"/api/complaints/{complaint_id}/accept", {"version": 1}, content_type="application/json")
        response = client.post(f"/api/complaints/{complaint_id}/withdraw", {"version": 1, "note": "撤诉"},
                               content_type="application/json")
        assert response.status_code == 409 and response.json()["code"] == "conflict"

    def test_refuse_with_standard_notice(self, desk, logged_in, complaint_id):
        response = logged_in(desk.cp).post(f"/api/complaints/{complaint_id}/refuse",
                                           {"reason": "not_a_party", "notice_channel": "letter"},
                                           content_type="application/json")
        assert response.json()["status"] == "not_accepted"
        assert Complaint.objects.get().notices.get().text.count(Complaint.objects.get().tracking_number) == 1

    def test_a_letter_needs_a_postal_address(self, desk, logged_in):
        pk = _post(logged_in(desk.agent), {**PAYLOAD, "postal_address": ""}).json()["id"]
        response = logged_in(desk.cp).post(f"/api/complaints/{pk}/refuse",
                                           {"reason": "not_a_party", "notice_channel": "letter"},
                                           content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "notice_channel"
        assert "通讯地址" in response.json()["message"]  # the API answers in the default language

    def test_merge_and_route_by_hand(self, desk, logged_in, complaint_id):
        other = _post(logged_in(desk.agent)).json()
        client = logged_in(desk.cp)
        merged = client.post(f"/api/complaints/{other['id']}/merge",
                             {"into": Complaint.objects.get(pk=complaint_id).tracking_number},
                             content_type="application/json")
        assert merged.json()["status"] == "merged"
        client.post(f"/api/complaints/{complaint_id}/accept", {}, content_type="application/json")
        routed = client.post(f"/api/complaints/{complaint_id}/route",
                             {"lead_department": "A", "handler": "handler_a2"}, content_type="application/json")
        assert routed.json()["handler"] == "handler_a2"
        bad = client.post(f"/api/complaints/{complaint_id}/route", {"lead_department": "A", "handler": "nobody"},
                          content_type="application/json")
        assert bad.status_code == 400 and bad.json()["field"] == "handler"

    def test_reviewing_needs_the_right(self, desk, logged_in, complaint_id):
        response = logged_in(desk.handler_a1).post(f"/api/complaints/{complaint_id}/accept", {},
                                                   content_type="application/json")
        assert response.status_code in (403, 404)
        assert Complaint.objects.get().status == Status.REGISTERED


class TestScope:
    def test_other_branch_sees_nothing(self, desk, logged_in, complaint_id):
        client = logged_in(desk.cp_b)
        assert client.get(f"/api/complaints/{complaint_id}").status_code == 404
        assert client.get(f"/api/complaints/{complaint_id}/timeline").status_code == 404
        assert client.get("/api/complaints").json()["total"] == 0
        assert client.post(f"/api/complaints/{complaint_id}/accept", {},
                           content_type="application/json").status_code == 404

    def test_roles_without_the_right_get_403(self, desk, logged_in, complaint_id):
        client = logged_in(desk.teller)
        assert client.get("/api/complaints").status_code == 403
        assert client.get(f"/api/complaints/{complaint_id}").status_code == 403

    def test_anonymous_gets_401(self, client, desk):
        assert client.get("/api/complaints").status_code == 401
        assert _post(client).status_code == 401

    def test_list_filters_and_constant_queries(self, desk, logged_in, django_assert_max_num_queries):
        agent = logged_in(desk.agent)
        for number in range(12):
            _post(agent, {**PAYLOAD, "phone": f"1360000{number:04d}"})
        client = logged_in(desk.cp)
        client.get("/api/me")  # the session's idle-timeout refresh is written once, on the first request
        with django_assert_max_num_queries(5):
            body = client.get("/api/complaints", {"status": "registered", "page_size": 5}).json()
        assert body["total"] == 12 and len(body["items"]) == 5
        assert client.get("/api/complaints", {"search": "136-0000-0003"}).json()["total"] == 1

    def test_caller_history_is_bank_wide_for_registrars(self, desk, logged_in, complaint_id):
        client = logged_in(desk.teller)
        history = client.post("/api/complaints/lookup", {"phone": "13612345678"},
                              content_type="application/json").json()
        assert [h["status"] for h in history] == ["registered"]

    def test_caller_history_takes_the_phone_in_the_body_only(self, desk, logged_in, complaint_id):
        """A phone number in a URL ends up in access logs: the look-up refuses a GET."""
        response = logged_in(desk.teller).get("/api/complaints/lookup", {"phone": "13612345678"})
        assert response.status_code == 405


class TestPublic:
    def test_customer_files_and_tracks_without_login(self, client, desk):
        payload = {"complainant_name": "钱女士", "phone": "13511112222", "unit": "A-O1",
                   "business_category": "counter_waiting", "description": "周六网点只开一个窗口。"}
        number = client.post("/api/public/complaints", payload, content_type="application/json").json()[
            "tracking_number"]
        assert Complaint.objects.get().channel.kind == "public"
        status = client.post("/api/public/complaints/status", {"tracking_number": number, "phone": "13511112222"},
                             content_type="application/json")
        assert status.status_code == 200 and status.json()["stage"]
        wrong = client.post("/api/public/complaints/status", {"tracking_number": number, "phone": "13511112223"},
                            content_type="application/json")
        assert wrong.status_code == 404

    def test_public_status_takes_the_phone_in_the_body_only(self, client, desk):
        response = client.get("/api/public/complaints/status", {"tracking_number": "TS-1", "phone": "13511112222"})
        assert response.status_code == 405

    def test_public_form_is_rate_limited(self, client, desk):
        rules.set_value(desk.bank.admin, "complaint.public_form_per_hour", "2", "测试")
        payload = {"complainant_name": "钱女士", "phone": "13511112222", "unit": "A-O1",
                   "business_category": "counter_waiting", "description": "周六网点只开一个窗口。"}
        responses = [client.post("/api/public/complaints", payload, content_type="application/json")
                      for _ in range(3)]
        assert [response.status_code for response in responses] == [201, 201, 429]
        assert responses[2].json()["code"] == "rate_limited" and 0 < int(responses[2]["Retry-After"]) <= 3600
        assert Complaint.objects.count() == 2

    def test_public_status_is_rate_limited_across_workers_and_restarts(self, client, desk):
        """The counters are in the database: a worker with an empty memory cache still refuses."""
        rules.set_value(desk.bank.admin, "complaint.public_tracking_per_hour", "2", "测试")
        codes = []
        for _ in range(3):
            cache.clear()  # another worker, or the same after a restart
            codes.append(client.post("/api/public/complaints/status", {"tracking_number": "TS-1", "phone": "139"},
                                     content_type="application/json").status_code)
        assert codes == [404, 404, 429]
