"""Bulk import of historical complaints (bulk_import): time to check and register N rows from one CSV or XLSX.

Usage: python bench/complaint_import_bench.py --rows 100000 [--xlsx]
Uses its own database: SQLite under bench/var/import/ (recreated each run) by default, or DATABASE_URL
(PostgreSQL; the rows are added to what is there). Loads the demo bank, writes a file of N rows spread
over the demo's outlets, uploads it as the consumer-protection officer (the import is queued on the
database task queue, as in production) and runs the queued import in this process as a worker would
(bulk_import.run); then runs what the import queued, the search entries of its complaints, as a worker
would (`manage.py db_worker --batch`). Writes
bench/results/complaint-import-<engine>-<kind>-<rows>-<date>.json with the time of each phase, the time
the search entries took after the commit, the load average of the machine before and after (it is shared),
the processor time of the import and of its write pass (less moved by the machine's other work than the
elapsed time) and the peak memory of the process.
"""

import argparse
import csv
import io
import json
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "import"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKDESK_VAR_DIR", str(VAR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")
os.environ["BANKDESK_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
if "DATABASE_URL" not in os.environ:
    VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (VAR / f"bankdesk.sqlite3{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bankdesk.complaints.intake import bulk_import  # noqa: E402
from bankdesk.complaints.models import ImportJob  # noqa: E402
from bankdesk.knowledge.models import SearchEntry  # noqa: E402
from bankdesk.orgs.models import OrgUnit, UnitKind, User  # noqa: E402

HEADER = ["投诉人", "联系电话", "渠道", "网点/部门代码", "业务类别", "投诉原因", "投诉内容", "诉求", "受理时间",
          "涉及金额(元)"]
CATEGORIES = ["counter_waiting", "counter_handling", "fees_account", "debit_loss", "other_business"]
CAUSES = ["attitude", "quality", "other"]
CHANNELS = ["hotline", "outlet", "letter", "email"]


def rows(count: int, outlets: list[str], stamp: str):
    for n in range(1, count + 1):
        yield [f"客户{n}", f"13{n % 10}{n:08d}"[:11], CHANNELS[n % 4], outlets[n % len(outlets)],
               CATEGORIES[n % len(CATEGORIES)], CAUSES[n % 3], f"历史投诉{stamp}-{n}：排队时间过长，柜员态度冷淡。",
               "要求道歉", f"2024-{1 + n % 12:02d}-{1 + n % 28:02d} {8 + n % 10:02d}:{n % 60:02d}",
               "" if n % 5 else f"{n % 3000}.50"]


def build_file(count: int, outlets: list[str], xlsx: bool) -> tuple[str, bytes]:
    stamp = str(time.time_ns())
    if xlsx:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in rows(count, outlets, stamp):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return "history.xlsx", buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(count, outlets, stamp))
    return "history.csv", buffer.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    user = User.objects.get(username="cp_officer")
    outlets = list(OrgUnit.objects.filter(kind=UnitKind.OUTLET, is_active=True).values_list("code", flat=True))
    name, content = build_file(arguments.rows, outlets, arguments.xlsx)

    phases, processor = {}, {}
    real_progress = bulk_import._progress

    def timed_progress(job, **changes):
        if "phase" in changes:
            phases[changes["phase"]] = time.perf_counter()
            processor[changes["phase"]] = time.process_time()
        real_progress(job, **changes)

    bulk_import._progress = timed_progress
    load_before = os.getloadavg()
    started, started_processor = time.perf_counter(), time.process_time()
    job = bulk_import.start_import(user, SimpleUploadedFile(name, content))
    bulk_import.run(job.pk)
    finished, finished_processor = time.perf_counter(), time.process_time()
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "succeeded", job.errors[:5]
    load_after = os.getloadavg()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=open(os.devnull, "w"))
    indexed = time.perf_counter()
    entries = SearchEntry.objects.filter(kind="complaint").count()
    assert entries >= job.total_rows, entries
    result = {
        "date": date.today().isoformat(), "machine": f"{platform.node()} {os.cpu_count()} cores",
        "python": platform.python_version(), "database": connection.vendor, "kind": job.kind,
        "rows": job.total_rows, "file_megabytes": round(len(content) / 1e6, 1),
        "seconds_total": round(finished - started, 1),
        "seconds_counting": round(phases["validating"] - started, 1),
        "seconds_checking": round(phases["writing"] - phases["validating"], 1),
        "seconds_registering": round(phases["done"] - phases["writing"], 1),
        "processor_seconds_import": round(processor["done"] - started_processor, 1),
        "processor_seconds_registering": round(processor["done"] - processor["writing"], 1),
        # after the job's success is written in the import's transaction: SQLite's indexes built, the commit
        "seconds_indexes_and_commit": round(finished - phases["done"], 1),
        "processor_seconds_indexes_and_commit": round(finished_processor - processor["done"], 1),
        "rows_per_second_registering": round(job.total_rows / (phases["done"] - phases["writing"])),
        "seconds_search_entries_after_commit": round(indexed - finished, 1),
        "load_average_before": [round(figure, 2) for figure in load_before],
        "load_average_after": [round(figure, 2) for figure in load_after],
        "peak_memory_megabytes": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out = (ROOT / "bench" / "results"
           / f"complaint-import-{connection.vendor}-{job.kind}-{job.total_rows}-{result['date']}.json")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
