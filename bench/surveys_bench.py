"""Drawing a survey campaign from N closed complaints, then claiming and recording M calls: time and queries.

Usage: python bench/surveys_bench.py --targets 20000 --calls 1000
Uses its own database: SQLite under bench/var/ by default, or DATABASE_URL (PostgreSQL).
Loads the demo bank, then bulk-inserts N closed complaints (copies of a closed demo complaint, closed today).
Times `services.create_campaign` (the targets are drawn by one INSERT … SELECT) and then M rounds of
`calling.claim_next` + `calling.record_call` by the demo interviewers (outcomes in turn: completed with the
answers, no answer, busy, call back tomorrow). Writes bench/results/surveys-<engine>-<date>.json.
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

from bankdesk.complaints.models import Complaint, Status  # noqa: E402
from bankdesk.orgs.models import OrgUnit, User  # noqa: E402
from bankdesk.surveys import calling, services  # noqa: E402
from bankdesk.surveys.calling import CallResult  # noqa: E402
from bankdesk.surveys.models import CampaignKind, CampaignStatus, Outcome, Questionnaire  # noqa: E402
from bankdesk.surveys.services import CampaignInput  # noqa: E402

PREFIX = "TS-SVBENCH-"
BATCH = 5000


def build(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    existing = Complaint.objects.filter(tracking_number__startswith=PREFIX).count()
    template = Complaint.objects.filter(status=Status.CLOSED).exclude(tracking_number__startswith=PREFIX).first()
    fields = {f.attname: getattr(template, f.attname) for f in Complaint._meta.concrete_fields
              if f.attname not in ("id", "tracking_number")}
    fields["closed_at"] = timezone.now()
    for first in range(existing, count, BATCH):
        with transaction.atomic():
            Complaint.objects.bulk_create([Complaint(**fields, tracking_number=f"{PREFIX}{n:08d}")
                                           for n in range(first, min(first + BATCH, count))])


def draw() -> tuple:
    cp, center = User.objects.get(username="cp_officer"), OrgUnit.objects.get(code="CC")
    today = timezone.localdate()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        campaign = services.create_campaign(cp, CampaignInput(
            name=f"bench {timezone.now():%H%M%S}", kind=CampaignKind.SURVEY, source="closed_complaints", unit=center,
            questionnaire=Questionnaire.objects.get(code="SAT-01"), source_unit=OrgUnit.objects.get(code="HO"),
            period_start=today, period_end=today))
    seconds = time.perf_counter() - started
    services.set_campaign_status(cp, campaign, CampaignStatus.ACTIVE)
    campaign.refresh_from_db()
    return campaign, seconds, len(queries)


def results_for(campaign) -> list[CallResult]:
    answers = {q.pk: v for q, v in zip(campaign.questionnaire_version.questions.order_by("position"),
                                       ["5", "4", "yes", "办理效率", ""])}
    return [CallResult(Outcome.COMPLETED, answers=answers), CallResult(Outcome.NO_ANSWER), CallResult(Outcome.BUSY),
            CallResult(Outcome.CALL_BACK, callback_at=timezone.now() + timedelta(days=1))]


def calls(campaign, count: int) -> dict:
    interviewers = list(User.objects.filter(username__in=["survey01", "survey02"]))
    outcomes, claim_times, record_times, queries = results_for(campaign), [], [], []
    for index in range(count):
        interviewer = interviewers[index % len(interviewers)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            target = calling.claim_next(interviewer, campaign)
            claimed = time.perf_counter()
            calling.record_call(interviewer, target, outcomes[index % len(outcomes)])
            record_times.append(time.perf_counter() - claimed)
            claim_times.append(claimed - started)
        queries.append(len(captured))
    return {"calls": count, "claim_ms_median": round(statistics.median(claim_times) * 1000, 2),
            "claim_ms_p95": round(sorted(claim_times)[int(count * 0.95) - 1] * 1000, 2),
            "record_ms_median": round(statistics.median(record_times) * 1000, 2),
            "record_ms_p95": round(sorted(record_times)[int(count * 0.95) - 1] * 1000, 2),
            "queries_per_call_max": max(queries), "calls_per_second": round(count / (sum(claim_times) +
                                                                                      sum(record_times)), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    build(args.targets)
    campaign, seconds, queries = draw()
    print(f"drew {campaign.target_count} targets in {seconds:.2f} s ({queries} queries)")
    calling_figures = calls(campaign, args.calls)
    print(calling_figures)
    engine = connection.vendor
    result = {"date": date.today().isoformat(), "engine": engine, "machine": platform.platform(),
              "cpus": os.cpu_count(), "load_average": os.getloadavg(), "targets": campaign.target_count,
              "draw_seconds": round(seconds, 3), "draw_queries": queries, **calling_figures}
    out = ROOT / "bench" / "results" / f"surveys-{engine}-{date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
