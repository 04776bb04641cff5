"""The daily early-warning check over a year of generated complaints: time and queries.

Usage: python bench/warnings_bench.py --total 100000 [--days 5]
Uses datagen's database (bench/var/datagen/ SQLite by default, or DATABASE_URL): migrates, loads the demo bank
and tops the complaints up to --total with bench/datagen.py (complaints, their clocks and history). Then times,
for each of the last --days days, the four detection queries (analytics.warnings.detection.findings) and the
whole check (check.run: the queries, storing the warnings with the complaints behind them, audit events and
inbox messages). Writes bench/results/warnings-<engine>-<total>-<date>.json.
"""

import argparse
import json
import platform
import statistics
import time
from datetime import timedelta

import datagen  # sets up Django on datagen's database  # noqa: I001

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bankdesk.analytics.warnings import check, detection  # noqa: E402
from bankdesk.analytics.warnings.models import EarlyWarning  # noqa: E402
from bankdesk.complaints.models import Complaint  # noqa: E402


def timed(action):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    return result, round(seconds, 3), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--days", type=int, default=5)
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(datagen.os.devnull, "w"))
    generated = datagen.generate(arguments.total)
    today = timezone.localdate()
    runs = []
    for offset in range(arguments.days, 0, -1):
        day = today - timedelta(days=offset)
        found, find_seconds, find_queries = timed(lambda day=day: detection.findings(day))
        raised, run_seconds, run_queries = timed(lambda day=day: check.run(day))
        runs.append({"day": day.isoformat(), "findings": len(found), "find_seconds": find_seconds,
                     "find_queries": find_queries, "raised": len(raised), "run_seconds": run_seconds,
                     "run_queries": run_queries,
                     "kinds": sorted({warning.kind for warning in raised})})
        print(json.dumps(runs[-1]), flush=True)
    result = {"bench": "early-warning check", "engine": connection.vendor, "complaints": Complaint.objects.count(),
              "generated": generated, "machine": platform.node(), "processor": platform.processor() or platform.machine(),
              "python": platform.python_version(), "date": today.isoformat(), "runs": runs,
              "find_seconds_median": statistics.median(run["find_seconds"] for run in runs),
              "run_seconds_median": statistics.median(run["run_seconds"] for run in runs),
              "warnings_stored": EarlyWarning.objects.count()}
    path = datagen.ROOT / "bench" / "results" / f"warnings-{connection.vendor}-{arguments.total}-{today}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
