"""Demo quality monitoring: a call QA scorecard (seed 002's monitoring practice), a complaint-handling
scorecard, six months of call evaluations of the demo agents (agent01, and the call-center demo's
cc_agent01-05 when it is loaded), a calibration session of qa01 and qa02, and evaluations of the demo
complaints' handling; and the previous working day of team one (CC-T1) for its pre-shift briefing: a fatal
slip and a low score, the calibration closed, a complaint about an agent and a customer calling twice about
their complaint. Made through the services, once."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from bankdesk.complaints.handling import enquiries
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import BusinessCategory, CallerEnquiry, Cause, Channel, Complaint, Status
from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.orgs import services as org_services
from bankdesk.orgs.demo import DEMO_PASSWORD, grant_directly
from bankdesk.orgs.models import OrgUnit, Role, User
from bankdesk.scorecards import evaluations, services
from bankdesk.scorecards.briefing import previous_working_day
from bankdesk.scorecards.evaluations import NO, NOT_APPLICABLE, YES, Answer
from bankdesk.scorecards.models import AnswerType, CalibrationSession, Evaluation, Item, Scorecard, ScorecardKind

YES_NO, POINTS = AnswerType.YES_NO, AnswerType.POINTS


@dataclass(frozen=True)
class DemoItem:
    text: str
    points: int
    answer_type: str = YES_NO
    is_fatal: bool = False
    na_allowed: bool = False


CALL_CARD = [  # (section, weight, items)
    ("开场服务", 10, [DemoItem("使用标准问候语并报工号", 5), DemoItem("语速适中、语调亲切", 5, POINTS)]),
    ("身份核实与信息安全", 20, [DemoItem("办理账户类业务前按规定核实客户身份", 10, na_allowed=True),
                        DemoItem("未向他人泄露客户信息", 10, is_fatal=True)]),
    ("倾听与理解", 15, [DemoItem("耐心倾听，不随意打断客户", 10, POINTS), DemoItem("准确复述并确认客户需求", 5)]),
    ("业务准确性", 30, [DemoItem("业务解答准确、完整", 20, POINTS), DemoItem("系统操作与工单记录规范", 10),
                   DemoItem("投诉按规定登记并告知处理时限", 10, na_allowed=True)]),
    ("服务用语", 15, [DemoItem("使用文明用语，无服务忌语", 10, POINTS), DemoItem("无辱骂、讥讽客户等不文明语言", 5,
                                                                   is_fatal=True)]),
    ("结束服务", 10, [DemoItem("询问客户是否还有其他需要", 5), DemoItem("使用标准结束语，待客户挂机后再挂断", 5)]),
]
COMPLAINT_CARD = [
    ("受理登记", 20, [DemoItem("登记信息完整、准确", 10), DemoItem("在规定时限内完成受理审核", 10)]),
    ("调查处理", 40, [DemoItem("调查核实充分，证据完整", 20, POINTS), DemoItem("处理依据引用准确", 10, POINTS),
                  DemoItem("未泄露投诉人信息", 10, is_fatal=True)]),
    ("答复与回访", 40, [DemoItem("在规定时限内答复客户", 15), DemoItem("答复内容清楚、有理有据", 15, POINTS),
                   DemoItem("按规定完成满意度回访", 10, na_allowed=True)]),
]
CALL_HISTORY = 8  # call evaluations of each agent over six months
AGENTS = ["agent01", *[f"cc_agent{number:02d}" for number in range(1, 6)]]


def _build(actor, unit, code: str, name: str, kind: str, sections) -> Scorecard:
    scorecard = services.create_scorecard(actor, code=code, name=name, kind=kind, unit=unit, pass_mark=Decimal(80))
    draft = scorecard.versions.get()
    for title, weight, items in sections:
        section = services.add_section(actor, draft, title=title, weight=Decimal(weight))
        for item in items:
            services.add_item(actor, section, text=item.text, max_points=Decimal(item.points),
                              answer_type=item.answer_type, is_fatal=item.is_fatal, na_allowed=item.na_allowed)
    services.update_draft(actor, draft, pass_mark=Decimal(80), change_note="首版")
    services.publish(actor, draft)
    return scorecard


def _answers(version, rng: random.Random, fatal_slip: bool = False) -> list[Answer]:
    """Mostly good answers, with the odd miss; `fatal_slip` fails the first fatal item."""
    answers = []
    for item in Item.objects.filter(section__version=version).order_by("section__position", "position"):
        if item.is_fatal:
            value = NO if fatal_slip else YES
            fatal_slip = False
        elif item.na_allowed and rng.random() < 0.3:
            value = NOT_APPLICABLE
        elif item.answer_type == POINTS:
            value = str(max(0, int(item.max_points) - rng.choice([0, 0, 1, 2, 3, 5])))
        else:
            value = YES if rng.random() < 0.85 else NO
        answers.append(Answer(item.pk, value))
    return answers


def _backdate(evaluation: Evaluation, days_ago: int) -> None:
    """Demo history only: the evaluation as if scored `days_ago` days ago, so that the trend has months."""
    moment = timezone.now() - timedelta(days=days_ago)
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=moment, submitted_at=moment, occurred_at=moment)


def _call_history(inspectors, agents, scorecard, rng: random.Random) -> None:
    """Each agent's calls scored every three weeks or so, by the inspectors in turn; one fatal slip each
    for the first and the last agent."""
    version = scorecard.versions.get()
    for order, agent in enumerate(agents):
        for number in range(CALL_HISTORY):
            call = f"CC{order + 1:02d}{number + 1:06d}"
            inspector = inspectors[(order + number) % len(inspectors)]
            evaluation = evaluations.start_evaluation(inspector, version, staff=agent, call_id=call,
                                                      recording_ref=f"rec/{call}")
            slip = number == 3 and order in (0, len(agents) - 1)
            evaluations.submit_evaluation(inspector, evaluation, _answers(version, rng, fatal_slip=slip),
                                          comment="抽检来电" if number % 3 else "重点抽检：投诉来电")
            _backdate(evaluation, 175 - number * 22 - order)


def _low_answers(version) -> list[Answer]:
    """A weak call: half the points of every scale, the greeting and the closing missed, with comments."""
    answers = []
    for item in Item.objects.filter(section__version=version).order_by("section__position", "position"):
        if item.answer_type == POINTS:
            answers.append(Answer(item.pk, str(int(item.max_points) // 2), "解答不完整，未说明办理时限"))
        elif item.is_fatal or item.na_allowed:
            answers.append(Answer(item.pk, YES))
        else:
            answers.append(Answer(item.pk, NO, "未按规范执行"))
    return answers


def _at(day, hour: int, minute: int):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _previous_day_of_team_one(users, call_card, rng: random.Random) -> None:
    """What the pre-shift briefing of CC-T1 (agent01, cc_agent01, cc_agent02) shows for the previous working day."""
    if not {"cc_agent01", "cc_agent02"} <= set(users):
        return
    day = previous_working_day(timezone.localdate())
    version = call_card.versions.get()
    slips = [(users["cc_agent01"], _answers(version, rng, fatal_slip=True), "客户未完成身份核实即告知账户余额", 10, 35),
             (users["cc_agent02"], _low_answers(version), "语速过快，未确认客户需求即结束通话", 15, 10)]
    for number, (agent, answers, comment, hour, minute) in enumerate(slips, start=1):
        call = f"CC-BRIEF-{number:04d}"
        evaluation = evaluations.start_evaluation(users["qa01"], version, staff=agent, call_id=call,
                                                  recording_ref=f"rec/{call}")
        evaluations.submit_evaluation(users["qa01"], evaluation, answers, comment=comment)
        Evaluation.objects.filter(pk=evaluation.pk).update(
            created_at=_at(day, hour, minute), submitted_at=_at(day, hour + 2, minute), occurred_at=_at(day, hour, minute))
    session = CalibrationSession.objects.filter(status="open").first()
    if session is not None:
        evaluations.close_calibration(users["qa01"], session)
        CalibrationSession.objects.filter(pk=session.pk).update(closed_at=_at(day, 17, 0))
    about = register_complaint(users["agent01"], RegistrationInput(
        complainant_name="韩先生", phone="13900010020", channel=Channel.objects.get(code="hotline"),
        unit=OrgUnit.objects.get(code="CC"), business_category=BusinessCategory.objects.get(code="card_fees"),
        cause=Cause.objects.get(code="attitude"), description="拨打客服热线咨询年费，坐席多次打断我说话，语气不耐烦。",
        demand="道歉", received_at=_at(day, 11, 20), staff_concerned_id=users["cc_agent02"].pk,
        staff_concerned_name="林晓雨"))
    Complaint.objects.filter(pk=about.pk).update(registered_at=_at(day, 11, 25))
    chased = Complaint.objects.exclude(pk=about.pk).filter(status=Status.ROUTED).first()
    if chased is not None:
        for text, hour, minute in [("", 9, 40), ("客户再次来电催问处理进度，情绪激动", 14, 5)]:
            call = enquiries.log_caller_enquiry(users["cc_agent01"], chased.pk, text)
            CallerEnquiry.objects.filter(pk=call.pk).update(created_at=_at(day, hour, minute))


def _calibration(inspectors, agent, scorecard, rng: random.Random) -> None:
    session = evaluations.create_calibration(inspectors[0], scorecard.versions.get(), title="本月来电质检校准",
                                             staff=agent, call_id="CC-CAL-0001", recording_ref="rec/cal-0001")
    for inspector in inspectors:
        evaluation = evaluations.start_evaluation(inspector, None, calibration=session)
        evaluations.submit_evaluation(inspector, evaluation, _answers(session.version, rng))


def _complaint_reviews(cp, scorecard, rng: random.Random) -> None:
    version = scorecard.versions.get()
    for complaint in Complaint.objects.filter(handler__isnull=False, status__in=[Status.COMMUNICATED, Status.CLOSED]):
        evaluation = evaluations.start_evaluation(cp, version, complaint=complaint)
        evaluations.submit_evaluation(cp, evaluation, _answers(version, rng), comment="投诉处理质量抽查")


def _qa02(admin, call_center) -> User:
    user = User.objects.filter(username="qa02").first() or org_services.create_user(
        admin, username="qa02", display_name="林质检", password=DEMO_PASSWORD, home_unit=call_center,
        staff_number="D0902", mobile="13800000902")
    grant_directly(admin, user, Role.QA_INSPECTOR, call_center)
    return user


def load(stdout) -> None:
    """The loader quality monitoring registers (core's `load_demo` runs it)."""
    if Scorecard.objects.exists():
        return
    users = {user.username: user for user in User.objects.filter(
        username__in=["admin", "qa01", "cp_officer", *AGENTS])}
    call_center, rng = OrgUnit.objects.get(code="CC"), random.Random(2026)
    with audit.audit_context(actor=users["admin"], source=AuditSource.IMPORT):
        qa02 = _qa02(users["admin"], call_center)
        call_card = _build(users["qa01"], call_center, "CC-CALL", "来电服务质检评分表", ScorecardKind.CALL, CALL_CARD)
        complaint_card = _build(users["cp_officer"], OrgUnit.objects.get(code="HO"), "CP-HANDLING",
                                "投诉处理质量评分表", ScorecardKind.COMPLAINT, COMPLAINT_CARD)
        _call_history([users["qa01"], qa02], [users[name] for name in AGENTS if name in users], call_card, rng)
        _calibration([users["qa01"], qa02], users["agent01"], call_card, rng)
        _complaint_reviews(users["cp_officer"], complaint_card, rng)
        _previous_day_of_team_one(users, call_card, rng)
    stdout.write(f"质检演示 / QA demo: 2 scorecards, {Evaluation.objects.count()} evaluations "
                 f"(qa02 林质检 {Role.QA_INSPECTOR.label})")
