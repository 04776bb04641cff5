"""The remediation API: lists and objects within the caller's reach, each step through its service, errors as
{code, message, field}; 403 without the right, nothing of another branch, list queries that do not grow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core.models import AuditEvent
from bankdesk.remediation.accountability import services as accountability
from bankdesk.remediation.models import PaymentStatus, PenaltyLevel, RectificationStatus
from bankdesk.remediation.payments import services as payments
from bankdesk.remediation.rectification import services as rectification

PAYEE = {"payee_name": "李女士", "payee_account": "6222000011112222"}


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


class TestPaymentOrders:
    def test_propose_list_get_approve_file_and_pay(self, people, logged_in, decided):
        decision = decided("3000")
        handler = logged_in(decision.complaint.handler)
        refused = _post(handler, "/api/remediation/payment-orders", {
            "complaint_id": decision.complaint_id, "kind": "compensation", "amount": "99999", **PAYEE})
        assert refused.status_code == 400 and refused.json()["field"] == "amount"
        created = _post(handler, "/api/remediation/payment-orders", {
            "complaint_id": decision.complaint_id, "kind": "compensation", **PAYEE})
        assert created.status_code == 201
        order = created.json()
        assert order["amount"] == "3000.00" and order["payee_account"] == "****2222"
        listed = logged_in(people.head_a).get("/api/remediation/payment-orders", {"pending": "true"}).json()
        assert listed["total"] == 1 and listed["items"][0]["number"] == order["number"]
        assert logged_in(people.head_b).get("/api/remediation/payment-orders").json()["total"] == 0
        assert logged_in(people.head_b).get(f"/api/remediation/payment-orders/{order['id']}").status_code == 404
        own = _post(logged_in(decision.complaint.handler), f"/api/remediation/payment-orders/{order['id']}/approve")
        assert own.status_code == 403  # a handler holds no approving right
        approved = _post(logged_in(people.head_a), f"/api/remediation/payment-orders/{order['id']}/approve",
                         {"note": "同意"})
        assert approved.status_code == 200 and approved.json()["status"] == PaymentStatus.APPROVED
        paid_early = _post(logged_in(people.cp), f"/api/remediation/payment-orders/{order['id']}/paid",
                           {"reference": "CB1"})
        assert paid_early.status_code == 409
        exported = _post(logged_in(people.cp), "/api/remediation/payment-files")
        assert exported.status_code == 201 and exported.json()["lines"][1][2] == order["number"]
        paid = _post(logged_in(people.cp), f"/api/remediation/payment-orders/{order['id']}/paid",
                     {"reference": "CB20260101-1"})
        assert paid.status_code == 200 and paid.json()["status"] == PaymentStatus.PAID

    def test_self_approval_and_rights(self, people, logged_in, decided):
        decision = decided("3000")
        order = payments.propose_payment(people.cp, decision, kind="compensation", **PAYEE)
        refused = _post(logged_in(people.cp), f"/api/remediation/payment-orders/{order.pk}/approve")
        assert refused.status_code == 400 and refused.json()["code"] == "self_approval"
        assert logged_in(people.teller).get("/api/remediation/payment-orders").status_code == 403
        assert _post(logged_in(people.head_a), f"/api/remediation/payment-orders/{order.pk}/reject",
                     {"reason": ""}).status_code == 400

    def test_the_list_is_a_fixed_number_of_queries(self, people, logged_in, decided, django_assert_num_queries):
        decision = decided("3000")
        for amount in ("100", "200"):
            payments.propose_payment(decision.complaint.handler, decision, kind="compensation", amount=amount,
                                     **PAYEE)
        client = logged_in(people.head_a)
        client.get("/api/remediation/payment-orders")
        with django_assert_num_queries(5) as two:  # session, user, role assignments, COUNT, rows
            assert client.get("/api/remediation/payment-orders").json()["total"] == 2
        for amount in ("300", "400", "500"):
            payments.propose_payment(decision.complaint.handler, decision, kind="compensation", amount=amount,
                                     **PAYEE)
        with django_assert_num_queries(len(two.captured_queries)):
            assert client.get("/api/remediation/payment-orders").json()["total"] == 5


@pytest.fixture
def item(people, decided):
    complaint = decided().complaint
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    complaint.refresh_from_db()
    return rectification.open_for_complaint(people.head_a, complaint)


class TestRectification:
    def test_fill_report_verify(self, people, logged_in, item):
        client = logged_in(people.head_a)
        got = client.get(f"/api/remediation/rectification-items/{item.pk}").json()
        assert got["status"] == RectificationStatus.OPEN and len(got["complaints"]) == 1
        assert _post(client, f"/api/remediation/rectification-items/{item.pk}",
                     {"root_cause": "nonsense"}).json()["field"] == "root_cause"
        saved = _post(client, f"/api/remediation/rectification-items/{item.pk}", {
            "root_cause": "process", "corrective_action": "退还手续费", "preventive_action": "修订流程",
            "owner_id": people.head_a.pk})
        assert saved.status_code == 200 and saved.json()["root_cause"] == "process"
        assert saved.json()["summary"] == item.summary  # left out: unchanged
        assert _post(client, f"/api/remediation/rectification-items/{item.pk}/report").status_code == 200
        assert _post(client, f"/api/remediation/rectification-items/{item.pk}/verify",
                     {"accepted": True, "note": "好"}).status_code == 403
        verified = _post(logged_in(people.cp), f"/api/remediation/rectification-items/{item.pk}/verify",
                         {"accepted": True, "note": "已核实"})
        assert verified.json()["status"] == RectificationStatus.VERIFIED

    def test_evidence_uploaded_listed_and_read_back(self, people, logged_in, item):
        url = f"/api/remediation/rectification-items/{item.pk}/evidence"
        proof = SimpleUploadedFile("整改通知.pdf", b"%PDF-1.4 notice", content_type="application/pdf")
        added = logged_in(people.head_a).post(url, {"files": [proof]})
        assert added.status_code == 201
        [evidence] = added.json()["evidence"]
        assert (evidence["name"], evidence["uploaded_by"]) == ("整改通知.pdf", people.head_a.username)
        assert AuditEvent.objects.filter(action="remediation.rectification.evidence").count() == 1
        read = logged_in(people.cp).get(f"{url}/{evidence['id']}")
        assert read.status_code == 200 and b"".join(read.streaming_content) == b"%PDF-1.4 notice"
        refused = logged_in(people.head_a).post(url, {"files": [SimpleUploadedFile("run.exe", b"MZ")]})
        assert refused.status_code == 400 and refused.json()["field"] == "files"
        assert logged_in(people.head_b).get(f"{url}/{evidence['id']}").status_code == 404  # another branch
        assert logged_in(people.head_b).post(url, {"files": [proof]}).status_code == 404
        assert logged_in(people.teller).post(url, {"files": [proof]}).status_code == 403
        assert item.evidence.count() == 1

    def test_scope_and_list(self, people, logged_in, item, django_assert_max_num_queries):
        assert logged_in(people.head_b).get(f"/api/remediation/rectification-items/{item.pk}").status_code == 404
        assert logged_in(people.head_b).get("/api/remediation/rectification-items").json()["total"] == 0
        client = logged_in(people.head_a)
        client.get("/api/remediation/rectification-items")
        with django_assert_max_num_queries(5):
            listed = client.get("/api/remediation/rectification-items", {"open_only": "true"}).json()
        assert [row["id"] for row in listed["items"]] == [item.pk]
        assert logged_in(people.teller).get("/api/remediation/rectification-items").status_code == 403


class TestAccountability:
    def test_propose_decide_appeal(self, people, logged_in, decided):
        complaint = decided(staff_concerned_id=people.teller.pk).complaint
        client = logged_in(people.head_a)
        created = _post(client, "/api/remediation/accountability-records", {
            "complaint_id": complaint.pk, "staff_id": people.teller.pk, "penalty": "warning", "facts": "态度差"})
        assert created.status_code == 201
        record = created.json()
        assert _post(client, f"/api/remediation/accountability-records/{record['id']}/decide",
                     {"approve": True}).json()["code"] == "self_approval"
        assert _post(logged_in(people.cp), f"/api/remediation/accountability-records/{record['id']}/decide",
                     {"approve": True}).json()["status"] == "approved"
        teller = logged_in(people.teller)
        assert teller.get("/api/remediation/accountability-records").status_code == 403
        assert [row["id"] for row in teller.get("/api/remediation/my-accountability-records").json()] == [record["id"]]
        assert _post(teller, f"/api/remediation/my-accountability-records/{record['id']}/appeal",
                     {"text": "系统故障"}).json()["status"] == "appealed"
        assert _post(logged_in(people.head_a), f"/api/remediation/my-accountability-records/{record['id']}/appeal",
                     {"text": "x"}).status_code == 404
        decided_appeal = _post(logged_in(people.management),
                               f"/api/remediation/accountability-records/{record['id']}/appeal-decision",
                               {"uphold": False, "note": "情节较轻", "penalty": "fine_100"})
        assert decided_appeal.json()["penalty"] == "fine_100" and decided_appeal.json()["status"] == "revised"

    def test_other_branch_sees_nothing(self, people, logged_in, decided):
        complaint = decided(staff_concerned_id=people.teller.pk).complaint
        record = accountability.propose(people.head_a, complaint, staff=people.teller,
                                        penalty=PenaltyLevel.objects.get(code="warning"), facts="x")
        assert logged_in(people.head_b).get(f"/api/remediation/accountability-records/{record.pk}").status_code == 404
        assert logged_in(people.head_b).get("/api/remediation/accountability-records").json()["total"] == 0
        assert _post(logged_in(people.head_b), "/api/remediation/accountability-records", {
            "complaint_id": complaint.pk, "staff_id": people.teller.pk, "penalty": "warning",
            "facts": "x"}).status_code == 404
