"""Demo complaints at every stage of the lifecycle, made through the services as staff would.

Loaded once, when the demo bank has no complaint yet, so that `make run` shows the work pages,
clocks and timelines with something in them.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bankdesk.complaints.decisions import approval, callback, communication
from bankdesk.complaints.handling import investigation
from bankdesk.complaints.intake import registration
from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ClosureCode,
    Complaint,
    NonAcceptanceReason,
    PauseReason,
    RoutingRule,
)
from bankdesk.complaints.review import acceptance
from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.orgs.models import OrgUnit, User


@dataclass(frozen=True)
class DemoComplaint:
    stage: str
    name: str
    phone: str
    outlet: str
    category: str
    cause: str
    description: str
    demand: str
    days_ago: int = 0
    amount: Decimal | None = None


DEMO_ADDRESS = "北京市东城区示范大街 1 号"  # every demo customer may be answered by letter

COMPLAINTS = [
    DemoComplaint("registered", "李女士", "13900010001", "BR01-S01-O01", "counter_waiting", "attitude",
                  "在人民路网点排队一个多小时，只开了两个窗口，柜员态度冷淡。", "要求网点道歉并增开窗口", days_ago=4),
    DemoComplaint("registered", "王先生", "13900010002", "BR01-S02-O01", "card_fees", "pricing",
                  "信用卡年费在未告知的情况下被扣收 300 元。", "退还年费"),
    DemoComplaint("not_accepted", "赵先生", "13900010003", "BR01-S01-O02", "payment_transfer", "other",
                  "对法院冻结账户的裁定不服，要求银行解冻。", "解冻账户", days_ago=2),
    DemoComplaint("routed", "孙女士", "13900010004", "BR01-S03-O01", "ebanking_function", "quality",
                  "手机银行转账提示成功但对方未收到，客服说要等三天。", "尽快查明款项去向", days_ago=1),
    DemoComplaint("investigating", "周先生", "13900010005", "BR01-S01-O03", "card_collection", "collection",
                  "催收人员晚上十点多打电话到我单位，还联系了我的同事。", "停止骚扰并道歉", days_ago=3),
    DemoComplaint("proposed", "吴女士", "13900010006", "BR01-S02-O02", "counter_handling", "procedures",
                  "办理挂失时柜员多收了工本费，还让我跑了两趟。", "退还多收费用", days_ago=5, amount=Decimal("200")),
    DemoComplaint("communicated", "郑先生", "13900010007", "BR01-S03-O02", "wealth_sales", "marketing",
                  "理财经理推荐产品时没有说明风险，说是保本的。", "赔偿损失", days_ago=8),
    DemoComplaint("closed", "冯女士", "13900010008", "BR01-S01-O04", "debit_loss", "attitude",
                  "补卡时大堂经理态度很差，说我不会用手机就别来。", "道歉", days_ago=10),
    DemoComplaint("reopened", "陈先生", "13900010009", "BR01-S03-O03", "mortgage_prepay", "contract",
                  "提前还款收取违约金，合同里没有写明。", "退还违约金", days_ago=9),
    DemoComplaint("paused", "褚女士", "13900010010", "BR01-S02-O01", "payment_third_party", "privacy",
                  "我的银行卡被第三方支付绑定并扣款，我从未授权。", "追回款项", days_ago=2),
    DemoComplaint("routed", "卫先生", "13900010011", "BR02-S01-O01", "counter_waiting", "quality",
                  "建设路网点叫号系统故障，等了两个小时没人处理。", "改进服务", days_ago=1),
]


def _input(item: DemoComplaint, received_at) -> RegistrationInput:
    return RegistrationInput(
        complainant_name=item.name, phone=item.phone, channel=Channel.objects.get(code="hotline"),
        unit=OrgUnit.objects.get(code=item.outlet), business_category=BusinessCategory.objects.get(code=item.category),
        cause=Cause.objects.get(code=item.cause), description=item.description, demand=item.demand,
        received_at=received_at, incident_at=received_at - timedelta(days=1),
        incident_place=OrgUnit.objects.get(code=item.outlet).name, postal_address=DEMO_ADDRESS)


def _routing_rules(admin) -> None:
    for code, name in [("BR01", "东城分行辖内"), ("BR02", "西城分行辖内")]:
        branch = OrgUnit.objects.get(code=code)
        rule, created = RoutingRule.objects.get_or_create(
            name=name, defaults={"priority": 50, "unit": branch, "lead_department": branch})
        if created:
            rule.assisting_departments.add(OrgUnit.objects.get(code="HO-CARD"))


def _carry(item: DemoComplaint, complaint: Complaint, users: dict) -> None:
    """Take the complaint as far as its stage, each step by the member of staff who would take it."""
    handler, head, cp = complaint.handler, users["head_east"], users["cp_east"]
    investigation.start_handling(handler, complaint)
    investigation.add_note(handler, complaint, "已调取网点监控和业务流水，正在核实。")
    if item.stage == "investigating":
        investigation.request_assistance(handler, complaint, department=OrgUnit.objects.get(code="HO-CARD"),
                                         question="请提供该客户近一个月的催收通话记录。")
        investigation.log_contact(handler, complaint, channel="call", summary="致电客户，说明正在调取催收记录。")
        return
    if item.stage == "paused":
        investigation.pause_clock(handler, complaint, reason=PauseReason.objects.get(code="customer_material"),
                                  note="等待客户提供扣款短信截图和身份证明。")
        return
    remedies = ["apology", "compensation"] if item.amount else ["apology", "explanation"]
    approval.propose_decision(handler, complaint, finding="经核实，客户反映情况基本属实。", remedies=remedies,
                              basis="依据我行营业网点服务规范及相关业务制度，网点服务存在不足。",
                              compensation_amount=item.amount,
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    if item.stage == "proposed":
        return
    approval.approve_decision(head, complaint, note="同意")
    decision = approval.current_decision(complaint)
    communication.communicate_decision(handler, complaint, channel="sms",
                                       text=communication.decision_notice(complaint, decision))
    if item.stage == "closed":
        callback.record_callback(cp, complaint, reached=True, satisfaction="satisfied")
    elif item.stage == "reopened":
        callback.record_callback(cp, complaint, reached=True, satisfaction="not_satisfied",
                                 reason="客户认为补偿不足，要求核查。", reopen_kind="review")
        callback.screen_dissatisfaction(cp, complaint, outcome="reopen", reopen_kind="review",
                                        reason="补偿标准适用有误，需重新核查。")


def load_demo_complaints() -> int:
    """Create the demo complaints unless complaints already exist; returns how many were made."""
    if Complaint.objects.exists():
        return 0
    users = {user.username: user for user in User.objects.filter(
        username__in=["admin", "agent01", "cp_east", "cp_officer", "head_east"])}
    now = timezone.now()
    with audit.audit_context(source=AuditSource.IMPORT):
        _routing_rules(users["admin"])
        for item in COMPLAINTS:
            received_at = now - timedelta(days=item.days_ago)
            complaint = registration.register_complaint(users["agent01"], _input(item, received_at))
            if item.stage == "registered":
                continue
            if item.stage == "not_accepted":
                reason = NonAcceptanceReason.objects.get(code="decided_elsewhere")
                acceptance.refuse_complaint(users["cp_east"], complaint, reason=reason, notice_channel="phone",
                                            notice_text=acceptance.non_acceptance_notice(complaint, reason))
                continue
            complaint = acceptance.accept_complaint(users["cp_officer"], complaint)
            if item.stage != "routed":
                _carry(item, complaint, users)
    return len(COMPLAINTS)


def load(stdout) -> None:
    """The demo loader complaints registers (core's `load_demo` runs it)."""
    made = load_demo_complaints()
    if made:
        stdout.write(f"演示投诉 / demo complaints: {made}")
