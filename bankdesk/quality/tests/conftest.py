"""Outlet A of branch A with its head, a teller and a lobby manager; branch A's service-quality manager;
outlet B of branch B with its own head. Plus a second outlet in branch A."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind
from bankdesk.quality.models import ScamType
from bankdesk.quality.registers import services


class Outlets:
    pass


@pytest.fixture
def outlets(bank):
    world = Outlets()
    world.bank = bank
    world.outlet_a, world.outlet_b = bank.outlet_a, bank.outlet_b
    world.outlet_a2 = org_services.create_unit(bank.admin, code="A-O2", name="解放路网点", kind=UnitKind.OUTLET,
                                               parent=bank.branch_a)
    world.head_a = bank.user("outlet_head_a", Role.UNIT_HEAD, bank.outlet_a)
    world.teller_a = bank.user("teller_a", Role.TELLER, bank.outlet_a)
    world.lobby_a = bank.user("lobby_a", Role.LOBBY_MANAGER, bank.outlet_a)
    world.teller_a2 = bank.user("teller_a2", Role.TELLER, world.outlet_a2)
    world.sqm = bank.user("sqm_a", Role.CONSUMER_PROTECTION, bank.branch_a)
    world.head_b = bank.user("outlet_head_b", Role.UNIT_HEAD, bank.outlet_b)
    world.teller_b = bank.user("teller_b", Role.TELLER, bank.outlet_b)
    world.auditor = bank.user("auditor_q", Role.AUDITOR, bank.root)
    world.handler = bank.user("handler_q", Role.HANDLER, bank.branch_a)
    return world


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def scam(code: str = "loss_refund") -> ScamType:
    return ScamType.objects.get(code=code)


def interception(actor, unit, **changes):
    values = dict(occurred_on=days_ago(3), unit=unit, setting="counter", trigger="nervous", scam_type=scam(),
                  description="客户神色慌张，要求打印流水，称有人可帮其追回被骗资金。", amount_protected=Decimal(60000),
                  customer_age_group="60_69", police_involved=True)
    values.update(changes)
    return services.record_interception(actor, **values)


def commendation(actor, unit, **changes):
    values = dict(channel="banner", received_on=days_ago(2), unit=unit, summary="为困难家庭上门核实、特事特办。",
                  praised_by="白山村民委员会")
    values.update(changes)
    return services.record_commendation(actor, **values)


def care(actor, unit, **changes):
    values = dict(kind="home_visit", customer_group="elderly", customer_label="喻老太太", service_on=days_ago(1),
                  unit=unit, description="社保卡到期，行动不便，上门激活。")
    values.update(changes)
    return services.record_care_service(actor, **values)
