"""Demo outlet service quality for 东城分行 (BR01): its outlet staff and service-quality manager, the three
shipped checklists, six months of customer counts and evaluator results, commendations, fraud
interceptions, care services, service-star rounds, inspection visits with photos and follow-up actions
(some closed, some overdue), and star ratings by month and quarter. Made through the services, once;
past visits are dated back afterwards so the ratings have a history."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.orgs import services as org_services
from bankdesk.orgs.demo import DEMO_PASSWORD, grant_directly
from bankdesk.orgs.models import OrgUnit, Role, UnitKind, User
from bankdesk.quality.awards import services as awards
from bankdesk.quality.figures import services as figures
from bankdesk.quality.inspections import chasing, checklists
from bankdesk.quality.inspections import services as inspections
from bankdesk.quality.models import (
    Commendation,
    FollowUpAction,
    ScamType,
    Visit,
    VisitMethod,
)
from bankdesk.quality.ratings import services as ratings
from bankdesk.quality.registers import services as registers
from bankdesk.scorecards.evaluations import Answer
from bankdesk.scorecards.models import Evaluation, Item, Scorecard

OUTLET = "BR01-S01-O01"  # 人民路网点: the demo outlet of outlet_head01, teller02, lobby02
# (username, name, role, unit code)
USERS = [
    ("outlet_head01", "林主任", Role.UNIT_HEAD, OUTLET),
    ("teller02", "黄柜员", Role.TELLER, OUTLET),
    ("lobby02", "杨大堂", Role.LOBBY_MANAGER, OUTLET),
    ("sqm01", "沈服务经理", Role.CONSUMER_PROTECTION, "BR01"),
]
PRAISE = [
    ("banner", "太和镇白山村民委员会", "网点负责人和客服经理驾车上门核实困难家庭情况，特事特办为未成年人重置社保卡密码。"),
    ("comments_book", "董先生", "协助行动不便的母亲跨省换领社保卡并激活金融功能，解决医疗报销难题。"),
    ("letter", "刘女士", "柜员耐心讲解手机银行操作，帮助老人学会查询养老金到账。"),
    ("online", "网友“晨跑的老王”", "大堂经理主动引导分流，排队时间比以往短了很多。"),
    ("call", "陈先生", "客服经理及时识别诈骗电话并劝阻，保住了三万元积蓄。"),
]
CARE = [
    ("home_visit", "bedridden", "喻老太太", "社保卡到期，长期卧床无法到网点，上门办理激活。"),
    ("near_home", "elderly", "张大爷", "在社区驿站办理养老金卡密码重置。"),
    ("accompanied", "military", "退役军人王先生", "全程陪同办理开户和社保卡关联。"),
    ("appointment", "disabled", "听障客户李女士", "预约手语服务办理定期存款转存。"),
    ("cross_region", "elderly", "赵奶奶", "协调外省开户行补办存折。"),
]
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63"
                         "f8cfc0f01f0005000201a5f9b9b30000000049454e44ae426082")


def _months_back(count: int) -> date:
    year, month = divmod(timezone.localdate().year * 12 + timezone.localdate().month - 1 - count, 12)
    return date(year, month + 1, 1)


def _users(admin) -> dict[str, User]:
    found = {}
    for number, (username, name, role, code) in enumerate(USERS, start=1):
        unit = OrgUnit.objects.get(code=code)
        user = User.objects.filter(username=username).first() or org_services.create_user(
            admin, username=username, display_name=name, password=DEMO_PASSWORD, home_unit=unit,
            staff_number=f"Q{number:04d}", mobile=f"1390000{number:04d}")
        grant_directly(admin, user, role, unit)
        found[username] = user
    return found


def _checklists(owner) -> dict[str, Scorecard]:
    root = OrgUnit.objects.get(code="HO")
    return {code: Scorecard.objects.filter(code=code).first() or checklists.install(owner, template=code, unit=root)
            for code in checklists.templates()}


def _figures(sqm, outlets, rng: random.Random) -> None:
    for outlet in outlets:
        customers = rng.randrange(12000, 30000, 500)
        for back in range(6, -1, -1):
            month = _months_back(back)
            figures.set_customer_count(sqm, unit=outlet, month=month, customers=customers + rng.randrange(-800, 800))
            responses = rng.randrange(300, 900)
            figures.set_evaluator_tally(sqm, unit=outlet, month=month, responses=responses,
                                        satisfied=int(responses * rng.uniform(0.86, 0.995)))


def _staff_of(outlet) -> list[User]:
    return list(User.objects.filter(home_unit=outlet, is_active=True).order_by("username"))


def _registers(sqm, outlets, rng: random.Random) -> None:
    today = timezone.localdate()
    scams = list(ScamType.objects.filter(is_active=True))
    for index, outlet in enumerate(outlets):
        staff = _staff_of(outlet)
        for number in range(3 if index else 8):
            channel, who, summary = PRAISE[(index + number) % len(PRAISE)]
            registers.record_commendation(sqm, channel=channel, received_on=today - timedelta(days=rng.randrange(1, 170)),
                                          unit=outlet, summary=summary, praised_by=who,
                                          staff=rng.choice(staff) if staff else None)
        for number in range(2 if index else 5):
            registers.record_interception(
                sqm, occurred_on=today - timedelta(days=rng.randrange(1, 170)), unit=outlet,
                setting=rng.choice(["counter", "counter", "lobby", "phone"]),
                trigger=rng.choice(["nervous", "on_the_phone", "statement_request", "unusual_transfer"]),
                scam_type=rng.choice(scams), staff=rng.choice(staff) if staff else None,
                description="客户称有人来电可帮其追回以往被骗资金，要求转账支付手续费，经劝阻并报警后放弃转账。",
                amount_protected=Decimal(rng.randrange(5, 300) * 1000), police_involved=rng.random() < 0.6,
                customer_age_group=rng.choice(["35_59", "60_69", "70_plus", "18_34"]))
        _care(sqm, outlet, staff, index, rng)


def _care(sqm, outlet, staff, index: int, rng: random.Random) -> None:
    today = timezone.localdate()
    for number in range(2 if index else 6):
        kind, group, label, need = CARE[(index + number) % len(CARE)]
        registers.record_care_service(sqm, kind=kind, customer_group=group, customer_label=label, unit=outlet,
                                      service_on=today - timedelta(days=rng.randrange(1, 150)), description=need,
                                      staff=rng.choice(staff) if staff else None, outcome_note="已办结，客户满意。")
    if index == 0:
        for days in (0, 3):  # one appointment due today, one ahead
            registers.record_care_service(sqm, kind="appointment", customer_group="elderly", customer_label="周阿姨",
                                          unit=outlet, service_on=today + timedelta(days=days), outcome="scheduled",
                                          description="预约上门办理存折挂失补办。")


def _stars(head, outlet, rng: random.Random) -> None:
    staff = [user for user in _staff_of(outlet) if user.pk != head.pk]
    for back, publish in ((1, True), (0, False)):
        star_round = awards.open_round(head, unit=outlet, month=_months_back(back))
        for person in staff[: len(staff) if publish else 2]:
            awards.set_scores(head, star_round, staff=person, team_score=rng.randint(80, 98),
                              operations_score=rng.randint(78, 99), lobby_score=rng.randint(80, 99),
                              customer_score=Decimal(rng.randint(8500, 9900)) / 100, customer_forms=rng.randint(8, 30))
        if publish:
            awards.publish_round(head, star_round)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _answers(version, rng: random.Random, misses: int) -> list[Answer]:
    items = list(Item.objects.filter(section__version=version).order_by("section__position", "position"))
    failing = {item.pk for item in rng.sample([item for item in items if not item.is_fatal], misses)}
    return [Answer(item.pk, ("2" if item.pk in failing else str(item.max_points)) if item.answer_type == "points"
                   else ("no" if item.pk in failing else "na" if item.na_allowed and rng.random() < 0.2 else "yes"),
                   "现场发现未做到" if item.pk in failing else "") for item in items]


def _past_visit(sqm, outlet, method: str, scorecard, day: date, rng: random.Random) -> Visit:
    version = scorecard.versions.get(status="published")
    visit = inspections.schedule_visit(sqm, method=method, unit=outlet, scheduled_for=day, version=version,
                                       plan_note="按检查表逐项检查，重点关注站立微笑服务和大堂分流。")
    visit = inspections.submit_visit(sqm, visit, _answers(version, rng, rng.randint(1, 4)), comment="整体较好，个别项目需整改。")
    Visit.objects.filter(pk=visit.pk).update(completed_at=_moment(day))
    Evaluation.objects.filter(pk=visit.evaluation_id).update(created_at=_moment(day), submitted_at=_moment(day),
                                                             occurred_at=_moment(day))
    return visit


def _visits(sqm, head, outlets, cards, rng: random.Random) -> None:
    today = timezone.localdate()
    plan = [(VisitMethod.VIDEO, "VIDEO-36"), (VisitMethod.MYSTERY, "MYSTERY-37"), (VisitMethod.ONSITE, "CBA-168"),
            (VisitMethod.JOURNEY, "CBA-168")]
    for index, outlet in enumerate(outlets):
        for back in (3, 2, 1):
            method, code = plan[(index + back) % len(plan)]
            day = _months_back(back) + timedelta(days=rng.randint(3, 24))
            visit = _past_visit(sqm, outlet, method, cards[code], day, rng)
            FollowUpAction.objects.filter(visit=visit).update(due_on=day + timedelta(days=14))
            if back > 1:
                _close_follow_ups(sqm, visit)
    first = Visit.objects.filter(unit=outlets[0]).order_by("-scheduled_for").first()
    inspections.add_photos(sqm, first, [_photo("厅堂环境.png"), _photo("柜面服务.png")], "检查现场照片")
    for days, method, code in ((2, VisitMethod.VIDEO, "VIDEO-36"), (9, VisitMethod.MYSTERY, "MYSTERY-37")):
        inspections.schedule_visit(sqm, method=method, unit=outlets[0], scheduled_for=today + timedelta(days=days),
                                   version=cards[code].versions.get(status="published"))
    for action in FollowUpAction.objects.filter(unit=outlets[0], status="open")[:1]:
        inspections.report_fixed(head, action, "已组织晨会演练并复查录像。")


def _close_follow_ups(sqm, visit) -> None:
    for action in visit.follow_ups.all():
        owner = action.owner
        inspections.report_fixed(owner, action, "已按要求完成整改。")
        if owner.pk != sqm.pk:
            inspections.verify(sqm, action, accepted=True, note="复查合格，销号。")


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_PNG)


def _ratings(sqm) -> None:
    branch = OrgUnit.objects.get(code="BR01")
    for back in (3, 2, 1):
        ratings.compute_ratings(sqm, unit=branch, period_start=_months_back(back), months=1)
    ratings.compute_ratings(sqm, unit=branch, period_start=_months_back(3), months=3)


def load(stdout) -> None:
    if Commendation.objects.exists():
        stdout.write("Outlet service quality demo: already loaded")
        return
    rng = random.Random(16)
    with audit.audit_context(source=AuditSource.IMPORT):
        admin = User.objects.get(username="admin")
        users = _users(admin)
        sqm, head = users["sqm01"], users["outlet_head01"]
        outlets = list(OrgUnit.objects.subtree(OrgUnit.objects.get(code="BR01")).filter(
            kind=UnitKind.OUTLET, is_active=True).order_by("path"))
        cards = _checklists(User.objects.get(username="cp_officer"))
        _figures(sqm, outlets, rng)
        _registers(sqm, outlets, rng)
        _stars(head, outlets[0], rng)
        _visits(sqm, head, outlets[:6], cards, rng)
        _ratings(sqm)
        chasing.chase()
    stdout.write("Outlet service quality demo: 东城分行's outlets, checklists, visits, ratings; logins "
                 + ", ".join(f"{username} ({name})" for username, name, _role, _unit in USERS))
