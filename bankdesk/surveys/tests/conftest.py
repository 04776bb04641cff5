"""Fixtures of the surveys tests: a call center with interviewers, a questionnaire, closed and
communicated complaints."""

import pytest
from django.utils import timezone

from bankdesk.complaints.decisions import approval, callback, communication
from bankdesk.complaints.models import ClosureCode
from bankdesk.complaints.tests.conftest import routed  # noqa: F401  (a fixture)
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind
from bankdesk.surveys import services
from bankdesk.surveys.models import CampaignKind, QuestionKind, TargetSource
from bankdesk.surveys.services import CampaignInput, QuestionInput

QUESTIONS = [
    QuestionInput(QuestionKind.SCALE, "您对处理结果的满意程度（1–5分）？"),
    QuestionInput(QuestionKind.YES_NO, "工作人员是否及时联系了您？"),
    QuestionInput(QuestionKind.CHOICE, "您最希望改进哪一方面？", ["效率", "态度", "环境"]),
    QuestionInput(QuestionKind.TEXT, "还有什么意见或建议？", required=False),
]


@pytest.fixture
def center(desk):
    bank = desk.bank
    cc = org_services.create_unit(bank.admin, code="CC", name="客户服务中心", kind=UnitKind.CALL_CENTER, parent=bank.root)

    class Center:
        pass

    center = Center()
    center.desk, center.bank, center.unit = desk, bank, cc
    center.cp = desk.cp
    center.head = bank.user("cc_head", Role.UNIT_HEAD, cc)
    center.interviewer1 = bank.user("survey_a", Role.AGENT, cc)
    center.interviewer2 = bank.user("survey_b", Role.AGENT, cc)
    center.outsider = bank.user("agent_b", Role.AGENT, bank.branch_b)
    center.teller = desk.teller
    return center


@pytest.fixture
def questionnaire(center):
    return services.create_questionnaire(center.cp, code="SAT", name="投诉处理满意度回访", questions=QUESTIONS)


@pytest.fixture
def closure_code(db):
    return ClosureCode.objects.get(code="bank_at_fault")


@pytest.fixture
def communicated(desk, routed, closure_code):  # noqa: F811
    """A complaint whose decision the customer has: its callback is due."""
    def make(**changes):
        complaint = routed(**changes)
        approval.propose_decision(desk.handler_a1, complaint, finding="柜员未按规定叫号，属实。", basis="依据服务规范。",
                                  remedies=["apology"], closure_code=closure_code)
        approval.approve_decision(desk.head_a, complaint)
        decision = approval.current_decision(complaint)
        communication.communicate_decision(desk.handler_a1, complaint, channel="sms",
                                           text=communication.decision_notice(complaint, decision))
        complaint.refresh_from_db()
        return complaint

    return make


@pytest.fixture
def closed(desk, communicated):
    def make(**changes):
        complaint = communicated(**changes)
        callback.record_callback(desk.cp, complaint, reached=True, satisfaction="satisfied")
        complaint.refresh_from_db()
        return complaint

    return make


@pytest.fixture
def survey_of_closed(center, questionnaire):
    """A satisfaction survey owned by the call center, of branch A's complaints closed today."""
    def make(unit=None, start=None, end=None):
        today = timezone.localdate()
        return services.create_campaign(center.cp, CampaignInput(
            name="三月投诉满意度调查", kind=CampaignKind.SURVEY, source=TargetSource.CLOSED_COMPLAINTS,
            unit=center.unit, questionnaire=questionnaire, source_unit=unit or center.bank.branch_a,
            period_start=start or today, period_end=end or today))

    return make
