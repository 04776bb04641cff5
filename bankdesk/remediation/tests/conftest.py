from decimal import Decimal

import pytest

from bankdesk.complaints.decisions import approval
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import ClosureCode
from bankdesk.complaints.review import acceptance
from bankdesk.orgs.models import Role


@pytest.fixture
def people(desk):
    """The shared desk with management at the head office and a second head of branch A."""
    desk.management = desk.bank.user("boss", Role.MANAGEMENT, desk.bank.root)
    desk.head_a2 = desk.bank.user("head_a2", Role.UNIT_HEAD, desk.bank.branch_a)
    desk.head_b = desk.bank.user("head_b", Role.UNIT_HEAD, desk.bank.branch_b)
    desk.handler_hq = desk.bank.user("handler_hq", Role.HANDLER, desk.bank.root)
    return desk


@pytest.fixture
def decided(people, registration):
    """A complaint at branch A's outlet with an approved decision (compensation `amount`, a fee refund too)."""
    def make(amount="3000", closure="bank_at_fault", remedies=("apology", "compensation", "fee_refund"),
             refund="50", **changes):
        complaint = acceptance.accept_complaint(people.cp, register_complaint(people.agent, registration(**changes)))
        decision = approval.propose_decision(
            complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=list(remedies),
            compensation_amount=Decimal(amount) if "compensation" in remedies else None,
            fee_refund_amount=Decimal(refund) if "fee_refund" in remedies else None,
            closure_code=ClosureCode.objects.get(code=closure))
        complaint.refresh_from_db()
        approval.approve_decision(people.management, complaint)
        decision.refresh_from_db()
        return decision

    return make
