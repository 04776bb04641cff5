"""The demo call center (core's `load_demo` runs it): two queues, two teams, a head and six agents,
eight weeks of 30-minute interval statistics with a weekday and intraday shape, made in bulk, and the
standard scripts (话术) of the agent's desk, one or two per call reason.

Loaded once: teams, queues, call reasons and users are made when missing, the history only for a queue without
any, the scripts only when there are none."""

import math
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from bankdesk.callcenter import scripts, services
from bankdesk.callcenter.models import Agent, CallReason, IntervalStat, Queue, Script, Skill, Team
from bankdesk.core import audit, config_tables
from bankdesk.core.models import AuditSource
from bankdesk.orgs import services as org_services
from bankdesk.orgs.demo import DEMO_PASSWORD, grant_directly
from bankdesk.orgs.models import OrgUnit, Role, User

HISTORY_DAYS = 56
INTERVAL_MINUTES = 30
SKILLS = [("GENERAL", "综合业务"), ("CARD", "信用卡")]
# (code, name, skill, calls offered in a peak half-hour of an ordinary Monday, average handle time in seconds)
QUEUES = [("HOTLINE", "95xxx 综合服务热线", "GENERAL", 120, 210), ("CARD", "信用卡专线", "CARD", 45, 260)]
TEAMS = [("CC-T1", "客服一组"), ("CC-T2", "客服二组")]
# (username, name, team, skills {code: level}); agent01 of the org demo joins team one
AGENTS = [
    ("agent01", "刘坐席", "CC-T1", {"GENERAL": 4}),
    ("cc_agent01", "陈一鸣", "CC-T1", {"GENERAL": 5, "CARD": 3}),
    ("cc_agent02", "林晓雨", "CC-T1", {"GENERAL": 3}),
    ("cc_agent03", "黄子涵", "CC-T2", {"CARD": 5}),
    ("cc_agent04", "杨思远", "CC-T2", {"CARD": 4, "GENERAL": 2}),
    ("cc_agent05", "吴佳怡", "CC-T2", {"GENERAL": 3, "CARD": 3}),
]
REASONS = [("balance", "账户查询"), ("card_loss", "挂失补卡"), ("card_fees", "信用卡费用"),
           ("complaint_progress", "投诉进度查询"), ("complaint_new", "投诉受理"), ("fraud", "疑似诈骗")]
# (call reason, title, script); every text passes the service-language check when it is saved
SCRIPTS = [
    ("balance", "查询余额前核实身份", "您好，为保障您的账户安全，查询前需要核实您的身份。请您提供开户时登记的证件号码后四位，"
     "并输入银行卡密码。核实完成后我为您查询，请稍候。"),
    ("card_loss", "银行卡电话挂失", "请您不要着急，我马上为您办理临时挂失。请提供卡号或开户证件号码，并回答预留的身份问题。"
     "临时挂失有效期为五天，请在有效期内携带有效证件到任一网点办理正式挂失和补卡。"),
    ("card_fees", "年费与违约金的说明", "感谢您的来电。您的信用卡本期账单中的年费，是按照领用合约约定收取的。"
     "如果您本年度刷卡次数达到要求，可以申请减免，我可以帮您查询是否符合条件。"),
    ("complaint_progress", "客户查询投诉进度", "您好，请您提供投诉的受理编号或登记时留下的手机号码，我为您查询。"
     "您的投诉目前正在处理中，承办人员会在承诺时限前与您联系。我已经把您这次来电记录下来并转告承办人员。"),
    ("complaint_progress", "投诉已超时的安抚", "非常抱歉让您久等了。我已将您的来电记录并加急转告承办部门，"
     "请您保持电话畅通，承办人员会尽快与您联系，我们也会持续跟进处理进度。"),
    ("complaint_new", "受理投诉并告知时限", "感谢您的反映，我已经为您登记，受理编号会通过短信发送给您。"
     "我行将在十五日内完成处理并答复您，期间如有需要补充的材料，承办人员会与您联系。"),
    ("fraud", "疑似电信诈骗的提示", "请您务必注意，银行工作人员不会向您索要短信验证码或要求您转账到所谓的安全账户。"
     "如果您已经转账，请立即拨打110报警，我可以先为您的账户办理临时止付。"),
]
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.98, 1.08, 0.7, 0.6)  # Monday first


def _config_entry(admin, slug: str, model, code: str, data: dict):
    existing = model.objects.filter(code=code).first()
    if existing:
        return existing
    table = config_tables.REGISTRY[slug]
    form = table.form_for(admin, data={"code": code, "is_active": True, **data})
    if not form.is_valid():
        raise ValueError(f"demo {slug} {code}: {form.errors.as_text()}")
    return config_tables.save_entry(admin, table, form)


def _user(admin, username: str, name: str, role: str, unit: OrgUnit, number: int) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = org_services.create_user(admin, username=username, display_name=name, password=DEMO_PASSWORD,
                                        home_unit=unit, staff_number=f"CC{number:04d}", mobile=f"1391000{number:04d}")
    grant_directly(admin, user, role, unit)
    return user


def load_call_center(admin, center: OrgUnit) -> None:
    skills = {code: Skill.objects.filter(code=code).first() or services.create_skill(
        admin, services.SkillInput(code, name)) for code, name in SKILLS}
    for order, (code, name, skill, _peak, _aht) in enumerate(QUEUES, start=1):
        _config_entry(admin, "callcenter-queues", Queue, code, {
            "name": name, "unit": center.pk, "skill": skills[skill].pk, "service_level_seconds": 15,
            "service_level_percent": "80", "sort_order": order})
    head = _user(admin, "cc_head", "马主任", Role.UNIT_HEAD, center, 1)
    teams = {code: Team.objects.filter(code=code).first() or services.create_team(
        admin, services.TeamInput(code, name, center, head)) for code, name in TEAMS}
    for number, (username, name, team, levels) in enumerate(AGENTS, start=1):
        user = _user(admin, username, name, Role.AGENT, center, number + 1)
        if not Agent.objects.filter(user=user).exists():
            services.create_agent(admin, user=user, agent_code=f"8{number:03d}", team=teams[team],
                                  skills={skills[code]: level for code, level in levels.items()})


def load_scripts(keeper, head, center: OrgUnit) -> int:
    """The call reasons (a bank-wide table: kept by a holder of callcenter.scripts at the head office, the
    consumer-protection officer), and the scripts when there are none yet, written by the call center's head."""
    reasons = {code: _config_entry(keeper, "callcenter-reasons", CallReason, code, {"name": name, "sort_order": order})
               for order, (code, name) in enumerate(REASONS, start=1)}
    if Script.objects.exists():
        return 0
    for reason, title, body in SCRIPTS:
        scripts.create_script(head, scripts.ScriptInput(reason=reasons[reason], title=title, body=body, unit=center))
    return len(SCRIPTS)


def _intraday(slot: int) -> float:
    """Share of the peak in half-hour `slot` (0 = 00:00): quiet at night, peaks at 10:00 and 15:00."""
    hour = slot / 2
    morning = math.exp(-((hour - 10) ** 2) / 4)
    afternoon = 0.85 * math.exp(-((hour - 15) ** 2) / 5)
    evening = 0.35 * math.exp(-((hour - 20) ** 2) / 6)
    return max(0.03, morning + afternoon + evening)


def _interval(queue: Queue, start: datetime, peak: int, aht: int, rng: random.Random) -> IntervalStat:
    local = timezone.localtime(start)
    load = WEEKDAY_FACTOR[local.weekday()] * _intraday(local.hour * 2 + local.minute // 30)
    offered = max(0, round(rng.gauss(peak * load, math.sqrt(peak * load) + 0.5)))
    pressure = min(1.0, load * rng.uniform(0.85, 1.15))  # busier intervals answer later
    abandoned = round(offered * rng.uniform(0.01, 0.03 + 0.06 * pressure))
    answered = offered - abandoned
    within = round(answered * min(0.99, rng.uniform(0.78, 0.97) - 0.12 * pressure))
    staffed_agents = max(2, math.ceil(offered * aht / 1800 * 1.25) + 1)
    talk = answered * aht * 0.8
    wrap = answered * aht * 0.2
    staffed = staffed_agents * 1800
    not_ready = staffed * rng.uniform(0.05, 0.12)
    return IntervalStat(
        queue=queue, interval_start=start, length_minutes=INTERVAL_MINUTES, offered=offered, answered=answered,
        answered_within_threshold=within, abandoned=abandoned, handle_time_seconds=round(answered * aht),
        answer_wait_seconds=round(answered * rng.uniform(4, 10 + 30 * pressure)),
        longest_wait_seconds=round(rng.uniform(20, 60 + 240 * pressure)) if offered else 0,
        waiting_at_end=round(rng.uniform(0, 6 * pressure)), staffed_seconds=staffed,
        available_seconds=round(max(0, staffed - talk - wrap - not_ready)), talk_seconds=round(talk),
        wrap_seconds=round(wrap), not_ready_seconds=round(not_ready))


def load_history(now: datetime) -> int:
    """HISTORY_DAYS of intervals up to the last one that has ended, for each queue that has none."""
    today = timezone.localtime(now).date()
    first = timezone.make_aware(datetime.combine(today - timedelta(days=HISTORY_DAYS), time.min))
    count = int((now - first).total_seconds() // (INTERVAL_MINUTES * 60))
    made = 0
    for code, _name, _skill, peak, aht in QUEUES:
        queue = Queue.objects.get(code=code)
        if IntervalStat.objects.filter(queue=queue).exists():
            continue
        rng = random.Random(code)
        rows = [_interval(queue, first + timedelta(minutes=INTERVAL_MINUTES * index), peak, aht, rng)
                for index in range(count)]
        IntervalStat.objects.bulk_create(rows, batch_size=2000)
        made += len(rows)
    return made


def load(stdout) -> None:
    admin = User.objects.get(username="admin")
    with audit.audit_context(actor=admin, source=AuditSource.IMPORT):
        center = OrgUnit.objects.get(code="CC")
        load_call_center(admin, center)
        made = load_history(timezone.now())
        written = load_scripts(User.objects.get(username="cp_officer"), User.objects.get(username="cc_head"), center)
    stdout.write(f"Call center: {Queue.objects.count()} queues, {Agent.objects.count()} agents, "
                 f"{made} intervals of ACD statistics added, {written} standard scripts "
                 f"(users cc_head, cc_agent01-05; password {DEMO_PASSWORD})")
