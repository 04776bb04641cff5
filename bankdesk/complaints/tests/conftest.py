from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.complaints.intake import RegistrationInput
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, RoutingRule
from bankdesk.core.services import seed_calendar_from_package
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind


@pytest.fixture
def desk(bank):
    """The bank of the shared fixture with departments, handlers and a routing rule per branch."""
    seed_calendar_from_package()
    card_department = org_services.create_unit(bank.admin, code="CARD", name="信用卡中心", kind=UnitKind.DEPARTMENT,
                                               parent=bank.root)
    rule_a = RoutingRule.objects.create(priority=50, name="东城分行", unit=bank.branch_a, lead_department=bank.branch_a)
    RoutingRule.objects.create(priority=50, name="西城分行", unit=bank.branch_b, lead_department=bank.branch_b)
    RoutingRule.objects.create(priority=10, name="信用卡", business_category=BusinessCategory.objects.get(
        code="credit_card"), lead_department=card_department)
    rule_a.assisting_departments.add(card_department)

    class Desk:
        pass

    desk = Desk()
    desk.bank = bank
    desk.card_department = card_department
    desk.cp = bank.user("cp", Role.CONSUMER_PROTECTION, bank.root)
    desk.cp_b = bank.user("cp_b", Role.CONSUMER_PROTECTION, bank.branch_b)
    desk.handler_a1 = bank.user("handler_a1", Role.HANDLER, bank.branch_a)
    desk.handler_a2 = bank.user("handler_a2", Role.HANDLER, bank.branch_a)
    desk.handler_b = bank.user("handler_b", Role.HANDLER, bank.branch_b)
    desk.handler_card = bank.user("handler_card", Role.HANDLER, card_department)
    desk.head_a = bank.user("head_a", Role.UNIT_HEAD, bank.branch_a)
    desk.agent = bank.user("agent1", Role.AGENT, bank.root)
    desk.teller = bank.user("teller1", Role.TELLER, bank.outlet_a)
    return desk


@pytest.fixture
def registration(desk):
    def make(**changes):
        values = dict(
            complainant_name="李女士", phone="13912345678", channel=Channel.objects.get(code="hotline"),
            unit=desk.bank.outlet_a, business_category=BusinessCategory.objects.get(code="counter_waiting"),
            cause=Cause.objects.get(code="attitude"), description="在人民路网点排队一个多小时，柜员态度冷淡。",
            demand="要求道歉", received_at=timezone.now() - timedelta(minutes=5),
        )
        values.update(changes)
        return RegistrationInput(**values)

    return make


AMOUNT = Decimal("1000.00")
