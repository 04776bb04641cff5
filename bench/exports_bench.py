"""The complaint list exported by the background task (core/export_jobs.py) with many complaints: time, rows,
file size, queries and the process's peak memory for CSV and XLSX, as the head office's consumer-protection
officer over the whole bank.

Usage: python bench/exports_bench.py --complaints 100000
Uses its own database (SQLite under bench/var/exports/ by default, or DATABASE_URL), filled as
bench/reports_bench.py fills its own (copies of a demo complaint). Writes bench/results/exports-<engine>-<date>.json.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var" / "exports"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")
os.environ.setdefault("BANKDESK_TASK_BACKEND", "django_tasks.backends.dummy.DummyBackend")  # the bench runs the job

sys.path.insert(0, str(ROOT / "bench"))
import reports_bench  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bankdesk.core import export_jobs  # noqa: E402
from bankdesk.orgs.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    args = parser.parse_args()
    bench_rows = reports_bench.build(args.complaints)
    officer = User.objects.get(username="cp_officer")
    figures = {"engine": connection.vendor, "complaints_in_bench": bench_rows, "date": date.today().isoformat(),
               "machine": platform.platform(), "load_average_before": os.getloadavg(), "runs": []}
    for file_format in ("csv", "xlsx"):
        job = export_jobs.request_export(officer, "complaints.list", file_format, {})
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            done = export_jobs.run(job.pk)
            seconds = time.perf_counter() - started
        run = {"format": file_format, "seconds": round(seconds, 1), "rows": done.row_count,
               "megabytes": round(done.file_size / 1e6, 1), "queries": len(queries.captured_queries),
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
        print(run)
        figures["runs"].append(run)
    figures["load_average_after"] = os.getloadavg()
    out = ROOT / "bench" / "results" / f"exports-{connection.vendor}-{args.complaints}-{date.today()}.json"
    out.write_text(json.dumps(figures, indent=2))
    print(out)


if __name__ == "__main__":
    main()
