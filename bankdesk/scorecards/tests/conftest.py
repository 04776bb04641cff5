"""A call center with QA inspectors, agents, and a published call scorecard to score on."""

from decimal import Decimal

import pytest

from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind
from bankdesk.scorecards import services
from bankdesk.scorecards.models import AnswerType, ScorecardKind


class QaDesk:
    pass


@pytest.fixture
def qa(bank):
    desk = QaDesk()
    desk.bank = bank
    desk.cc = org_services.create_unit(bank.admin, code="CC", name="客户服务中心", kind=UnitKind.CALL_CENTER,
                                       parent=bank.root)
    desk.inspector = bank.user("qa1", Role.QA_INSPECTOR, desk.cc)
    desk.inspector2 = bank.user("qa2", Role.QA_INSPECTOR, desk.cc)
    desk.inspector_b = bank.user("qa_b", Role.QA_INSPECTOR, bank.branch_b)
    desk.agent = bank.user("agent_cc", Role.AGENT, desk.cc)
    desk.agent2 = bank.user("agent_cc2", Role.AGENT, desk.cc)
    return desk


def build_scorecard(actor, unit, *, code="CALL-1", kind=ScorecardKind.CALL, pass_mark=Decimal("80"), publish=True):
    """Sections "opening" (weight 40: greeting 10, identity check 10 fatal) and "solution" (weight 60:
    accuracy 0-20 points, closing 10 that may be not applicable)."""
    scorecard = services.create_scorecard(actor, code=code, name="来电质检", kind=kind, unit=unit, pass_mark=pass_mark)
    draft = scorecard.versions.get()
    opening = services.add_section(actor, draft, title="开场", weight=Decimal(40))
    services.add_item(actor, opening, text="规范问候", max_points=Decimal(10))
    services.add_item(actor, opening, text="核实客户身份", max_points=Decimal(10), is_fatal=True)
    solution = services.add_section(actor, draft, title="解决问题", weight=Decimal(60))
    services.add_item(actor, solution, text="业务解答准确", max_points=Decimal(20), answer_type=AnswerType.POINTS)
    services.add_item(actor, solution, text="规范结束语", max_points=Decimal(10), na_allowed=True)
    if publish:
        services.publish(actor, draft)
    return scorecard


@pytest.fixture
def call_card(qa):
    return build_scorecard(qa.inspector, qa.cc)


def items_of(version) -> dict[str, int]:
    """Item ids by their text."""
    from bankdesk.scorecards.models import Item

    return dict(Item.objects.filter(section__version=version).values_list("text", "id"))
