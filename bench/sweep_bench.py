"""The deadline sweep with many open complaints and a few due: time and queries per run.

Usage: python bench/sweep_bench.py --open 1000000 --due 100 [--rounds 5]
Uses its own database: SQLite under bench/var/ by default, or DATABASE_URL (PostgreSQL).
Loads the demo bank, then bulk-inserts N open complaints (copies of a routed demo complaint) each
with a running decision clock due in a month. Each round makes D of those clocks due now and times
`sweeper.sweep()`, which must warn, chase and escalate exactly those D and touch nothing else.
Writes bench/results/sweep-<engine>-<date>.json.
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
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bankdesk.complaints.handling import sweeper  # noqa: E402
from bankdesk.complaints.models import Clock, ClockKind, ClockState, Complaint, Status  # noqa: E402

PREFIX = "TS-BENCH-"
BATCH = 5000


def build(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    existing = Complaint.objects.filter(tracking_number__startswith=PREFIX).count()
    template = Complaint.objects.filter(status=Status.ROUTED).exclude(tracking_number__startswith=PREFIX).first()
    fields = {f.attname: getattr(template, f.attname) for f in Complaint._meta.concrete_fields
              if f.attname not in ("id", "tracking_number")}
    later = timezone.now() + timedelta(days=30)
    started = time.perf_counter()
    for first in range(existing, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        with transaction.atomic():
            made = Complaint.objects.bulk_create(
                [Complaint(**fields, tracking_number=f"{PREFIX}{n:08d}") for n in numbers])
            Clock.objects.bulk_create([
                Clock(complaint_id=complaint.pk, kind=ClockKind.DECISION, limit_count=15, limit_unit="calendar_days",
                      started_at=timezone.now(), due_at=later, warn_at=later, next_check_at=later)
                for complaint in made])
        print(f"  {numbers[-1] + 1:>9} open complaints", end="\r", flush=True)
    if count > existing:
        print(f"\nbuilt {count - existing} complaints in {time.perf_counter() - started:.0f} s")


def make_due(due: int, round_number: int) -> None:
    """The next `due` bench clocks run out now (each round takes other ones)."""
    now = timezone.now()
    ids = list(Clock.objects.filter(complaint__tracking_number__startswith=PREFIX, state=ClockState.RUNNING,
                                    overdue_at__isnull=True).order_by("id")
               .values_list("id", flat=True)[round_number * due:(round_number + 1) * due])
    Clock.objects.filter(id__in=ids).update(due_at=now, warn_at=now - timedelta(hours=1), warned_at=now,
                                            next_check_at=now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    build(args.open)
    sweeper.sweep()  # settle what the demo itself has due, so each round sees only its own items
    timings, queries = [], []
    for round_number in range(args.rounds):
        make_due(args.due, round_number)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = sweeper.sweep()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        assert result.overdue == args.due, result
    report = {
        "date": date.today().isoformat(), "machine": platform.platform(), "python": platform.python_version(),
        "engine": connection.vendor, "open_complaints": Complaint.objects.filter(
            tracking_number__startswith=PREFIX).count(), "due_per_run": args.due, "rounds": args.rounds,
        "ms_median": round(statistics.median(timings), 1), "ms_max": round(max(timings), 1),
        "queries_per_run": queries,
    }
    print(json.dumps(report, indent=2))
    out = ROOT / "bench" / "results" / f"sweep-{connection.vendor}-{date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
