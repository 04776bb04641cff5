"""Fill BankDesk with a year of realistic complaints, fast, for the benchmarks.

Usage: python bench/datagen.py --total 1000000 [--seed 7]
Uses its own database: SQLite under bench/var/datagen/ by default (BANKDESK_VAR_DIR), or DATABASE_URL
(PostgreSQL). Migrates and loads the demo bank first, then tops the complaints up to --total: a later
run with a larger total adds only the difference, so a bench can measure at 10,000 and grow to 1,000,000.

What is generated, per complaint, as the services would have left it:
- the complaint, registered by the registration pipeline itself (registration.Registrations.registered:
  the complaint, its clocks from receipt and its "complaint.register" event, as `register` writes
  them; the generator gives out the key, tracking number and repeat, the pipeline's database work):
  received over the year before today, weekdays heavier than
  weekends and the official holidays of the product calendar, office hours heavier than nights (the
  hotline and the web run round the clock), slightly growing over the year; about outlets and
  sub-branches of the demo bank (a few outlets far busier), by channel (hotline most, regulator
  transfers a few % with their reference and deadline), category, cause; texts from bench/corpus.py;
  phone, ID and card number encrypted and blind-indexed by the fields themselves, as save() stores
  them; severity by the active severity rules; a share of customers complaining again (is_repeat,
  repeat_of); tracking numbers continuing TrackingSequence;
- its history, step by step as staff take it (acceptance review, routing by the routing rules,
  handling, decision, approval, communication, callbacks, reopening, withdrawal, refusal), each
  step on working days in office hours, cut at the present: old complaints are closed, recent ones
  spread over every open state;
- the rows those steps write: audit events (core_auditevent, with the snapshots the services
  record), clocks with the product's deadlines (clocks.deadline), decisions, customer notices,
  callback records, investigation notes, customer contacts, assisting departments;
- what the minute sweep would have done meanwhile: warnings, run-outs (escalation and its audit
  event, "becomes major" after a month), chases, each clock's next check (clocks.next_check);
  then clocks.refresh_complaints sets every complaint's nearest deadline and deadline state;
- the full-text search entry of each complaint, as saving.index_for_search writes it (search.index_many).

Not generated: notifications and SMS, decision-letter PDFs (the letter page renders them from the
decision), attachments, assist requests, pauses and extensions.

How: a spawned process makes the complaints day by day in the order received and hands them over
10,000 at a time, each table's rows already turned into the values the database receives (core.bulk.Rows,
the registration pipeline's writer); this process inserts each batch in one transaction (executemany on SQLite, COPY on
PostgreSQL), indexes it with search.index_many and sets its deadlines with
clocks.refresh_complaints, so making and writing run on two processors. Ids of complaints,
decisions, notices and callbacks are given out by the generator, so the audit events can name
them. Calendar answers and whole-day deadlines are computed once per day; nothing is queried per
complaint. The tables written are ANALYZEd at the end.
"""

import argparse
import gc
import json
import math
import multiprocessing
import os
import queue
import random
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace as Row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var" / "datagen"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")
Path(os.environ["BANKDESK_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from bankdesk.complaints import cached_lists, saving, state_machine  # noqa: E402
from bankdesk.complaints.decisions import communication  # noqa: E402
from bankdesk.complaints.handling import clocks  # noqa: E402
from bankdesk.complaints.intake import registration, registration_input  # noqa: E402
from bankdesk.complaints.review import acceptance, routing  # noqa: E402
from bankdesk.complaints.models import (  # noqa: E402
    BusinessCategory,
    CallbackRecord,
    Cause,
    Channel,
    ChannelKind,
    Clock,
    ClockKind,
    ClockState,
    ClosureCode,
    Complaint,
    ContactChannel,
    CustomerContact,
    CustomerNotice,
    Decision,
    DecisionStatus,
    HandlingNote,
    IdType,
    LimitUnit,
    NonAcceptanceReason,
    NoticeChannel,
    Remedy,
    ReopenKind,
    RoutingRule,
    Satisfaction,
    Severity,
    Status,
    TrackingSequence,
)
from bankdesk.core import audit, bulk, calendar, rules  # noqa: E402
from bankdesk.core.models import AuditEvent, AuditSource  # noqa: E402
from bankdesk.knowledge.models import SearchEntry  # noqa: E402
from bankdesk.knowledge.search import Document, index_many  # noqa: E402
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment, UnitKind, User  # noqa: E402
from bench.corpus import TextMaker, write_vocabulary  # noqa: E402

VOCABULARY = ROOT / "bench" / "var" / "vocabulary.json"
BATCH = 10_000
QUEUED_BATCHES = 2
SQLITE_CACHE_MEGABYTES = 512
SQLITE_ANALYSIS_LIMIT = 1000
DAYS = 365

# --- When complaints arrive -------------------------------------------------------------------------------------
WEEKEND_WEIGHT, HOLIDAY_WEIGHT, GROWTH_OVER_YEAR, DAY_NOISE = 0.5, 0.25, 0.3, 0.1
# Hour profiles: the relative weight of each hour of the day.
ROUND_THE_CLOCK = [0.15] * 7 + [0.4, 0.9, 1.4, 1.4, 1.4, 1.1, 1.1, 1.3, 1.3, 1.3, 1.3, 0.9, 0.9, 0.6, 0.6, 0.3, 0.3]
OFFICE_HOURS = [0.0] * 9 + [1.0, 1.3, 1.3, 0.8, 0.8, 1.2, 1.2, 1.1, 0.9] + [0.0] * 6
# channel code: (weight, hour profile, mean hours until registered)
CHANNELS = {"hotline": (44, ROUND_THE_CLOCK, 0.05), "outlet": (20, OFFICE_HOURS, 0.2), "web": (14, ROUND_THE_CLOCK, 0),
            "letter": (4, OFFICE_HOURS, 20), "email": (4, ROUND_THE_CLOCK, 3), "suggestion_box": (2, OFFICE_HOURS, 24),
            "12378": (2.5, OFFICE_HOURS, 2), "pboc": (1.2, OFFICE_HOURS, 2), "nfra": (1.0, OFFICE_HOURS, 2),
            "12315": (0.8, OFFICE_HOURS, 2), "media": (0.3, OFFICE_HOURS, 4)}
# Who registers: the lobby manager at the outlet, the call center the rest (regulator transfers a reviewer,
# the web form the customer).
REGISTRARS = {"outlet": "lobby01", "suggestion_box": "lobby01"}
REGULATOR_DAYS = (10, 20)  # the regulator's deadline, in days after receipt
OUTLET_SKEW, SUB_BRANCH_WEIGHT = 0.7, 0.3

# --- What they are about ----------------------------------------------------------------------------------------
CATEGORIES = {"card_fees": 10, "card_bill": 8, "card_collection": 7, "card_apply": 4, "debit_limits": 6,
              "debit_loss": 5, "debit_open": 3, "counter_waiting": 8, "counter_handling": 7, "ebanking_function": 7,
              "ebanking_security": 4, "payment_transfer": 6, "payment_third_party": 3, "loan_consumer": 4,
              "loan_business": 2, "mortgage_payment": 3, "mortgage_prepay": 2, "wealth_sales": 3,
              "wealth_returns": 2, "insurance_sales": 2, "insurance_surrender": 1.5, "fees_account": 4,
              "fees_other": 2, "other_business": 2}
CAUSES = {"attitude": 18, "quality": 22, "procedures": 14, "pricing": 14, "marketing": 7, "disclosure": 5,
          "contract": 5, "collection": 6, "privacy": 3, "other": 6}
TYPICAL_CAUSE = {"card_collection": "collection", "card_fees": "pricing", "fees_account": "pricing",
                 "fees_other": "pricing", "wealth_sales": "marketing", "insurance_sales": "marketing",
                 "counter_waiting": "quality", "mortgage_prepay": "contract", "payment_third_party": "privacy"}
TYPICAL_CAUSE_SHARE = 0.5
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文斌志宏海波"
STAFF_WORDS = ["柜员", "大堂经理", "客户经理", "理财经理", "保安"]
PHONE_PREFIXES = ("135", "136", "137", "150", "151", "152", "157", "158", "159", "182", "186", "187", "188")
ID_REGIONS = ("110105", "310104", "440305", "330106", "510107", "420106")
REPEAT_SHARE, RECENT_CUSTOMERS = 0.08, 5_000
AMOUNT_SHARE, AMOUNT_MEDIAN, AMOUNT_SIGMA, AMOUNT_CAP = 0.35, 1500, 1.7, 5_000_000
GROUP_SHARE, ID_SHARE, ACCOUNT_SHARE, EMAIL_SHARE, STAFF_NAMED_SHARE = 0.004, 0.12, 0.25, 0.15, 0.4

# --- How they are handled: shares, and (median hours, spread) of the waits between steps -----------------------
OPENS, CLOSES, LATE_START_MINUTES = day_time(8, 30), day_time(18, 0), 120
REFUSE_SHARE, WITHDRAW_SHARE, REROUTE_SHARE, NOTE_SHARE, REACH_SHARE = 0.03, 0.02, 0.3, 0.3, 0.88
COMPLEX_SHARE, COMPLEX_FACTOR, STUCK_SHARE, STUCK_FACTOR = 0.08, 8, 0.02, 40
REVIEW_WAIT, START_WAIT, REROUTE_WAIT = (3, 1.1), (1, 1.0), (1.5, 0.5)
HANDLING = {Severity.MINOR: (4, 0.8), Severity.IMPORTANT: (16, 0.8), Severity.MAJOR: (80, 0.7)}
APPROVAL_WAIT, COMMUNICATION_WAIT, CALLBACK_WAIT, RETRY_WAIT, REWORK = (1.5, 1), (1, 1), (30, 0.8), (20, 0.5), (60, 0.6)
SATISFACTION = {Satisfaction.SATISFIED: 75, Satisfaction.BASICALLY_SATISFIED: 20, Satisfaction.NOT_SATISFIED: 5}
CLOSURES = {"bank_at_fault": 35, "customer_cause": 35, "handled_properly": 15, "invalid": 10, "case_revoked": 5}
FINDINGS = {"bank_at_fault": "经核实，客户反映情况属实，系我行工作人员操作不规范所致。",
            "customer_cause": "经核实，相关业务办理符合规定，系客户对业务规则理解有误。",
            "handled_properly": "经核实，网点已于第一时间向客户解释并妥善处理。",
            "invalid": "经核实，客户反映事项不属于有效投诉。",
            "case_revoked": "客户已与网点协商一致，申请撤销投诉。"}
FAULT_REMEDIES = [Remedy.FEE_REFUND, Remedy.COMPENSATION, Remedy.RECORD_CORRECTION, Remedy.EXPLANATION]
COMMUNICATION = {NoticeChannel.SMS: 55, NoticeChannel.PHONE: 25, NoticeChannel.LETTER: 10, NoticeChannel.EMAIL: 10}
NOTES = ["已调取网点监控和业务流水，正在核实。", "已联系网点负责人了解情况。", "已调阅业务凭证，正在核对。"]
CONTACT = "致电客户，说明已受理并正在调查，承诺尽快给予明确答复。"
UNHAPPY = "客户对处理结果不认可，要求重新处理。"
WITHDRAWAL = "客户来电表示问题已自行解决，申请撤诉。"
APPROVAL_NOTES = ["同意", "同意，请尽快告知客户。", ""]
APPROVER_ROLES = (Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT)  # nearest first, by limit

AUDITED = {name: Complaint._meta.get_field(name) for name in saving.AUDITED_FIELDS}
ZONE = timezone.get_default_timezone()
JSON_DATE = DjangoJSONEncoder().default
ASSISTING = Complaint.assisting_departments.through
INSERTED = [Complaint, ASSISTING, Clock, AuditEvent, Decision, CustomerNotice, CallbackRecord, HandlingNote,
            CustomerContact]  # in this order, complaints first
GIVEN_IDS = [Complaint, Decision, CustomerNotice, CallbackRecord]  # named by audit events, so numbered here
ANALYZED = [*INSERTED, TrackingSequence, SearchEntry]
class Weighted:
    """A weighted choice among the keys of {item: weight}, the cumulative weights added up once."""

    def __init__(self, weights: dict):
        self.items, self.cumulative = list(weights), list(accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


CLOSURE_CHOICE = Weighted(CLOSURES)
SATISFACTION_CHOICE = Weighted(SATISFACTION)
COMMUNICATION_CHOICE = Weighted(COMMUNICATION)


def _wait(rng: random.Random, median_and_spread: tuple[float, float], factor: float = 1.0) -> timedelta:
    median, spread = median_and_spread
    return timedelta(hours=factor * rng.lognormvariate(math.log(median), spread))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, day_time.min, tzinfo=ZONE)  # timezone.make_aware in the default zone


@contextmanager
def _collecting_per_batch():
    """Python's automatic cycle collection rescans the many objects of a batch over and over (a third of the
    time); callers collect once per batch instead."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _local(moment: datetime) -> datetime:
    """timezone.localtime, without looking up the active time zone each time (none is activated here)."""
    return moment.astimezone(ZONE)


def _json(value):
    """What audit.to_json makes of a value the services hold: dates, in UTC like timezone.now() and those read
    from the database, as DjangoJSONEncoder writes them."""
    return JSON_DATE(value.astimezone(UTC)) if isinstance(value, datetime) else value


# --- The demo bank, read once ------------------------------------------------------------------------------------

class Bank:
    """The lists, units, staff and rules complaints are made from, loaded once."""

    def __init__(self, rng: random.Random):
        self.channels = {c.code: c for c in Channel.objects.filter(is_active=True, code__in=CHANNELS)}
        leaves = BusinessCategory.objects.filter(is_active=True, children__isnull=True).select_related("parent")
        self.categories = {c.code: c for c in leaves}
        self.category_labels = {c.pk: str(c) for c in leaves}
        self.causes = {c.code: c for c in Cause.objects.filter(is_active=True)}
        self.closures = {c.code: c for c in ClosureCode.objects.filter(is_active=True)}
        self.refusal_reasons = list(NonAcceptanceReason.objects.filter(is_active=True))
        self.units = self._units(rng)
        self.users = {u.username: u for u in User.objects.filter(is_active=True)}
        self.routing_rules = list(RoutingRule.objects.filter(is_active=True)
                                  .select_related("unit", "lead_department").prefetch_related("assisting_departments"))
        self.severity_rules = cached_lists.active_severity_rules()
        self.card_center = OrgUnit.objects.filter(code="HO-CARD", is_active=True).first()
        self.holders = {role: [(a.unit.path, a.user) for a in RoleAssignment.objects.filter(
            role=role, is_active=True, user__is_active=True).select_related("unit", "user").order_by("id")]
            for role in (Role.HANDLER, Role.CONSUMER_PROTECTION, *APPROVER_ROLES)}
        self.kind_labels = {kind: str(label) for kind, label in ClockKind.choices}

    @staticmethod
    def _units(rng: random.Random) -> Weighted:
        """Outlets, a few far busier than the rest (a skewed rank), and sub-branches, less often."""
        outlets = list(OrgUnit.objects.filter(kind=UnitKind.OUTLET, is_active=True).order_by("path"))
        sub_branches = list(OrgUnit.objects.filter(kind=UnitKind.SUB_BRANCH, is_active=True).order_by("path"))
        ranks = list(range(1, len(outlets) + 1))
        rng.shuffle(ranks)
        weights = [rank ** -OUTLET_SKEW for rank in ranks]
        average = sum(weights) / len(weights)
        return Weighted({**dict(zip(outlets, weights)), **dict.fromkeys(sub_branches, average * SUB_BRANCH_WEIGHT)})

    def over(self, role: str, path: str) -> list[User]:
        """Who holds `role` at or above the unit with `path`."""
        return [user for held, user in self.holders[role] if path.startswith(held)]

    def handlers(self, department: OrgUnit) -> list[User]:
        return [user for held, user in self.holders[Role.HANDLER] if held.startswith(department.path)]

    def route(self, complaint: Complaint) -> RoutingRule | None:
        return next((rule for rule in self.routing_rules if routing._routing_rule_matches(rule, complaint)), None)


# --- Time: the calendar, office hours and deadlines ----------------------------------------------------------------

class Days:
    """The product calendar's answers, asked once per day."""

    def __init__(self, now: datetime):
        self.now = now
        self.calendar = calendar.load()
        self.deadlines: dict[tuple, clocks.Deadline] = {}
        self.offsets: dict[str, tuple[clocks.Deadline, timedelta, timedelta]] = {}

    def counts(self, total: int, rng: random.Random) -> list[tuple[date, int]]:
        """How many of `total` complaints arrive on each of the last DAYS days (today only so far)."""
        today = _local(self.now).date()
        days = [today - timedelta(days=n) for n in range(DAYS, -1, -1)]
        weights = []
        for number, day in enumerate(days):
            weight = 1.0 if self.calendar.is_working_day(day) else (
                HOLIDAY_WEIGHT if day in self.calendar.holidays else WEEKEND_WEIGHT)
            weight *= 1 + GROWTH_OVER_YEAR * (number / DAYS - 0.5) + rng.uniform(-DAY_NOISE, DAY_NOISE)
            weights.append(weight)
        weights[-1] *= (self.now - _midnight(today)) / timedelta(days=1)
        scale = total / sum(weights)
        exact = [weight * scale for weight in weights]
        counts = [int(share) for share in exact]
        for index in sorted(range(len(days)), key=lambda i: counts[i] - exact[i])[:total - sum(counts)]:
            counts[index] += 1
        return list(zip(days, counts))

    def deadline(self, kind: str, complaint: Complaint, start: datetime) -> clocks.Deadline:
        """clocks.deadline, remembered: a clock of whole days ends and warns at times that depend only on the
        date it starts, a clock of minutes at fixed offsets from its start; the regulator's deadline is computed."""
        if kind == ClockKind.DECISION and complaint.external_deadline:
            return clocks.deadline(kind, complaint, start)
        if kind in self.offsets:
            found, due_after, warn_after = self.offsets[kind]
            return clocks.Deadline(start + due_after, start + warn_after, found.limit_count, found.limit_unit)
        key = (kind, _local(start).date(), complaint.severity, complaint.extension_level)
        found = self.deadlines.get(key)
        if found is None:
            found = clocks.deadline(kind, complaint, start)
            if found.limit_unit == LimitUnit.MINUTES:
                self.offsets[kind] = found, found.due_at - start, found.warn_at - start
            elif found.limit_count:
                self.deadlines[key] = found
        return found


class Office:
    """Staff act on working days between OPENS and CLOSES; what falls outside waits for the next opening."""

    def __init__(self, days: Days, rng: random.Random):
        self.calendar, self.rng = days.calendar, rng

    def after(self, moment: datetime, wait: timedelta) -> datetime:
        moment += wait
        local = _local(moment)
        day, hour = local.date(), local.time()
        if self.calendar.is_working_day(day) and OPENS <= hour < CLOSES:
            return moment
        day += timedelta(days=0 if hour < OPENS else 1)
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return (_midnight(day) + timedelta(hours=OPENS.hour, minutes=OPENS.minute)
                + timedelta(minutes=self.rng.uniform(0, LATE_START_MINUTES)))


# --- Who complains, about what ------------------------------------------------------------------------------------

class Customers:
    """Mostly first-time complainants with numbers never used before; REPEAT_SHARE come back."""

    def __init__(self, first_number: int, rng: random.Random):
        self.number, self.rng = first_number, rng
        self.recent: list[str] = []  # phones of recent first-timers, a ring
        self.latest: dict[str, tuple[str, int]] = {}  # phone -> (name, id of their latest complaint)

    def pick(self) -> tuple[str, str, int | None]:
        """(name, phone, id of the customer's earlier complaint or None)."""
        if self.recent and self.rng.random() < REPEAT_SHARE:
            phone = self.rng.choice(self.recent)
            name, earlier = self.latest[phone]
            return name, phone, earlier
        self.number += 1
        prefix = PHONE_PREFIXES[self.number % len(PHONE_PREFIXES)]
        line = (self.number // len(PHONE_PREFIXES) * 7_654_321 + 1_234_567) % 10 ** 8  # a bijection: never reused
        return self._name(), f"{prefix}{line:08d}", None

    def _name(self) -> str:
        surname = self.rng.choice(SURNAMES)
        if self.rng.random() < 0.5:
            return surname + self.rng.choice(["先生", "女士"])
        return surname + "".join(self.rng.choice(GIVEN) for _n in range(self.rng.randint(1, 2)))

    def remember(self, name: str, phone: str, complaint_id: int, first_time: bool) -> None:
        if first_time:
            if len(self.recent) >= RECENT_CUSTOMERS:
                slot = self.number % RECENT_CUSTOMERS
                del self.latest[self.recent[slot]]
                self.recent[slot] = phone
            else:
                self.recent.append(phone)
        self.latest[phone] = (name, complaint_id)


class Intake:
    """New complaints as registration would make them (registration.build_complaint, register_complaint)."""

    def __init__(self, run: "Run", texts: TextMaker, first_number: int):
        self.run, self.bank, self.rng, self.texts = run, run.bank, run.rng, texts
        self.customers = Customers(first_number, self.rng)
        self.tracking = dict(TrackingSequence.objects.values_list("day", "last"))
        self.tracking_used: set[date] = set()
        self.channels = Weighted({code: CHANNELS[code][0] for code in self.bank.channels})
        self.hours = {code: Weighted(dict(enumerate(CHANNELS[code][1]))) for code in self.bank.channels}
        self.categories = Weighted({c: CATEGORIES.get(c.code, 1) for c in self.bank.categories.values()})
        self.causes = Weighted({code: CAUSES.get(code, 1) for code in self.bank.causes})

    def arrivals(self, day: date, count: int) -> list[tuple[datetime, str]]:
        """(received at, channel code) of a day's complaints, in order; today's all lie in the past."""
        rng, midnight, now = self.rng, _midnight(day), self.run.now
        found = []
        for _n in range(count):
            code = self.channels.pick(rng)
            hour = self.hours[code].pick(rng)
            moment = midnight + timedelta(hours=hour, seconds=rng.random() * 3600)
            if moment >= now:
                moment = midnight + (now - midnight) * rng.random()
            found.append((moment, code))
        return sorted(found)

    def register(self, received_at: datetime, channel_code: str) -> tuple[Complaint, list[Clock], AuditEvent]:
        """The complaint as the registration pipeline registers it (registration.Registrations.registered: the
        same complaint, clocks from receipt and "complaint.register" event), from what the channel would send;
        its key, tracking number and repeat given here, where all earlier complaints are known."""
        rng, bank, run = self.rng, self.bank, self.run
        channel = bank.channels[channel_code]
        unit = bank.units.pick(rng)
        category = self.categories.pick(rng)
        name, phone, earlier = self.customers.pick()
        _title, description, demand = self.texts.complaint()
        registrar = self._registrar(channel, unit)
        pk, tracking_number = run.take_id(Complaint), self._tracking_number(received_at)
        data = registration_input.RegistrationInput(
            complainant_name=name, phone=phone, channel=channel, unit=unit, business_category=category,
            cause=self._cause(category), description=description, demand=demand, received_at=received_at)
        self._particulars(data, pk, tracking_number)
        registered_at = min(received_at + timedelta(hours=rng.random() * 2 * CHANNELS[channel_code][2]), run.now)
        complaint, started, event = run.pipeline(registrar).registered(
            data, bank.severity_rules, pk=pk, tracking_number=tracking_number, registered_at=registered_at,
            repeat_of_id=earlier)
        event.request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # each registration its request
        self.customers.remember(name, phone, complaint.pk, first_time=earlier is None)
        return complaint, started, event

    def _registrar(self, channel: Channel, unit: OrgUnit) -> User | None:
        if channel.kind == ChannelKind.PUBLIC:
            return None
        if channel.kind == ChannelKind.REGULATOR:
            return self.rng.choice(self.bank.over(Role.CONSUMER_PROTECTION, unit.path))
        return self.bank.users[REGISTRARS.get(channel.code, "agent01")]

    def _tracking_number(self, received_at: datetime) -> str:
        """TS-YYYYMMDD-NNNNNN, continuing the day's TrackingSequence like registration._next_tracking_number."""
        day = _local(received_at).date()
        self.tracking[day] = self.tracking.get(day, 0) + 1
        self.tracking_used.add(day)
        return f"TS-{day:%Y%m%d}-{self.tracking[day]:06d}"

    def take_tracking(self) -> dict[date, int]:
        """The last number given out on each day used since the last call."""
        used = {day: self.tracking[day] for day in sorted(self.tracking_used)}
        self.tracking_used.clear()
        return used

    def _cause(self, category: BusinessCategory) -> Cause:
        causes, typical = self.bank.causes, TYPICAL_CAUSE.get(category.code)
        if typical in causes and self.rng.random() < TYPICAL_CAUSE_SHARE:
            return causes[typical]
        return causes[self.causes.pick(self.rng)]

    def _particulars(self, data: registration_input.RegistrationInput, pk: int, tracking_number: str) -> None:
        """The optional fields: e-mail, ID, card, amount, staff named, group, the regulator's reference."""
        rng = self.rng
        if data.channel.kind == ChannelKind.EMAIL or rng.random() < EMAIL_SHARE:
            data.email = f"c{pk}@mail.example.cn"
        if rng.random() < ID_SHARE:
            data.id_type, data.id_number = IdType.RESIDENT_ID, self._resident_id()
        if rng.random() < ACCOUNT_SHARE:
            data.account_number = "6222" + "".join(rng.choice("0123456789") for _n in range(15))
        if rng.random() < AMOUNT_SHARE:
            amount = min(rng.lognormvariate(math.log(AMOUNT_MEDIAN), AMOUNT_SIGMA), AMOUNT_CAP)
            data.amount_involved = Decimal(f"{amount:.2f}")
        if data.cause.code == "attitude" and rng.random() < STAFF_NAMED_SHARE:
            data.staff_concerned_name = rng.choice(SURNAMES) + rng.choice(STAFF_WORDS)
        if rng.random() < GROUP_SHARE:
            data.is_group, data.group_size = True, rng.randint(3, 80)
        if data.channel.kind == ChannelKind.REGULATOR:
            data.external_reference = f"{data.channel.code.upper()}-{tracking_number[3:]}"
            days = rng.randint(*REGULATOR_DAYS)
            data.external_deadline = _midnight(_local(data.received_at).date()
                                               + timedelta(days=days + 1)) - timedelta(seconds=1)

    def _resident_id(self) -> str:
        rng = self.rng
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        body = f"{rng.choice(ID_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        total = sum(int(digit) * weight for digit, weight in zip(body, registration_input.RESIDENT_ID_WEIGHTS))
        return body + registration_input.RESIDENT_ID_CHECK[total % 11]


# --- One complaint's history ------------------------------------------------------------------------------------

class History:
    """A complaint taken through the steps staff would take, up to the present, and every row it leaves.

    Each step mirrors a service (named in its docstring): the same fields change, the same clocks start
    and stop, the same audit event is recorded with the same snapshots. Before each step, `reach` does
    what the minute sweep would have done since the last one.
    """

    def __init__(self, run: "Run", complaint: Complaint, started: list[Clock], registered: AuditEvent):
        """The complaint as registered, with the clocks its registration started and its event."""
        self.run, self.bank, self.rng, self.complaint = run, run.bank, run.rng, complaint
        self.clocks: list = []
        self.assisting: list[OrgUnit] = []
        self.decision: Decision | None = None
        self.snapshot = {name: _json(f.value_from_object(complaint)) for name, f in AUDITED.items()}
        self.reviewer = self.rng.choice(self.bank.over(Role.CONSUMER_PROTECTION, complaint.unit_path))
        for clock in started:
            self.clocks.append(self._add(Clock, clock))
        self._add(AuditEvent, registered)

    # -- the rows ------------------------------------------------------------------------------------------------

    def _set(self, **fields) -> None:
        """Set fields of the complaint and keep `snapshot` (saving.snapshot of it: the audited fields, as
        audit.to_json writes them) up to date, without reading every field again."""
        for name, value in fields.items():
            setattr(self.complaint, name, value)
        self.snapshot = {**self.snapshot, **{name: _json(AUDITED[name].value_from_object(self.complaint))
                                             for name in fields if name in AUDITED}}

    def _event(self, action: str, at: datetime, actor: User | None, before=None, after=None,
               source: str = AuditSource.WEB) -> None:
        """audit.event_for's row: a web request's, or the sweep's (no actor, no request)."""
        complaint = self.complaint
        self._add(AuditEvent, Row(
            occurred_at=at, actor_id=actor.pk if actor else None, actor_label=str(actor) if actor else source,
            source=source,
            request_id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)) if source == AuditSource.WEB else "",
            action=action, object_type="complaints.complaint", object_id=str(complaint.pk),
            object_repr=complaint.tracking_number, unit_path=complaint.unit_path, before=before, after=after))

    def _change(self, action: str, at: datetime, actor: User | None, extra: dict | None = None, **fields) -> None:
        """saving.save_change: set `fields`, bump the version, record before and after (and `extra`)."""
        before = self.snapshot
        self._set(version=self.complaint.version + 1, updated_at=at, **fields)
        self._event(action, at, actor, before, {**self.snapshot, **(extra or {})})

    def _add(self, model, row):
        self.run.batch.add(model, row)
        return row

    # -- the clocks (clocks.start / stop) and the sweep ----------------------------------------------------------

    def _start(self, kind: str, at: datetime) -> None:
        found = self.run.days.deadline(kind, self.complaint, at)
        self.clocks.append(self._add(Clock, Row(
            complaint_id=self.complaint.pk, kind=kind, state=ClockState.RUNNING, started_at=at, due_at=found.due_at,
            warn_at=found.warn_at, limit_count=found.limit_count, limit_unit=found.limit_unit,
            provisional=found.provisional, warned_at=None, overdue_at=None, chase_count=0, last_chased_at=None,
            stopped_at=None, next_check_at=None, assist_request_id=None, paused_at=None, paused_seconds=0)))

    def _running(self) -> list[Row]:
        return [clock for clock in self.clocks if clock.state == ClockState.RUNNING]

    def _stop(self, at: datetime, kinds=None) -> None:
        for clock in self._running():
            if kinds is None or clock.kind in kinds:
                self._settle(clock, at)
                clock.state, clock.stopped_at = ClockState.STOPPED, at

    def reach(self, at: datetime) -> bool:
        """Whether a step at `at` has happened by now; if so, first run the sweep up to it."""
        if at > self.run.now:
            return False
        self._sweep(at)
        return True

    def _sweep(self, until: datetime) -> None:
        """sweeper._run_out for every running clock due by `until`, in the order they ran out."""
        while True:
            due = [clock for clock in self._running() if clock.overdue_at is None and clock.due_at <= until]
            if not due:
                return
            clock = min(due, key=attrgetter("due_at"))
            clock.overdue_at, clock.warned_at = clock.due_at, clock.warned_at or clock.due_at
            if clock.kind == ClockKind.BECOMES_MAJOR:
                self._becomes_major(clock.due_at)
                continue
            clock.chase_count, clock.last_chased_at = 1, clock.due_at
            self._set(escalation_level=self.complaint.escalation_level + 1)
            self._event("complaint.overdue", clock.due_at, None, source=AuditSource.SYSTEM, after={
                "clock": clock.kind, "due": _json(clock.due_at), "note": self.bank.kind_labels[clock.kind]})

    def _settle(self, clock: Row, until: datetime) -> None:
        """The sweep's warning and chases (every chase interval after the run-out) up to `until`."""
        if clock.warn_at and clock.warned_at is None and clock.warn_at <= until:
            clock.warned_at = clock.warn_at
        if clock.overdue_at and clock.kind != ClockKind.BECOMES_MAJOR:
            chases = int((until - clock.overdue_at) / self.run.chase_interval)
            clock.chase_count, clock.last_chased_at = 1 + chases, clock.overdue_at + chases * self.run.chase_interval

    def _becomes_major(self, at: datetime) -> None:
        """sweeper._make_major: unresolved for a month."""
        if self.complaint.severity == Severity.MAJOR:
            return
        before = self.snapshot
        self._set(severity=Severity.MAJOR)
        self._event("complaint.becomes_major", at, None, before, self.snapshot, source=AuditSource.SYSTEM)
        self._start(ClockKind.MAJOR_REPLY, at)

    def finish(self) -> None:
        """Sweep up to the present, set each clock's next check, and queue the search entry."""
        now = self.run.now
        self._sweep(now)
        for clock in self._running():
            self._settle(clock, now)
            clock.next_check_at = clocks.next_check(clock)
        for unit in self.assisting:
            self._add(ASSISTING, Row(complaint_id=self.complaint.pk, orgunit_id=unit.pk))
        self._add(Complaint, self.complaint)
        self.run.batch.documents.append(self._document())

    def _document(self) -> Document:
        """What saving.index_for_search writes for the complaint."""
        c = self.complaint
        category = c.business_category
        return Document(kind="complaint", object_id=c.pk, code=c.tracking_number,
                        title=f"{c.tracking_number} {self.bank.category_labels[category.pk]}",
                        body=f"{c.description}\n{c.demand}",
                        group=category.parent.code if category.parent_id else category.code,
                        unit_path=c.unit_path, lead_path=c.lead_department_path, handler_id=c.handler_id)

    # -- the steps -------------------------------------------------------------------------------------------------

    def refuse(self, at: datetime) -> None:
        """acceptance.refuse_complaint, the notice by phone or SMS."""
        reason = self.rng.choice(self.bank.refusal_reasons)
        channel = self.rng.choice([NoticeChannel.PHONE, NoticeChannel.SMS])
        notice = self._add(CustomerNotice, Row(
            id=self.run.take_id(CustomerNotice), complaint_id=self.complaint.pk, kind="non_acceptance",
            channel=channel, text=acceptance.non_acceptance_notice(self.complaint, reason),
            sent_by_id=self.reviewer.pk, created_at=at))
        self._stop(at)
        self._change("complaint.refuse", at, self.reviewer, {"notice": notice.id, "channel": channel},
                     status=Status.NOT_ACCEPTED, reviewed_by=self.reviewer, non_acceptance_reason=reason)

    def accept(self, at: datetime) -> bool:
        """acceptance.accept_complaint: the handling clocks start (the statutory decision clock runs since
        receipt) and the routing rules route it at once. False when no rule matches (it waits, accepted, for
        routing by hand)."""
        self._change("complaint.accept", at, self.reviewer, status=Status.ACCEPTED, accepted_at=at,
                     reviewed_by=self.reviewer)
        self._stop(at, [ClockKind.ACCEPTANCE])
        kinds = [ClockKind.DISPATCH, ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.BECOMES_MAJOR]
        for kind in kinds + ([ClockKind.MAJOR_REPLY] if self.complaint.severity == Severity.MAJOR else []):
            self._start(kind, at)
        rule = self.bank.route(self.complaint)
        if rule is None:
            return False
        self.route(at + timedelta(milliseconds=50), self.reviewer, rule.lead_department,
                   list(rule.assisting_departments.all()), rule.name)
        return True

    def route(self, at: datetime, actor: User, department: OrgUnit, assisting: list[OrgUnit], rule: str = "") -> None:
        """routing.apply_route, to one of the department's handlers (routing picks the least loaded)."""
        handlers = self.bank.handlers(department)
        self._change("complaint.route", at, actor, {"assisting": [unit.code for unit in assisting], "rule": rule},
                     lead_department=department, lead_department_path=department.path,
                     handler=self.rng.choice(handlers) if handlers else None, routed_at=at, status=Status.ROUTED)
        self.assisting = assisting
        self._stop(at, [ClockKind.DISPATCH])

    def _investigating(self) -> str:
        """investigation._investigating: any handling work on a routed complaint means it is being investigated."""
        return Status.INVESTIGATING if self.complaint.status == Status.ROUTED else self.complaint.status

    def start(self, at: datetime) -> None:
        """investigation.start_handling."""
        self._change("complaint.start", at, self.complaint.handler, status=self._investigating())

    def contact(self, at: datetime) -> None:
        """investigation.log_contact: the clear reply a major complaint needs."""
        handler = self.complaint.handler
        self._add(CustomerContact, Row(complaint_id=self.complaint.pk, channel=ContactChannel.CALL, summary=CONTACT,
                                       contacted_at=at, staff_id=handler.pk, created_at=at))
        self._stop(at, [ClockKind.MAJOR_REPLY])
        self._change("complaint.contact", at, handler, {"channel": ContactChannel.CALL, "note": CONTACT},
                     status=self._investigating())

    def note(self, at: datetime) -> None:
        """investigation.add_note."""
        text, handler = self.rng.choice(NOTES), self.complaint.handler
        self._add(HandlingNote, Row(complaint_id=self.complaint.pk, text=text, author_id=handler.pk, created_at=at))
        self._change("complaint.note", at, handler, {"note": text}, status=self._investigating())

    def withdraw(self, at: datetime) -> None:
        """acceptance.withdraw_complaint, recorded by the handler."""
        self._stop(at)
        self._change("complaint.withdraw", at, self.complaint.handler, {"note": WITHDRAWAL}, status=Status.WITHDRAWN)

    def propose(self, at: datetime) -> None:
        """approval.propose_decision."""
        closure = self.bank.closures[CLOSURE_CHOICE.pick(self.rng)]
        remedies, amount = [Remedy.EXPLANATION], None
        if closure.code == "bank_at_fault":
            remedies = [Remedy.APOLOGY, self.rng.choice(FAULT_REMEDIES)]
            if Remedy.COMPENSATION in remedies:
                amount = min(self.complaint.amount_involved or Decimal(f"{self.rng.uniform(50, 800):.2f}"),
                             self.run.top_approval_limit)
        handler = self.complaint.handler
        self.decision = self._add(Decision, Decision(
            pk=self.run.take_id(Decision), complaint_id=self.complaint.pk, finding=FINDINGS[closure.code],
            remedies=remedies, compensation_amount=amount, closure_code=closure, proposed_by=handler, proposed_at=at))
        self._change("complaint.decision_propose", at, handler, {
            "decision": self.decision.pk, "remedies": remedies, "amount": str(amount or ""), "closure": closure.code},
            status=Status.DECISION_PROPOSED)

    def approve(self, at: datetime) -> None:
        """approval.approve_decision, by the first head, officer or manager over the case whose limit covers it."""
        decision, c = self.decision, self.complaint
        path = c.lead_department_path or c.unit_path
        candidates = [user for role in APPROVER_ROLES for user in self.bank.over(role, path)]
        approver = next(user for user in candidates if user != decision.proposed_by
                        and (decision.compensation_amount or 0) <= self.run.approval_limit(user, c))
        note = self.rng.choice(APPROVAL_NOTES)
        decision.status, decision.reviewed_by, decision.reviewed_at, decision.review_note = (
            DecisionStatus.APPROVED, approver, at, note)
        self._change("complaint.decision_approve", at, approver, {"decision": decision.pk, "note": note},
                     status=Status.DECISION_APPROVED, closure_code=decision.closure_code)

    def communicate(self, at: datetime) -> None:
        """communication.communicate_decision: the notice is sent; the answered clocks stop, the callback clock starts."""
        decision, c = self.decision, self.complaint
        channel = COMMUNICATION_CHOICE.pick(self.rng)
        if channel == NoticeChannel.EMAIL and not c.email:
            channel = NoticeChannel.SMS
        decision.status, decision.communicated_at, decision.communication_channel = (
            DecisionStatus.COMMUNICATED, at, channel)
        self._add(CustomerNotice, Row(id=self.run.take_id(CustomerNotice), complaint_id=c.pk, kind="decision",
                                      channel=channel, text=communication.decision_notice(c, decision),
                                      sent_by_id=c.handler_id, created_at=at))
        self._stop(at, communication.ANSWERED_CLOCKS)
        self._start(ClockKind.CALLBACK, at)
        self._change("complaint.communicate", at, c.handler, {"decision": decision.pk, "channel": channel},
                     status=Status.COMMUNICATED, communicated_at=at, failed_callbacks=0)

    def callback(self, at: datetime, reached: bool, satisfaction: str = "", reopen_kind: str = "") -> None:
        """callback.record_callback: not reached, reopened (not satisfied) or closed."""
        staff, c = self.reviewer, self.complaint
        reason = UNHAPPY if reopen_kind else ""
        record = self._add(CallbackRecord, Row(
            id=self.run.take_id(CallbackRecord), complaint_id=c.pk, reached=reached, satisfaction=satisfaction,
            reason=reason, reopen_kind=reopen_kind, staff_id=staff.pk, created_at=at))
        extra = {"callback": record.id, "satisfaction": satisfaction, "note": reason}
        if not reached:
            self._change("complaint.callback_failed", at, staff, extra, failed_callbacks=c.failed_callbacks + 1)
        elif reopen_kind:  # callback._reopen
            self._stop(at)
            self._start(ClockKind.REVIEW, at)
            self._change("complaint.callback", at, staff, {"kind": reopen_kind, "note": reason},
                         status=Status.REOPENED, closed_at=None, reopen_count=c.reopen_count + 1)
        else:
            self._close(at, "complaint.callback", staff, extra)

    def close_unreachable(self, at: datetime) -> None:
        """callback.close_unreachable."""
        self._close(at, "complaint.close_unreachable", self.reviewer,
                    {"attempts": self.complaint.failed_callbacks, "note": ""})

    def _close(self, at: datetime, action: str, actor: User, extra: dict) -> None:
        """callback._close."""
        self._stop(at)
        self._change(action, at, actor, extra, status=Status.CLOSED, closed_at=at)

    # -- the story -------------------------------------------------------------------------------------------------

    def live(self) -> None:
        """Take the complaint as far as it got by now: refused, or accepted, handled, decided, told, called back."""
        office, rng, c = self.run.office, self.rng, self.complaint
        review = office.after(c.registered_at, _wait(rng, REVIEW_WAIT))
        if rng.random() < REFUSE_SHARE:
            if self.reach(review):
                self.refuse(review)
            return
        if not self.reach(review) or not self.accept(review):
            return
        at = c.routed_at
        if self._about_cards() and rng.random() < REROUTE_SHARE:
            at = office.after(at, _wait(rng, REROUTE_WAIT))
            if not self.reach(at):
                return
            self.route(at, self.bank.users["cp_officer"], self.bank.card_center, [])
        started = office.after(at, _wait(rng, START_WAIT))
        if not self.reach(started):
            return
        self.start(started)
        decided = office.after(started, _wait(rng, HANDLING[c.severity], self._handling_factor()))
        if not self._investigate(started, decided):
            return
        for round_number in (1, 2):
            reopened_at = self._decide(decided, reopen_allowed=round_number == 1)
            if reopened_at is None:
                return
            decided = office.after(reopened_at, _wait(rng, REWORK))

    def _about_cards(self) -> bool:
        category = self.complaint.business_category
        return bool(self.bank.card_center and category.parent_id and category.parent.code == "credit_card")

    def _handling_factor(self) -> float:
        draw = self.rng.random()
        return STUCK_FACTOR if draw < STUCK_SHARE else COMPLEX_FACTOR if draw < STUCK_SHARE + COMPLEX_SHARE else 1.0

    def _investigate(self, started: datetime, decided: datetime) -> bool:
        """The contact a major complaint needs, a note, perhaps the withdrawal; False when the story ends here."""
        span = decided - started
        if self.complaint.severity == Severity.MAJOR:
            if not self.reach(started + span * 0.2):
                return False
            self.contact(started + span * 0.2)
        if self.rng.random() < NOTE_SHARE:
            if not self.reach(started + span * 0.5):
                return False
            self.note(started + span * 0.5)
        if self.rng.random() < WITHDRAW_SHARE:
            if self.reach(started + span * 0.8):
                self.withdraw(started + span * 0.8)
            return False
        return True

    def _decide(self, decided: datetime, reopen_allowed: bool) -> datetime | None:
        """Propose, approve, communicate, call back; the time it was reopened, or None when the story ends."""
        office, rng = self.run.office, self.rng
        approved = office.after(decided, _wait(rng, APPROVAL_WAIT))
        told = office.after(approved, _wait(rng, COMMUNICATION_WAIT))
        for at, step in ((decided, self.propose), (approved, self.approve), (told, self.communicate)):
            if not self.reach(at):
                return None
            step(at)
        at = told
        for attempt in range(self.run.callback_attempts):
            at = office.after(at, _wait(rng, RETRY_WAIT if attempt else CALLBACK_WAIT))
            if not self.reach(at):
                return None
            if rng.random() >= REACH_SHARE:
                self.callback(at, reached=False)
                continue
            satisfaction = SATISFACTION_CHOICE.pick(rng)
            if satisfaction != Satisfaction.NOT_SATISFIED:
                self.callback(at, True, satisfaction)
                return None
            if reopen_allowed:  # not satisfied always reopens; the second time round, it settles
                self.callback(at, True, satisfaction, rng.choice(ReopenKind.values))
                return at
            self.callback(at, True, Satisfaction.BASICALLY_SATISFIED)
            return None
        at = office.after(at, _wait(rng, RETRY_WAIT))
        if self.reach(at):
            self.close_unreachable(at)
        return None


# --- A run: batches written in bulk ---------------------------------------------------------------------------------

def _tables() -> dict:
    """Each table's writer (core.bulk.Rows, as the registration pipeline writes): the ids named by audit
    events are given out here, the others by the database."""
    return {model: bulk.Rows(model, with_ids=model in GIVEN_IDS) for model in INSERTED}


@dataclass
class Prepared:
    """A batch as the generating process hands it over: values per table, search documents, tracking numbers."""

    values: dict[str, list[list]]  # by table name
    documents: list[Document]
    complaint_ids: list[int]
    tracking: dict[date, int]


class Batch:
    """The rows of up to BATCH complaints."""

    def __init__(self):
        self.rows: dict = {model: [] for model in INSERTED}
        self.documents: list[Document] = []

    def add(self, model, row) -> None:
        self.rows[model].append(row)

    def __len__(self) -> int:
        return len(self.rows[Complaint])

    def prepared(self, tables: dict, tracking: dict[date, int]) -> Prepared:
        values = {model._meta.db_table: tables[model].values(rows) for model, rows in self.rows.items()}
        return Prepared(values, self.documents, [complaint.pk for complaint in self.rows[Complaint]], tracking)


class Run:
    """One top-up in the generating process: the present, the bank, the calendar, the ids given out."""

    def __init__(self, seed: int, existing: int):
        self.now = timezone.now()
        self.rng = random.Random(seed * 1_000_003 + existing)
        self.bank = Bank(self.rng)
        self.days = Days(self.now)
        self.office = Office(self.days, self.rng)
        self.chase_interval = timedelta(hours=rules.get("clock.chase_interval_hours"))
        self.callback_attempts = rules.get("complaint.callback_max_attempts")
        self.top_approval_limit = max(rules.get(key) for key in state_machine.APPROVAL_LIMIT_RULES.values())
        self.next_ids = {model: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1 for model in GIVEN_IDS}
        self.approval_limits: dict[tuple, Decimal] = {}
        self.batch = Batch()
        self.pipelines: dict = {}

    def approval_limit(self, user: User, complaint: Complaint) -> Decimal:
        """state_machine.approval_limit, remembered per user and pair of units."""
        key = (user.pk, complaint.unit_path, complaint.lead_department_path)
        if key not in self.approval_limits:
            self.approval_limits[key] = state_machine.approval_limit(user, complaint)
        return self.approval_limits[key]

    def pipeline(self, registrar: User | None) -> registration.Registrations:
        """The registration pipeline of a registrar (each keeps its snapshots and deadlines of earlier ones)."""
        key = registrar.pk if registrar else None
        if key not in self.pipelines:
            self.pipelines[key] = registration.Registrations(registrar)
        return self.pipelines[key]

    def take_id(self, model) -> int:
        given = self.next_ids[model]
        self.next_ids[model] += 1
        return given


def produce(wanted: int, seed: int, existing: int, vocabulary: Path, batches) -> None:
    """The generating process: `wanted` complaints day by day, each BATCH of them put on `batches` prepared
    for the database, then None."""
    run = Run(seed, existing)
    incoming = Intake(run, TextMaker(vocabulary, seed * 1_000_003 + existing), first_number=existing)
    tables = _tables()
    with _collecting_per_batch(), audit.audit_context(source=AuditSource.WEB):
        for day, count in run.days.counts(wanted, run.rng):
            for received_at, channel in incoming.arrivals(day, count):
                history = History(run, *incoming.register(received_at, channel))
                history.live()
                history.finish()
                if len(run.batch) == BATCH:
                    batches.put(run.batch.prepared(tables, incoming.take_tracking()))
                    run.batch = Batch()
                    gc.collect()
        if len(run.batch):
            batches.put(run.batch.prepared(tables, incoming.take_tracking()))
    batches.put(None)


def _produced(wanted: int, seed: int, existing: int, vocabulary: Path):
    """The batches of a generating process started here (spawned: its own Django and database connection),
    so that making the rows and writing them run on two processors."""
    context = multiprocessing.get_context("spawn")
    batches = context.Queue(maxsize=QUEUED_BATCHES)
    producer = context.Process(target=produce, args=(wanted, seed, existing, vocabulary, batches), daemon=True)
    producer.start()
    while (batch := _next(batches, producer)) is not None:
        yield batch
    producer.join()


def _next(batches, producer) -> Prepared | None:
    """The next batch, or None at the end; an error if the generating process died (its traceback is above)."""
    while True:
        try:
            return batches.get(timeout=5)
        except queue.Empty:
            if not producer.is_alive() and batches.empty():
                raise RuntimeError(f"the generating process stopped (exit code {producer.exitcode})") from None


def generate(total: int, seed: int = 7, vocabulary: Path = VOCABULARY) -> dict:
    """Top the complaints up to `total` (see the module's docstring); returns what was added and how fast.

    The database must be migrated with the demo loaded. The generating process is spawned: a script
    calling this must guard its entry point with `if __name__ == "__main__"`.
    """
    existing = Complaint.objects.count()
    started = time.perf_counter()
    figures = {"added": 0, "index_seconds": 0.0, "rows": dict.fromkeys((m._meta.db_table for m in ANALYZED), 0)}
    if existing < total:
        if not vocabulary.exists():
            write_vocabulary(vocabulary)
        if connection.vendor == "sqlite":  # keep the growing indexes in memory while loading
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_MEGABYTES * 1024}")
        tables = {model._meta.db_table: rows for model, rows in _tables().items()}
        with _collecting_per_batch():
            for batch in _produced(total - existing, seed, existing, vocabulary):
                _write(batch, tables, figures)
                gc.collect()
                elapsed = time.perf_counter() - started
                print(f"  {figures['added']:>9,} complaints  {elapsed:6.0f} s  {figures['added'] / elapsed:6,.0f}/s"
                      f"  (search index {figures['index_seconds']:.0f} s)", flush=True)
    written = time.perf_counter()
    if figures["added"]:
        _finish_tables()
    finished = time.perf_counter()
    return {"engine": connection.vendor, "complaints_before": existing, "complaints_added": figures["added"],
            "complaints_after": existing + figures["added"], "rows_added": figures["rows"],
            "seconds": round(finished - started, 1), "seconds_search_index": round(figures["index_seconds"], 1),
            "seconds_analyze": round(finished - written, 1),
            "complaints_per_second": round(figures["added"] / (finished - started)),
            "rows_per_second": round(sum(figures["rows"].values()) / (finished - started))}


def _write(batch: Prepared, tables: dict, figures: dict) -> None:
    """One transaction: the rows, the search entries, the complaints' deadlines (clocks.refresh_complaints)
    and the tracking sequences."""
    rows = figures["rows"]
    with transaction.atomic():
        for table, values in batch.values.items():
            tables[table].insert_values(values)
            rows[table] += len(values)
        started = time.perf_counter()
        index_many(batch.documents)
        figures["index_seconds"] += time.perf_counter() - started
        clocks.refresh_complaints(batch.complaint_ids)
        TrackingSequence.objects.bulk_create(
            [TrackingSequence(day=day, last=last) for day, last in batch.tracking.items()],
            update_conflicts=True, unique_fields=["day"], update_fields=["last"])
    rows[SearchEntry._meta.db_table] += len(batch.documents)
    rows[TrackingSequence._meta.db_table] += len(batch.tracking)
    figures["added"] += len(batch.complaint_ids)


def _finish_tables() -> None:
    """Move the id sequences past the ids given out here (PostgreSQL); refresh the planner's statistics."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), GIVEN_IDS):
            cursor.execute(statement)
        if connection.vendor == "sqlite":  # statistics from a sample of each index, as PRAGMA optimize takes
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        for model in ANALYZED:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, required=True, help="complaints wanted in the database")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocabulary", type=Path, default=VOCABULARY)
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    print(json.dumps(generate(arguments.total, arguments.seed, arguments.vocabulary), indent=2))


if __name__ == "__main__":
    main()
