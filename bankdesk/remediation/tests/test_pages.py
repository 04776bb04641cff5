"""The remediation pages: lists (filters, sorting, pages, count, exports), details with the forms of each step,
the staff member's own records; 403 without the right, nothing of another branch, queries that do not grow with
the rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core import rules
from bankdesk.core.models import AuditEvent
from bankdesk.remediation.accountability import services as accountability
from bankdesk.remediation.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    PaymentOrder,
    PaymentStatus,
    PenaltyLevel,
    RectificationStatus,
    RootCause,
)
from bankdesk.remediation.payments import services as payments
from bankdesk.remediation.rectification import services as rectification

PAYEE = {"payee_name": "李女士", "payee_account": "6222000011112222", "payee_bank": "本行"}


@pytest.fixture
def order(people, decided):
    def make(amount="3000", **changes):
        decision = decided(amount, **changes)
        return payments.propose_payment(decision.complaint.handler, decision, kind="compensation", **PAYEE)
    return make


def _csv(response) -> list[list[str]]:
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


# --- Payment orders ----------------------------------------------------------------------------------------------

class TestPaymentPages:
    def test_the_list_shows_the_branchs_orders_with_filters_and_count(self, people, logged_in, order):
        first = order()
        order("1000")
        page = logged_in(people.head_a).get("/remediation/payments/")
        assert page.status_code == 200
        assert first.complaint.tracking_number in page.content.decode() and page.context["page"].total == 2
        found = logged_in(people.head_a).get("/remediation/payments/", {"number": first.complaint.tracking_number})
        assert [item.pk for item in found.context["page"].items] == [first.pk]
        assert logged_in(people.head_a).get("/remediation/payments/", {"number": str(first)}).context[
            "page"].total == 1
        assert logged_in(people.head_a).get("/remediation/payments/", {"status": "paid"}).context["page"].total == 0
        by_amount = logged_in(people.head_a).get("/remediation/payments/", {"sort": "amount"}).context["page"].items
        assert [item.amount for item in by_amount] == [Decimal("1000.00"), Decimal("3000.00")]

    def test_another_branch_sees_nothing_and_a_teller_is_refused(self, people, logged_in, order):
        first = order()
        assert logged_in(people.head_b).get("/remediation/payments/").context["page"].total == 0
        assert logged_in(people.head_b).get(f"/remediation/payments/{first.pk}/").status_code == 404
        assert logged_in(people.handler_b).get(
            f"/remediation/payments/new/{first.complaint_id}/").status_code == 404
        assert logged_in(people.teller).get("/remediation/payments/").status_code == 403
        assert logged_in(people.teller).get(f"/remediation/payments/{first.pk}/").status_code == 403

    def test_the_list_reads_the_same_queries_for_one_order_or_five(self, people, logged_in, order,
                                                                  django_assert_num_queries):
        order()
        client = logged_in(people.head_a)
        client.get("/remediation/payments/")
        # session, user, role assignments, the unit filter's choices, COUNT, the rows, the session's idle clock
        with django_assert_num_queries(7) as one:
            client.get("/remediation/payments/")
        for amount in ("100", "200", "300", "400"):
            order(amount, phone=f"1391234{amount}0")
        with django_assert_num_queries(len(one.captured_queries)):
            assert client.get("/remediation/payments/").context["page"].total == 5

    def test_the_export_streams_the_filtered_list_and_is_audited(self, people, logged_in, order):
        first = order()
        rows = _csv(logged_in(people.cp).get("/remediation/payments/export/"))
        assert len(rows) == 2 and rows[1][0] == str(first) and rows[1][3] == "3000.00"
        assert AuditEvent.objects.filter(action="remediation.export", object_repr="payment-orders").exists()
        assert logged_in(people.handler_a1).get("/remediation/payments/export/").status_code == 403

    def test_the_handler_proposes_from_the_approved_decision(self, people, logged_in, decided):
        decision = decided("2000")
        client = logged_in(decision.complaint.handler)
        url = f"/remediation/payments/new/{decision.complaint_id}/"
        assert client.get(url).status_code == 200
        refused = client.post(url, {"kind": "compensation", "amount": "9999", **PAYEE})
        assert refused.status_code == 200 and refused.context["form"].errors["amount"]
        assert refused.context["form"]["payee_name"].value() == "李女士"  # the form stays filled
        done = client.post(url, {"kind": "compensation", "amount": "", **PAYEE})
        created = PaymentOrder.objects.get()
        assert done.status_code == 302 and done["Location"] == f"/remediation/payments/{created.pk}/"
        assert created.amount == Decimal("2000.00") and created.proposed_by == decision.complaint.handler

    def test_approval_from_the_page_with_the_code_field_when_required(self, people, logged_in, order):
        pending = order()
        proposer_page = logged_in(pending.proposed_by).get(f"/remediation/payments/{pending.pk}/")
        assert proposer_page.context["approve_form"] is None  # nobody approves their own order
        page = logged_in(people.head_a).get(f"/remediation/payments/{pending.pk}/")
        assert "code" not in page.context["approve_form"].fields
        rules.set_value(people.bank.admin, "remediation.payment.require_code", "1", "启用动态口令")
        page = logged_in(people.head_a).get(f"/remediation/payments/{pending.pk}/")
        assert page.context["approve_form"].fields["code"].required
        refused = logged_in(people.head_a).post(f"/remediation/payments/{pending.pk}/approve/", {"code": "123456"})
        assert refused.status_code == 200 and refused.context["approve_form"].errors["code"]
        rules.set_value(people.bank.admin, "remediation.payment.require_code", "0", "停用")
        done = logged_in(people.head_a).post(f"/remediation/payments/{pending.pk}/approve/", {"note": "同意"})
        assert done.status_code == 302
        pending.refresh_from_db()
        assert pending.status == PaymentStatus.APPROVED

    def test_rejection_needs_a_reason(self, people, logged_in, order):
        pending = order()
        client = logged_in(people.head_a)
        assert client.post(f"/remediation/payments/{pending.pk}/reject/", {"reason": ""}).status_code == 200
        assert client.post(f"/remediation/payments/{pending.pk}/reject/",
                           {"reason": "账户不符"}).status_code == 302
        pending.refresh_from_db()
        assert pending.status == PaymentStatus.REJECTED

    def test_the_payment_file_then_the_reference(self, people, logged_in, order):
        pending = order()
        payments.approve_payment(people.head_a, pending)
        assert logged_in(people.head_a).post("/remediation/payments/file/").status_code == 403  # no pay right
        rows = _csv(logged_in(people.cp).post("/remediation/payments/file/"))
        assert rows[0][:3] == ["batch", "line", "order"] and rows[1][2] == str(pending)
        assert rows[1][3] == PAYEE["payee_account"] and rows[1][6] == "3000.00"
        pending.refresh_from_db()
        assert pending.status == PaymentStatus.EXPORTED
        again = _csv(logged_in(people.cp).get(f"/remediation/payments/files/{pending.export_batch}/"))
        assert again == rows
        assert logged_in(people.cp_b).get(f"/remediation/payments/files/{pending.export_batch}/").status_code == 404
        nothing = logged_in(people.cp).post("/remediation/payments/file/")
        assert nothing.status_code == 302  # no approved order left: a message, no file
        client = logged_in(people.cp)
        assert client.post(f"/remediation/payments/{pending.pk}/paid/", {"reference": ""}).status_code == 200
        assert client.post(f"/remediation/payments/{pending.pk}/paid/",
                           {"reference": "CB20260101-0001"}).status_code == 302
        pending.refresh_from_db()
        assert pending.status == PaymentStatus.PAID and pending.payment_reference == "CB20260101-0001"

    def test_the_approver_sets_up_the_authenticator(self, people, logged_in):
        client = logged_in(people.head_a)
        assert client.get("/remediation/authenticator/").status_code == 200
        assert client.post("/remediation/authenticator/", {"enrol": "1"}).status_code == 302
        page = client.get("/remediation/authenticator/")
        assert page.context["uri"].startswith("otpauth://totp/")
        assert client.post("/remediation/authenticator/", {"code": "000000"}).status_code == 200
        assert logged_in(people.teller).get("/remediation/authenticator/").status_code == 403


# --- Rectification -----------------------------------------------------------------------------------------------

@pytest.fixture
def item(people, decided):
    def make(**changes):
        complaint = decided(**changes).complaint
        Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED, closed_at=timezone.now())
        complaint.refresh_from_db()
        return rectification.open_for_complaint(people.head_a, complaint)
    return make


class TestRectificationPages:
    def test_list_filters_and_other_branch(self, people, logged_in, item):
        first = item()
        page = logged_in(people.head_a).get("/remediation/rectification/")
        assert page.status_code == 200 and [row.pk for row in page.context["page"].items] == [first.pk]
        assert page.context["page"].items[0].complaints == 1
        assert logged_in(people.head_a).get("/remediation/rectification/", {"status": "verified"}).context[
            "page"].total == 0
        assert logged_in(people.head_b).get("/remediation/rectification/").context["page"].total == 0
        assert logged_in(people.head_b).get(f"/remediation/rectification/{first.pk}/").status_code == 404
        assert logged_in(people.teller).get("/remediation/rectification/").status_code == 403

    def test_list_queries_do_not_grow(self, people, logged_in, item, django_assert_num_queries):
        item()
        client = logged_in(people.head_a)
        client.get("/remediation/rectification/")
        with django_assert_num_queries(8) as one:
            client.get("/remediation/rectification/")
        for number in range(3):
            item(phone=f"1370000010{number}")
        with django_assert_num_queries(len(one.captured_queries)):
            assert client.get("/remediation/rectification/").context["page"].total == 4

    def test_fill_report_verify(self, people, logged_in, item):
        open_item = item()
        client = logged_in(people.head_a)
        assert client.get(f"/remediation/rectification/{open_item.pk}/").context["item_form"] is not None
        assert client.post(f"/remediation/rectification/{open_item.pk}/report/").status_code == 302
        open_item.refresh_from_db()
        assert open_item.status == RectificationStatus.OPEN  # incomplete: refused with a message
        saved = client.post(f"/remediation/rectification/{open_item.pk}/edit/", {
            "root_cause": RootCause.objects.get(code="process").pk, "summary": "收费公示不清",
            "corrective_action": "退还手续费", "preventive_action": "修订公示流程", "owner": people.head_a.pk,
            "due_on": open_item.due_on.isoformat()})
        assert saved.status_code == 302, saved.context["item_form"].errors
        client.post(f"/remediation/rectification/{open_item.pk}/report/")
        open_item.refresh_from_db()
        assert open_item.status == RectificationStatus.REPORTED
        assert client.get(f"/remediation/rectification/{open_item.pk}/").context["verify_form"] is None
        assert client.post(f"/remediation/rectification/{open_item.pk}/verify/",
                           {"accepted": "yes", "note": "好"}).status_code == 403
        done = logged_in(people.cp).post(f"/remediation/rectification/{open_item.pk}/verify/",
                                         {"accepted": "yes", "note": "培训记录齐全"})
        assert done.status_code == 302
        open_item.refresh_from_db()
        assert open_item.status == RectificationStatus.VERIFIED

    def test_export_and_report(self, people, logged_in, item):
        first = item()
        rows = _csv(logged_in(people.cp).get("/remediation/rectification/export/"))
        assert rows[1][0] == str(first)
        assert logged_in(people.cp).get("/remediation/rectification/report/").status_code == 200


# --- Accountability ----------------------------------------------------------------------------------------------

@pytest.fixture
def record(people, decided):
    def make():
        complaint = decided(staff_concerned_id=people.teller.pk).complaint
        return accountability.propose(people.head_a, complaint, staff=people.teller,
                                      penalty=PenaltyLevel.objects.get(code="warning"), facts="服务态度差，经核实属实")
    return make


class TestAccountabilityPages:
    def test_propose_from_the_complaint(self, people, logged_in, decided):
        complaint = decided(staff_concerned_id=people.teller.pk).complaint
        url = f"/remediation/accountability/new/{complaint.pk}/"
        client = logged_in(people.head_a)
        assert client.get(url).context["form"].initial["staff"] == people.teller.pk
        refused = client.post(url, {"staff": people.teller.pk, "penalty": PenaltyLevel.objects.first().pk,
                                    "facts": ""})
        assert refused.status_code == 200 and refused.context["form"].errors["facts"]
        assert client.post(url, {"staff": people.teller.pk, "penalty": PenaltyLevel.objects.first().pk,
                                 "facts": "态度差"}).status_code == 302
        assert AccountabilityRecord.objects.get().proposed_by == people.head_a
        assert logged_in(people.head_b).get(url).status_code == 404
        assert logged_in(people.handler_a1).get(url).status_code == 403

    def test_list_decide_and_the_staff_members_appeal(self, people, logged_in, record):
        proposed = record()
        page = logged_in(people.cp).get("/remediation/accountability/")
        assert [row.pk for row in page.context["page"].items] == [proposed.pk]
        assert logged_in(people.head_b).get("/remediation/accountability/").context["page"].total == 0
        assert logged_in(people.head_b).get(f"/remediation/accountability/{proposed.pk}/").status_code == 404
        assert logged_in(people.head_a).get(f"/remediation/accountability/{proposed.pk}/").context[
            "decide_form"] is None  # the proposer
        assert logged_in(people.cp).post(f"/remediation/accountability/{proposed.pk}/decide/",
                                         {"approve": "yes"}).status_code == 302
        teller = logged_in(people.teller)
        assert teller.get("/remediation/accountability/").status_code == 403
        mine = teller.get("/remediation/my-accountability/")
        assert [row.pk for row in mine.context["records"]] == [proposed.pk]
        assert teller.post(f"/remediation/my-accountability/{proposed.pk}/",
                           {"text": "当日系统故障"}).status_code == 302
        proposed.refresh_from_db()
        assert proposed.status == AccountabilityStatus.APPEALED
        assert logged_in(people.head_a).get(f"/remediation/my-accountability/{proposed.pk}/").status_code == 404
        assert logged_in(people.cp).get(f"/remediation/accountability/{proposed.pk}/").context[
            "appeal_form"] is None  # approved it
        decided_appeal = logged_in(people.management).post(
            f"/remediation/accountability/{proposed.pk}/appeal-decision/",
            {"uphold": "no", "penalty": PenaltyLevel.objects.get(code="fine_100").pk, "note": "情节较轻"})
        assert decided_appeal.status_code == 302
        proposed.refresh_from_db()
        assert proposed.status == AccountabilityStatus.REVISED and proposed.penalty.code == "fine_100"

    def test_list_queries_and_export(self, people, logged_in, record, django_assert_num_queries):
        record()
        client = logged_in(people.cp)
        client.get("/remediation/accountability/")
        with django_assert_num_queries(8) as one:
            client.get("/remediation/accountability/")
        record()
        with django_assert_num_queries(len(one.captured_queries)):
            assert client.get("/remediation/accountability/").context["page"].total == 2
        rows = _csv(client.get("/remediation/accountability/export/"))
        assert len(rows) == 3


def test_the_menu_and_home_offer_remediation(people, logged_in, order):
    order()
    page = logged_in(people.head_a).get("/").content.decode()
    assert "/remediation/payments/" in page and "/remediation/my-accountability/" in page
    assert "/remediation/payments/" not in logged_in(people.teller).get("/").content.decode()
