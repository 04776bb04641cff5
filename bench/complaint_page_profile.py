"""The complaint page in process: milliseconds and queries per GET, on a bench database, optionally profiled.

Usage: BANKDESK_VAR_DIR=bench/var/datagen python bench/complaint_page_profile.py [--rounds 10] [--profile]
Reads the database bench/datagen.py filled (make one with `bench/datagen.py --total 10000`), signs in as
handler_east (password BankDesk@2026, as `make bench`), opens the 50 newest complaints the handler may see
in turn through Django's whole stack with the test client, and prints p50/p95 milliseconds, the queries run
and the querysets compiled per page as JSON, with the processor time of the requests and the load average
(thread time: on a busy machine the wall clock also counts the waits for a processor). `--profile` prints the
functions that took the most time (cProfile; PROFILE_SORT=tottime and PROFILE_LINES=80 to change the listing).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var" / "datagen"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")
os.environ.setdefault("BANKDESK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models.sql.compiler import SQLCompiler  # noqa: E402
from django.test import Client  # noqa: E402

from bankdesk.complaints.models import Complaint  # noqa: E402
from bankdesk.complaints.selectors import visible_complaints  # noqa: E402
from bankdesk.orgs.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--user", default="handler_east")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    user = User.objects.get(username=args.user)
    ids = list(visible_complaints(user).order_by("-id").values_list("id", flat=True)[:50])
    client = Client()
    client.force_login(user)
    for pk in ids:  # warm: templates, rule cache, translations
        assert client.get(f"/complaints/{pk}/").status_code == 200
    queries = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append({"sql": sql, "time": time.perf_counter() - start})

    compiled = [0]
    execute_sql = SQLCompiler.execute_sql

    def counting(self, *args, **kwargs):  # querysets Django compiles, run or found empty
        compiled[0] += 1
        return execute_sql(self, *args, **kwargs)

    SQLCompiler.execute_sql = counting
    with connection.execute_wrapper(record):
        for pk in ids:
            client.get(f"/complaints/{pk}/")
    SQLCompiler.execute_sql = execute_sql
    profiler = cProfile.Profile() if args.profile else None
    times, cpu_times = [], []  # wall clock, and this thread's processor time (what other processes' load leaves out)
    if profiler:
        profiler.enable()
    for _round in range(args.rounds):
        for pk in ids:
            start, cpu_start = time.perf_counter(), time.thread_time()
            client.get(f"/complaints/{pk}/")
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.thread_time() - cpu_start) * 1000)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(int(os.environ.get("PROFILE_LINES", "40")))
    times.sort()
    cpu_times.sort()
    print(json.dumps({"complaints": Complaint.objects.count(), "pages": len(times),
                      "p50_ms": round(statistics.median(times), 1),
                      "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                      "cpu_p50_ms": round(statistics.median(cpu_times), 1),
                      "cpu_p95_ms": round(cpu_times[int(len(cpu_times) * 0.95) - 1], 1),
                      "load_average": round(os.getloadavg()[0], 2),
                      "queries_per_page": round(len(queries) / len(ids), 1),
                      "compiled_per_page": round(compiled[0] / len(ids), 1),
                      "sql_ms_per_page": round(sum(q["time"] for q in queries) * 1000 / len(ids), 2),
                      "quoted_columns_per_page": round(sum(q["sql"].count('"."') for q in queries) / len(ids))}))


if __name__ == "__main__":
    main()
