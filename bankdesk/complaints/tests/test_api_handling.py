"""Handling a complaint to closure over the API: the steps, their refusals and the clocks."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bankdesk.complaints.decisions import approval, callback, communication
from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import ClosureCode, Complaint, ExtensionRequest, Status
from bankdesk.core.messaging import SmsOutbox

REGISTRATION = {
    "complainant_name": "李女士", "phone": "13912345678", "channel": "hotline", "unit": "A-O1",
    "business_category": "counter_waiting", "cause": "attitude",
    "description": "在人民路网点排队一个多小时，柜员态度冷淡。", "demand": "要求道歉",
}
DECISION = {"finding": "柜员未按规定叫号，属实。", "basis": "依据服务规范。", "remedies": ["apology"],
            "closure_code": "bank_at_fault"}


def post(client, path: str, body: dict | None = None):
    return client.post(f"/api/{path}", body or {}, content_type="application/json")


def step(client, complaint_id: int, path: str, body: dict | None = None, expect: int = 200) -> dict:
    response = post(client, f"complaints/{complaint_id}/{path}", body)
    assert response.status_code == expect, response.content.decode()
    return response.json()


def clock(clocks: list[dict], kind: str) -> dict:
    [found] = [entry for entry in clocks if entry["kind"] == kind]
    return found


@pytest.fixture
def bank_at_fault():
    return ClosureCode.objects.get(code="bank_at_fault")


@pytest.fixture
def communicated(desk, routed, bank_at_fault):
    """A complaint whose decision the customer has been told, through the services."""
    def make(complaint=None):
        complaint = complaint or routed()
        approval.propose_decision(desk.handler_a1, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                  closure_code=bank_at_fault)
        approval.approve_decision(desk.head_a, complaint)
        communication.communicate_decision(desk.handler_a1, complaint, channel="sms", text="您的投诉已处理完毕。")
        complaint.refresh_from_db()
        return complaint

    return make


class TestHappyPath:
    def test_from_registration_to_closure(self, desk, logged_in, django_capture_on_commit_callbacks):
        client = logged_in(desk.agent)
        registered = client.post("/api/complaints", REGISTRATION, content_type="application/json")
        assert registered.status_code == 201
        pk = registered.json()["id"]

        client = logged_in(desk.cp)
        complaint = step(client, pk, "accept", {"version": registered.json()["version"]})
        assert complaint["status"] == "routed" and complaint["lead_department"] == "A"
        assert complaint["handler"] == "handler_a1"

        client = logged_in(desk.handler_a1)
        complaint = step(client, pk, "start", {"version": complaint["version"]})
        assert complaint["status"] == "investigating"
        note = step(client, pk, "notes", {"text": "调取监控，核实排队时长 70 分钟。"}, expect=201)
        assert note["text"] == "调取监控，核实排队时长 70 分钟。" and note["author"] == "handler_a1"
        assert note["id"] and note["created_at"]
        contact = step(client, pk, "contacts", {"channel": "call", "summary": "致电客户说明正在核查。"}, expect=201)
        assert contact["channel"] == "call" and contact["staff"] == "handler_a1"
        assist = step(client, pk, "assist-requests", {"department": "CARD", "question": "请核查当日叫号系统记录。"},
                      expect=201)
        assert assist["department"] == "CARD" and assist["question"] == "请核查当日叫号系统记录。"
        assert assist["due_at"] and assist["answered_at"] is None

        answer = step(logged_in(desk.handler_card), pk, f"assist-requests/{assist['id']}/answer",
                      {"findings": "叫号系统当日 10:00-11:00 故障。", "actions_taken": "已报修。"})
        assert answer["answered_by"] == "handler_card" and answer["findings"] == "叫号系统当日 10:00-11:00 故障。"

        client = logged_in(desk.handler_a1)
        assert clock(client.get(f"/api/complaints/{pk}/clocks").json(), "assist")["state"] == "stopped"
        decision = step(client, pk, "decision", {
            **DECISION, "remedies": ["apology", "fee_refund", "compensation"], "compensation_amount": "200",
            "fee_refund_amount": "15", "basis": "叫号须按规定顺序", "version": answer["complaint_version"]}, expect=201)
        assert decision["status"] == "proposed" and Decimal(decision["compensation_amount"]) == 200
        assert Decimal(decision["fee_refund_amount"]) == 15 and decision["basis"] == "叫号须按规定顺序"
        assert decision["closure_code"] == "bank_at_fault" and decision["complaint_status"] == "decision_proposed"

        complaint = step(logged_in(desk.head_a), pk, "decision/approve",
                         {"note": "同意", "version": decision["complaint_version"]})
        assert complaint["status"] == "decision_approved"

        client = logged_in(desk.handler_a1)
        with django_capture_on_commit_callbacks(execute=True):
            complaint = step(client, pk, "communicate", {"channel": "sms", "version": complaint["version"]})
        assert complaint["status"] == "communicated"
        sms = SmsOutbox.objects.get(kind="complaint.decision")
        assert complaint["tracking_number"] in sms.text and "经济补偿" in sms.text  # the standard notice

        letter = client.get(f"/api/complaints/{pk}/decision/letter")
        assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
        assert letter.content.startswith(b"%PDF")

        callback = step(logged_in(desk.cp), pk, "callbacks",
                        {"reached": True, "satisfaction": "satisfied", "version": complaint["version"]}, expect=201)
        assert callback["reached"] and callback["staff"] == "cp" and callback["complaint_status"] == "closed"
        assert client.get(f"/api/complaints/{pk}").json()["status"] == "closed"

        clocks = client.get(f"/api/complaints/{pk}/clocks").json()
        decision_clock = clock(clocks, "decision")
        assert decision_clock["state"] == "stopped" and decision_clock["met"] is True
        assert decision_clock["status"] == "met" and decision_clock["kind_display"]
        assert all(entry["state"] == "stopped" for entry in clocks)

    def test_pause_resume_extension_return_and_escalation(self, desk, routed, logged_in):
        pk = routed().pk
        client = logged_in(desk.handler_a1)
        complaint = step(client, pk, "pause", {"reason": "customer_material", "note": "等待客户提供流水"})
        assert clock(client.get(f"/api/complaints/{pk}/clocks").json(), "decision")["status"] == "paused"
        complaint = step(client, pk, "resume", {"version": complaint["version"]})
        assert clock(client.get(f"/api/complaints/{pk}/clocks").json(), "decision")["state"] == "running"

        extension = step(client, pk, "extensions", {
            "reason": "需调取第三方支付机构记录", "notice_channel": "letter",
            "notice_text": "您的投诉情况复杂，处理期限延长至30日。", "version": complaint["version"]}, expect=201)
        assert extension["status"] == "pending" and extension["kind"] == "extension"
        decided = step(logged_in(desk.head_a), pk, f"extensions/{extension['id']}/decide",
                       {"approve": True, "note": "同意", "version": extension["complaint_version"]})
        assert decided["status"] == "approved" and decided["decided_by"] == "head_a"
        assert Complaint.objects.get(pk=pk).extension_level == 1

        client = logged_in(desk.handler_a1)
        decision = step(client, pk, "decision", {**DECISION, "version": decided["complaint_version"]}, expect=201)
        returned = step(logged_in(desk.head_a), pk, "decision/return",
                        {"note": "补充监控截图", "version": decision["complaint_version"]})
        assert returned["status"] == "investigating"
        escalated = step(logged_in(desk.handler_a1), pk, "escalate",
                         {"reason": "客户扬言投诉媒体", "version": returned["version"]})
        assert escalated["version"] == returned["version"] + 1
        assert Complaint.objects.get(pk=pk).escalation_level == 1


@pytest.fixture
def targets(desk, routed):
    """A branch-A complaint with an assist request and an extension request, for the scope checks."""
    complaint = routed()
    assist = investigation.request_assistance(desk.handler_a1, complaint, department=desk.card_department,
                                              question="请核查")
    extension = investigation.request_extension(desk.handler_a1, complaint, reason="复杂", notice_channel="letter",
                                                notice_text="处理期限延长至30日。")
    complaint.refresh_from_db()
    return complaint, assist, extension


EVERY_POST = [
    ("start", {}),
    ("notes", {"text": "他行记录"}),
    ("contacts", {"channel": "call", "summary": "他行致电"}),
    ("assist-requests", {"department": "CARD", "question": "请核查"}),
    ("assist-requests/{assist}/answer", {"findings": "他行答复"}),
    ("pause", {"reason": "customer_material"}),
    ("resume", {}),
    ("extensions", {"reason": "复杂", "notice_channel": "letter", "notice_text": "延期通知"}),
    ("extensions/{extension}/decide", {"approve": True}),
    ("decision", DECISION),
    ("decision/approve", {}),
    ("decision/return", {"note": "退回"}),
    ("communicate", {"channel": "sms"}),
    ("callbacks", {"reached": False}),
    ("close-unreachable", {}),
    ("reopen", {"kind": "review", "reason": "核查"}),
    ("escalate", {"reason": "升级"}),
]


class TestRefusals:
    def test_without_the_handling_right_403(self, desk, routed, logged_in):
        pk = routed().pk
        response = post(logged_in(desk.teller), f"complaints/{pk}/start", {})
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert Complaint.objects.get(pk=pk).status == Status.ROUTED

    @pytest.mark.parametrize("path, body", EVERY_POST, ids=[path for path, _ in EVERY_POST])
    def test_another_branch_gets_404_on_every_step(self, desk, logged_in, targets, path, body):
        complaint, assist, extension = targets
        path = path.format(assist=assist.pk, extension=extension.pk)
        response = post(logged_in(desk.cp_b), f"complaints/{complaint.pk}/{path}", body)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        after = Complaint.objects.get(pk=complaint.pk)
        assert after.version == complaint.version
        assert ExtensionRequest.objects.get(pk=extension.pk).status == "pending"

    def test_answer_only_by_the_assisting_department_and_on_its_complaint(self, desk, logged_in, targets, routed):
        complaint, assist, _ = targets
        other = routed()
        response = post(logged_in(desk.handler_card), f"complaints/{other.pk}/assist-requests/{assist.pk}/answer",
                        {"findings": "答复"})
        assert response.status_code == 404
        response = post(logged_in(desk.handler_a2), f"complaints/{complaint.pk}/assist-requests/{assist.pk}/answer",
                        {"findings": "主办部门代答"})
        assert response.status_code == 404
        assist.refresh_from_db()
        assert assist.answered_at is None

    def test_stale_version_is_409(self, desk, routed, logged_in):
        complaint = routed()
        client = logged_in(desk.handler_a1)
        step(client, complaint.pk, "start", {"version": complaint.version})
        response = post(client, f"complaints/{complaint.pk}/escalate", {"reason": "重复提交",
                                                                        "version": complaint.version})
        assert response.status_code == 409 and response.json()["code"] == "conflict"
        assert Complaint.objects.get(pk=complaint.pk).escalation_level == 0

    @pytest.mark.parametrize("path, body, field", [
        ("decision", {**DECISION, "remedies": ["bribe"]}, "remedies"),
        ("decision", {**DECISION, "closure_code": "nope"}, "closure_code"),
        ("decision", {**DECISION, "basis": " "}, "basis"),
        ("assist-requests", {"department": "NOPE", "question": "请核查"}, "department"),
        ("pause", {"reason": "nope"}, "reason"),
        ("contacts", {"channel": "pigeon", "summary": "飞鸽传书"}, "channel"),
    ])
    def test_unknown_codes_are_field_errors(self, desk, routed, logged_in, path, body, field):
        complaint = routed()
        response = post(logged_in(desk.handler_a1), f"complaints/{complaint.pk}/{path}", body)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid" and response.json()["field"] == field
        assert response.json()["message"]
        assert Complaint.objects.get(pk=complaint.pk).version == complaint.version

    def test_nobody_approves_their_own_proposal(self, desk, routed, logged_in):
        pk = routed().pk
        client = logged_in(desk.head_a)
        step(client, pk, "decision", DECISION, expect=201)
        response = post(client, f"complaints/{pk}/decision/approve", {})
        assert response.status_code == 400 and response.json()["code"] == "self_approval"
        assert Complaint.objects.get(pk=pk).status == Status.DECISION_PROPOSED

    def test_no_letter_before_approval(self, desk, routed, logged_in):
        pk = routed().pk
        client = logged_in(desk.handler_a1)
        assert client.get(f"/api/complaints/{pk}/decision/letter").status_code == 404
        step(client, pk, "decision", DECISION, expect=201)
        response = client.get(f"/api/complaints/{pk}/decision/letter")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_a_closed_complaint_is_read_only_and_reopened_only_by_the_office(self, desk, logged_in, communicated):
        complaint = communicated()
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        client = logged_in(desk.handler_a1)
        response = post(client, f"complaints/{complaint.pk}/notes", {"text": "办结后补记"})
        assert response.status_code == 400 and response.json()["code"] == "invalid_state"
        response = post(client, f"complaints/{complaint.pk}/reopen", {"kind": "review", "reason": "客户申请核查"})
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        reopened = step(logged_in(desk.cp), complaint.pk, "reopen", {"kind": "review", "reason": "客户申请核查"})
        assert reopened["status"] == "reopened"

    @pytest.mark.parametrize("path, body, field", [
        ("notes", {}, "text"),
        ("decision", {"finding": "属实", "basis": "依据服务规范。", "remedies": ["apology"]}, "closure_code"),
        ("decision", {key: value for key, value in DECISION.items() if key != "basis"}, "basis"),
        ("callbacks", {"satisfaction": "satisfied"}, "reached"),
        ("start", {"version": "latest"}, "version"),
    ])
    def test_a_missing_or_malformed_field_is_422_with_its_name(self, desk, routed, logged_in, path, body, field):
        complaint = routed()
        user = desk.cp if path == "callbacks" else desk.handler_a1  # the callback is the complaint post's
        response = post(logged_in(user), f"complaints/{complaint.pk}/{path}", body)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid" and response.json()["field"] == field


class TestCallback:
    def test_not_satisfied_reopens_and_is_handled_again_to_closure(self, desk, logged_in, communicated):
        pk = communicated().pk
        client = logged_in(desk.cp)
        refused = post(client, f"complaints/{pk}/callbacks", {"reached": True, "satisfaction": "not_satisfied"})
        assert refused.status_code == 400 and refused.json()["field"] == "reason"
        callback = step(client, pk, "callbacks", {"reached": True, "satisfaction": "not_satisfied",
                                                  "reason": "补偿金额过低", "reopen_kind": "rehandle"}, expect=201)
        assert callback["complaint_status"] == "screening" and callback["reopen_kind"] == "rehandle"
        screening = step(client, pk, "screening", {"outcome": "reopen", "reopen_kind": "rehandle",
                                                   "reason": "补偿标准适用错误"}, expect=201)
        assert screening["complaint_status"] == "reopened" and screening["screened_by"] == "cp"
        assert client.get(f"/api/complaints/{pk}").json()["status"] == "reopened"
        assert clock(client.get(f"/api/complaints/{pk}/clocks").json(), "review")["state"] == "running"

        client = logged_in(desk.handler_a1)
        step(client, pk, "notes", {"text": "重新核实补偿标准。"}, expect=201)
        decision = step(client, pk, "decision", {**DECISION, "remedies": ["apology", "compensation"],
                                                 "compensation_amount": "500.00"}, expect=201)
        approved = step(logged_in(desk.head_a), pk, "decision/approve",
                        {"version": decision["complaint_version"]})
        communicated_again = step(logged_in(desk.handler_a1), pk, "communicate",
                                  {"channel": "letter", "text": "经重新处理，补偿 500 元。",
                                   "version": approved["version"]})
        assert communicated_again["status"] == "communicated"
        closed = step(logged_in(desk.cp), pk, "callbacks", {"reached": True, "satisfaction": "basically_satisfied",
                                                            "version": communicated_again["version"]}, expect=201)
        assert closed["complaint_status"] == "closed"
        review = clock(client.get(f"/api/complaints/{pk}/clocks").json(), "review")
        assert review["state"] == "stopped" and review["met"] is True

    def test_closes_unreachable_only_after_three_failed_callbacks(self, desk, logged_in, communicated):
        pk = communicated().pk
        client = logged_in(desk.cp)
        for attempt in range(2):
            failed = step(client, pk, "callbacks", {"reached": False}, expect=201)
            assert failed["reached"] is False and failed["complaint_status"] == "communicated"
        response = post(client, f"complaints/{pk}/close-unreachable", {"note": "两次未接通"})
        assert response.status_code == 400 and response.json()["code"] == "invalid_state"
        assert "2" in response.json()["message"]
        failed = step(client, pk, "callbacks", {"reached": False}, expect=201)
        closed = step(client, pk, "close-unreachable", {"note": "三次电话均无人接听",
                                                        "version": failed["complaint_version"]})
        assert closed["status"] == "closed"
        assert Complaint.objects.get(pk=pk).failed_callbacks == 3


class TestClocks:
    def test_constant_queries(self, desk, routed, logged_in, django_assert_max_num_queries):
        complaint = routed()
        client = logged_in(desk.handler_a1)
        client.get("/api/me")  # the session's idle-timeout refresh is written once, on the first request
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(f"/api/complaints/{complaint.pk}/clocks").json()) == 6
        for department in ("CARD", "B", "HO"):
            step(client, complaint.pk, "assist-requests", {"department": department, "question": "请核查"},
                 expect=201)
        # session, user, roles, the complaint, its clocks: however many clocks there are
        with django_assert_max_num_queries(5) as many:
            clocks = client.get(f"/api/complaints/{complaint.pk}/clocks").json()
        assert len(clocks) == 9 and len(many.captured_queries) == len(few.captured_queries)
        assert {entry["status"] for entry in clocks} <= {"ok", "met", "warned"}

    def test_outside_scope_404(self, desk, routed, logged_in):
        response = logged_in(desk.cp_b).get(f"/api/complaints/{routed().pk}/clocks")
        assert response.status_code == 404


class TestWorkLists:
    def test_my_work_and_team(self, desk, routed, client, django_assert_max_num_queries):
        complaint = routed()
        for number in range(3):
            routed(phone=f"1370000030{number}")
        client.force_login(complaint.handler)
        with django_assert_max_num_queries(8):
            mine = client.get("/api/complaints/my-work").json()
        assert complaint.tracking_number in [item["tracking_number"] for item in mine["items"]]
        assert mine["items"][0]["current_deadline"] and mine["items"][0]["deadline_state"] == 0
        assert client.get("/api/complaints/team").status_code == 403  # handlers do not approve
        client.force_login(desk.head_a)
        assert client.get("/api/complaints/team?state=0").json()["total"] == 4
        client.force_login(desk.cp_b)
        assert client.get("/api/complaints/team").json()["total"] == 0
        client.force_login(desk.teller)
        assert client.get("/api/complaints/my-work").json()["code"] == "forbidden"
