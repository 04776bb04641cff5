"""The demo call center (core's `load_demo` runs it): two queues, two teams, a head and six agents,
and eight weeks of 30-minute interval statistics with a weekday and intraday shape, made in bulk.

Loaded once: teams, queues and users are made when missing, the history only for a queue without any."""

import math
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from bankdesk.callcenter import services
from bankdesk.callcenter.models import Agent, IntervalStat, Queue, Skill, Team
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
    skills = {code: _config_entry(admin, "callcenter-skills", Skill, code, {"name": name}) for code, name in SKILLS}
    for order, (code, name, skill, _peak, _aht) in enumerate(QUEUES, start=1):
        _config_entry(admin, "callcenter-queues", Queue, code, {
            "name": name, "unit": center.pk, "skill": skills[skill].pk, "service_level_seconds": 15,
            "service_level_percent": "80", "sort_order": order})
    head = _user(admin, "cc_head", "马主任", Role.UNIT_HEAD, center, 1)
    teams = {code: _config_entry(admin, "callcenter-teams", Team, code,
                                 {"name": name, "unit": center.pk, "leader": head.pk}) for code, name in TEAMS}
    for number, (username, name, team, levels) in enumerate(AGENTS, start=1):
        user = _user(admin, username, name, Role.AGENT, center, number + 1)
        if not Agent.objects.filter(user=user).exists():
            services.create_agent(admin, user=user, agent_code=f"8{number:03d}", team=teams[team],
                                  skills={skills[code]: level for code, level in levels.items()})


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
        load_call_center(admin, OrgUnit.objects.get(code="CC"))
        made = load_history(timezone.now())
    stdout.write(f"Call center: {Queue.objects.count()} queues, {Agent.objects.count()} agents, "
                 f"{made} intervals of ACD statistics added (users cc_head, cc_agent01-05; password {DEMO_PASSWORD})")
