"""The monthly regulatory table and the management dashboard with many complaints: time and queries of one
computation each.

Usage: python bench/reports_bench.py --complaints 1000000 [--rounds 3]
Uses its own database: SQLite under bench/var/reports/ by default (BANKDESK_VAR_DIR), or DATABASE_URL
(PostgreSQL). Loads the demo bank, then inserts copies of a demo complaint (its stored values, one executemany per batch) until N complaints carry the
bench's tracking prefix: received evenly over the 365 days before today, about the demo's outlets and
sub-branches in turn, by every channel, leaf business category and cause in turn, and 60 % of them closed with
each closure code in turn, ten days after they were received (at the latest now); a later run with a larger N
adds only the difference. Each gets its statutory (decision) clock, due 15 days after it was received, stopped
when it closed, one closed complaint in seven having run out; each closed one a callback that reached the
customer, satisfied but one in seven (one INSERT … SELECT each, for the complaints that have none yet): the
dashboard's on-time, resolution and satisfaction figures read them.

Each round computes the monthly table of last month (analytics/reports/tables.py: five GROUP BYs and their
names) as the head office's consumer-protection officer over the whole bank, and as a branch's over its
branch, the way the background task does; then everything the management dashboard page computes for last
month (analytics/dashboards.py `dashboard`, as analytics/views.py calls it: the headline against references,
the twelve months' trend, the breakdowns, the units per 10,000 customers and the sections other apps add) as
the head office's management user over the whole bank and over one branch.
Writes bench/results/reports-<engine>-<date>.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var" / "reports"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import (  # noqa: E402
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Least, Mod  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bankdesk.analytics import dashboards, periods, selectors  # noqa: E402
from bankdesk.analytics.reports import tables  # noqa: E402
from bankdesk.analytics.reports.models import ReportKind  # noqa: E402
from bankdesk.complaints.models import (  # noqa: E402
    BusinessCategory,
    CallbackRecord,
    Cause,
    Channel,
    Clock,
    ClockKind,
    ClockState,
    ClosureCode,
    Complaint,
    LimitUnit,
    Satisfaction,
    Status,
)
from bankdesk.core.bulk import insert_select  # noqa: E402
from bankdesk.orgs.models import OrgUnit, UnitKind, User  # noqa: E402

PREFIX = "RB-BENCH-"
BATCH = 5000
CLOSED_PER_TEN = 6
CLOSED_AFTER = timedelta(days=10)
DUE_AFTER = timedelta(days=15)


def build(count: int) -> int:
    os.makedirs(os.environ["BANKDESK_VAR_DIR"], exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    existing = Complaint.objects.filter(tracking_number__startswith=PREFIX).count()
    template = Complaint.objects.exclude(tracking_number__startswith=PREFIX).order_by("id").first()
    fields = [f for f in Complaint._meta.concrete_fields if f.attname != "id"]
    # The template's values as the database stores them (ciphertexts included), prepared once
    stored = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    units = list(OrgUnit.objects.filter(kind__in=[UnitKind.OUTLET, UnitKind.SUB_BRANCH]).order_by("path"))
    channels = list(Channel.objects.order_by("id").values_list("id", flat=True))
    categories = list(BusinessCategory.objects.filter(parent__isnull=False).order_by("id").values_list("id", flat=True))
    causes = list(Cause.objects.order_by("id").values_list("id", flat=True))
    codes = list(ClosureCode.objects.order_by("id").values_list("id", flat=True))
    received_field = Complaint._meta.get_field("received_at")
    table = Complaint._meta.db_table
    columns = [f.column for f in fields]
    sql = (f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    now = timezone.now()
    step = timedelta(days=365) / max(count, 1)
    started = time.perf_counter()
    for first in range(existing, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        rows = []
        for n in numbers:
            unit = units[n % len(units)]
            closed = n % 10 < CLOSED_PER_TEN
            values = {**stored, "tracking_number": f"{PREFIX}{n:08d}",
                      "received_at": received_field.get_db_prep_save(now - step * (count - n), connection),
                      "unit_id": unit.pk, "unit_path": unit.path, "channel_id": channels[n % len(channels)],
                      "business_category_id": categories[n % len(categories)], "cause_id": causes[n % len(causes)],
                      "status": Status.CLOSED.value if closed else stored["status"],
                      "closure_code_id": codes[n % len(codes)] if closed else None}
            rows.append([values[f.attname] for f in fields])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        print(f"  {numbers[-1] + 1:>9} complaints", end="\r", flush=True)
    # closed ten days after being received (the template's closing time, if any, is not theirs)
    closed = Complaint.objects.filter(tracking_number__startswith=PREFIX, status=Status.CLOSED, closed_at__isnull=True)
    dated = closed.update(closed_at=Least(F("received_at") + CLOSED_AFTER, Value(now)))
    clocked = clocks_and_callbacks()
    seconds = time.perf_counter() - started
    if count > existing or dated or any(clocked):
        print(f"\nbuilt {count - existing} complaints in {seconds:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # every table: the complaints, their clocks and callbacks
    return Complaint.objects.filter(tracking_number__startswith=PREFIX).count()


def timed(compute, rounds: int) -> tuple[dict, object]:
    """The median and slowest of `rounds` runs of compute() in milliseconds, its queries, and its last answer."""
    timings, queries, answer = [], [], None
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = compute()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return {"ms_median": round(statistics.median(timings), 1), "ms_max": round(max(timings), 1),
            "queries": queries[-1]}, answer


def constant(value, field):
    return Value(value, output_field=field)


def clocks_and_callbacks() -> tuple[int, int]:
    """Decision clocks and callbacks for the bench's complaints that have none (see the module's doc)."""
    bench = Complaint.objects.filter(tracking_number__startswith=PREFIX)
    closed = Q(status=Status.CLOSED)
    picked = Q(id_mod=0)  # one in seven (seven and the ten of CLOSED_PER_TEN share no factor)
    clocks = (bench.filter(clocks__isnull=True).annotate(id_mod=Mod("id", 7)).values_list(
        "id", constant(ClockKind.DECISION, CharField()),
        Case(When(closed, then=constant(ClockState.STOPPED, CharField())),
             default=constant(ClockState.RUNNING, CharField())),
        constant(15, IntegerField()), constant(LimitUnit.CALENDAR_DAYS, CharField()), "received_at",
        ExpressionWrapper(F("received_at") + DUE_AFTER, output_field=DateTimeField()),
        constant(False, BooleanField()),
        Case(When(closed & picked, then=F("received_at") + DUE_AFTER), default=None, output_field=DateTimeField()),
        constant(0, IntegerField()), constant(0, IntegerField()),
        Case(When(closed, then=F("closed_at")), default=None, output_field=DateTimeField())))
    made_clocks = insert_select(Clock, ["complaint", "kind", "state", "limit_count", "limit_unit", "started_at",
                                        "due_at", "provisional", "overdue_at", "chase_count", "paused_seconds",
                                        "stopped_at"], clocks)
    staff = User.objects.get(username="cp_officer").pk
    callbacks = (bench.filter(closed, callbacks__isnull=True).annotate(id_mod=Mod("id", 7)).values_list(
        "id", constant(True, BooleanField()),
        Case(When(picked, then=constant(Satisfaction.NOT_SATISFIED, CharField())),
             default=constant(Satisfaction.SATISFIED, CharField())),
        constant("", CharField()), constant("", CharField()), constant(staff, IntegerField()), "closed_at"))
    made_callbacks = insert_select(CallbackRecord, ["complaint", "reached", "satisfaction", "reason", "reopen_kind",
                                                    "staff", "created_at"], callbacks)
    return made_clocks, made_callbacks


def measure(user: User, unit: OrgUnit, period, rounds: int) -> dict:
    figures, table = timed(lambda: tables.compute(user, ReportKind.MONTHLY, period, unit), rounds)
    return {"user": user.username, "unit": unit.code, "complaints_in_table": table["total"], **figures}


def measure_dashboard(user: User, code: str, period, rounds: int) -> dict:
    """The management dashboard as the page computes it (the unit chosen in its filter, or none)."""
    def compute():
        under = selectors.unit_in_scope(user, code)
        return dashboards.dashboard(user, dashboards.board_for(user, "management"), period, under)

    figures, board = timed(compute, rounds)
    volume = next(figure.value for figure in board["headline"] if figure.indicator.key == "volume")
    return {"user": user.username, "unit": code or (board["under"].code if board["under"] else ""),
            "complaints_in_period": volume, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    total = build(args.complaints)
    period = periods.previous("month", periods.containing("month", timezone.localdate()))
    load_before = os.getloadavg()[0]
    whole = measure(User.objects.get(username="cp_officer"), OrgUnit.objects.get(code="HO"), period, args.rounds)
    branch = measure(User.objects.get(username="cp_east"), OrgUnit.objects.get(code="BR01"), period, args.rounds)
    manager = User.objects.get(username="manager")
    dashboard = {"head_office": measure_dashboard(manager, "", period, args.rounds),
                 "branch": measure_dashboard(manager, "BR01", period, args.rounds)}
    report = {
        "date": date.today().isoformat(), "machine": platform.platform(), "python": platform.python_version(),
        "engine": connection.vendor, "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "bench_complaints": total, "all_complaints": Complaint.objects.count(),
        "period": f"{period.first}–{period.last}", "head_office": whole, "branch": branch, "dashboard": dashboard,
        "target_ms": 2000, "met": max(whole["ms_max"], branch["ms_max"], dashboard["head_office"]["ms_max"],
                                      dashboard["branch"]["ms_max"]) < 2000,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"reports-{connection.vendor}-{date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
