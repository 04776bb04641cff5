"""Payment orders under maker-checker: who may approve, limits per role and unit, two approvers, the
one-time code, the payment file and the payment reference."""

import csv
import io
import time
from decimal import Decimal

import pytest
import time_machine

from bankdesk.core import rules
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.remediation.models import AuthorityLimit, PaymentStatus
from bankdesk.remediation.payments import codes, payment_file, services

PAYEE = {"payee_name": "李女士", "payee_account": "6222 0000 1111 2222", "payee_bank": "本行"}


def propose(decision, actor=None, **changes):
    values = {"kind": "compensation", **PAYEE, **changes}
    return services.propose_payment(actor or decision.complaint.handler, decision, **values)


def test_the_order_takes_the_decisions_compensation_and_no_more(decided):
    decision = decided("3000")
    first = propose(decision, amount="1000")
    second = propose(decision)  # the rest
    assert (first.amount, second.amount) == (Decimal("1000.00"), Decimal("2000.00"))
    with pytest.raises(ValidationFailed) as refused:
        propose(decision, amount="0.01")
    assert refused.value.field == "amount"
    refund = propose(decision, kind="fee_refund", amount="35.5")
    assert refund.amount == Decimal("35.50") and refund.status == PaymentStatus.PROPOSED
    event = AuditEvent.objects.get(action="remediation.payment.propose", object_id=str(refund.pk))
    assert event.after["payee_account"] == "****2222" and "6222" not in str(event.after)


def test_a_decision_without_the_remedy_pays_nothing_and_a_proposed_one_is_not_paid(decided):
    decision = decided(remedies=("apology",))
    with pytest.raises(ValidationFailed) as refused:
        propose(decision, amount="10")
    assert refused.value.field == "kind"


def test_nobody_approves_their_own_order(people, decided):
    order = propose(decided(), actor=people.cp)
    with pytest.raises(ValidationFailed) as refused:
        services.approve_payment(people.cp, order)
    assert refused.value.code == "self_approval"
    assert services.payment_refusal(people.management, order) is None


def test_nobody_approves_an_order_about_their_own_conduct(people, decided):
    order = propose(decided(staff_concerned_id=people.head_a.pk))
    with pytest.raises(ValidationFailed) as refused:
        services.approve_payment(people.head_a, order)
    assert refused.value.code == "concerned"
    services.approve_payment(people.head_a2, order)


def test_the_limit_must_cover_the_amount(people, decided):
    order = propose(decided("8000"))  # a head approves up to 5,000 yuan by default
    with pytest.raises(ValidationFailed) as refused:
        services.approve_payment(people.head_a, order)
    assert refused.value.code == "over_limit"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PROPOSED and not order.approvals.exists()
    services.approve_payment(people.cp, order)
    order.refresh_from_db()
    assert order.status == PaymentStatus.APPROVED


def test_the_limit_table_sets_a_limit_per_role_and_unit(people, decided):
    order = propose(decided("8000"))
    AuthorityLimit.objects.create(role="unit_head", unit=None, limit_yuan=Decimal("6000"))
    AuthorityLimit.objects.create(role="unit_head", unit=people.bank.branch_a, limit_yuan=Decimal("9000"))
    AuthorityLimit.objects.create(role="unit_head", unit=people.bank.branch_b, limit_yuan=Decimal("100"))
    assert services.payment_refusal(people.head_a, order) is None  # branch A's entry is the most specific
    AuthorityLimit.objects.filter(unit=people.bank.branch_a).update(is_active=False)
    assert services.payment_refusal(people.head_a, order).code == "over_limit"  # the bank-wide 6,000


def test_above_the_threshold_two_different_people_approve(people, decided):
    order = propose(decided("20000"))  # above the default 10,000
    assert order.approvals_needed == 2
    services.approve_payment(people.cp, order)
    order.refresh_from_db()
    assert order.status == PaymentStatus.PARTLY_APPROVED
    with pytest.raises(ValidationFailed) as refused:
        services.approve_payment(people.cp, order)
    assert refused.value.code == "second_approver"
    with pytest.raises(ValidationFailed):
        services.approve_payment(people.head_a, order)  # 20,000 is above a head's limit
    services.approve_payment(people.management, order)
    order.refresh_from_db()
    assert order.status == PaymentStatus.APPROVED
    assert list(order.approvals.values_list("approver__username", flat=True)) == ["cp", "boss"]
    assert AuditEvent.objects.filter(action="remediation.payment.approve", object_id=str(order.pk)).count() == 2


def test_below_the_threshold_one_approval_is_enough(people, decided):
    rules.set_value(people.bank.admin, "remediation.payment.two_approvals_above_yuan", "50000", "调整")
    order = propose(decided("20000"))
    assert order.approvals_needed == 1


def test_a_rejection_needs_a_reason_and_closes_the_order(people, decided):
    order = propose(decided())
    with pytest.raises(ValidationFailed):
        services.reject_payment(people.head_a, order, reason=" ")
    services.reject_payment(people.head_a, order, reason="收款账户与客户不符")
    order.refresh_from_db()
    assert order.status == PaymentStatus.REJECTED and order.rejection_reason == "收款账户与客户不符"
    with pytest.raises(Conflict):
        services.approve_payment(people.cp, order)


def test_a_code_is_required_when_the_rule_says_so(people, decided):
    rules.set_value(people.bank.admin, "remediation.payment.require_code", "1", "启用动态口令")
    order = propose(decided())
    with pytest.raises(ValidationFailed) as refused:
        services.approve_payment(people.head_a, order, code="123456")
    assert refused.value.code == "code_required"  # no authenticator yet
    device = codes.enrol(people.head_a)
    now = time.time()
    codes.confirm(people.head_a, codes.code_at(device.secret, codes.current_step(now)), now=now)
    later = now + 2 * codes.STEP_SECONDS
    right = codes.code_at(device.secret, codes.current_step(later))
    with time_machine.travel(later, tick=False):
        with pytest.raises(ValidationFailed):
            services.approve_payment(people.head_a, order, code=str((int(right) + 1) % 1_000_000).zfill(6))
        services.approve_payment(people.head_a, order, code=right)
    order.refresh_from_db()
    assert order.status == PaymentStatus.APPROVED and order.approvals.get().confirmed_by_code


def test_a_code_is_used_once(people):
    device = codes.enrol(people.cp)
    now = 1_800_000_000
    code = codes.code_at(device.secret, codes.current_step(now))
    codes.confirm(people.cp, code, now=now)
    with pytest.raises(ValidationFailed):
        codes.check(people.cp, code, now=now)


def test_the_totp_codes_are_rfc_6238s():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # the RFC's SHA-1 key "12345678901234567890"
    assert codes.code_at(secret, 59 // 30) == "287082"
    assert codes.code_at(secret, 1111111109 // 30) == "081804"


def _approved(people, decided, **changes):
    order = propose(decided(), **changes)
    services.approve_payment(people.head_a, order)
    return order


def test_the_payment_file_holds_the_approved_orders_once(people, decided):
    order = _approved(people, decided)
    propose(decided())  # not approved: not in the file
    batch, rows = payment_file.export_payment_file(people.cp)
    assert rows[0] == payment_file.HEADER and len(rows) == 2
    assert rows[1] == [batch, "1", str(order), "6222000011112222", "李女士", "本行", "3000.00", "CNY",
                       rows[1][8], order.complaint.tracking_number]
    order.refresh_from_db()
    assert order.status == PaymentStatus.EXPORTED and order.export_batch == batch
    with pytest.raises(ValidationFailed):
        payment_file.export_payment_file(people.cp)  # nothing left
    assert payment_file.download_batch(people.cp, batch) == rows
    assert AuditEvent.objects.filter(action="remediation.payment.export").count() == 3  # order, file, again
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert "3000.00" in buffer.getvalue()


def test_the_payment_file_is_limited_to_the_exporters_reach(people, decided):
    _approved(people, decided)
    exporter_b = people.bank.user("cp_b2", "consumer_protection", people.bank.branch_b)
    with pytest.raises(ValidationFailed):
        payment_file.export_payment_file(exporter_b)
    with pytest.raises(PermissionDenied):
        payment_file.export_payment_file(people.handler_a1)


def test_an_order_is_paid_only_with_the_reference_after_the_file(people, decided):
    order = _approved(people, decided)
    with pytest.raises(Conflict):
        services.mark_paid(people.cp, order, reference="CB20261205001")  # not exported yet
    payment_file.export_payment_file(people.cp)
    with pytest.raises(ValidationFailed):
        services.mark_paid(people.cp, order, reference="")
    services.mark_paid(people.cp, order, reference="CB20261205001")
    order.refresh_from_db()
    assert order.status == PaymentStatus.PAID and order.payment_reference == "CB20261205001"


def test_another_branch_sees_nothing(people, decided):
    order = propose(decided())
    with pytest.raises(NotFound):
        services.approve_payment(people.head_b, order)
    with pytest.raises(NotFound):
        services.propose_payment(people.handler_b, order.decision, kind="compensation", amount="1", **PAYEE)
    with pytest.raises(PermissionDenied):
        services.approve_payment(people.handler_a2, order)
