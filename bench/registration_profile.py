"""One registration through the API, in process: milliseconds and queries per POST, optionally profiled.

Usage: python bench/registration_profile.py --complaints 10000 [--requests 300] [--idempotency] [--profile]
Uses its own SQLite database under bench/var/profile/ (kept between runs; topped up to --complaints
complaints through the registration pipeline's batch path), loads the demo bank, then POSTs
/api/complaints as agent01 (session, the body `make bench` sends) through Django's whole stack
(middleware, access rules, ninja) with the test client, and prints the figures as JSON. `--profile`
prints the functions that took the most time (cProfile, cumulative).
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var" / "profile"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")
os.environ.setdefault("BANKDESK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bankdesk.complaints.models import Complaint  # noqa: E402
from bankdesk.orgs.models import User  # noqa: E402
from run import registration_body  # noqa: E402


def top_up(count: int) -> None:
    """Complaints up to `count`, registered in batches as the bulk import registers them."""
    from bankdesk.complaints.intake import registration, registration_input

    officer = User.objects.get(username="cp_officer")
    pipeline = registration.Registrations(officer)
    body = json.loads(registration_body())
    template = registration_input.build_registration({**body, "phone": "13900000000"})
    existing = Complaint.objects.count()
    for first in range(existing, count, 2000):
        inputs = [registration_input.RegistrationInput(**{**template.__dict__, "phone": f"13{n % 7:01d}{n:08d}"})
                  for n in range(first, min(first + 2000, count))]
        pipeline.register(inputs)


def measure(requests: int, idempotency: bool) -> dict:
    client = Client()
    client.force_login(User.objects.get(username="agent01"))
    body = registration_body()
    headers = {}
    client.post("/api/complaints", body.replace("{n}", "99999999"), content_type="application/json")
    timings, queries = [], []
    for n in range(requests):
        if idempotency:
            headers = {"HTTP_IDEMPOTENCY_KEY": f"bench-{time.time_ns()}-{n}"}
        started = time.perf_counter()
        with CaptureQueriesContext(connection) if n < 5 else nullcontext() as captured:
            answer = client.post("/api/complaints", body.replace("{n}", f"{n:08d}"), content_type="application/json",
                                 **headers)
        if n < 5:
            queries.append(len(captured))
        else:  # the queries' capture costs time of its own
            timings.append(time.perf_counter() - started)
        assert answer.status_code == 201, answer.content[:300]
    timings.sort()
    return {"complaints": Complaint.objects.count(), "requests": requests, "idempotency_key": idempotency,
            "median_ms": round(timings[len(timings) // 2] * 1000, 2),
            "mean_ms": round(sum(timings) / len(timings) * 1000, 2), "queries": max(queries),
            "load_average": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=305)
    parser.add_argument("--idempotency", action="store_true")
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    Path(os.environ["BANKDESK_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="agent01").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))
    top_up(arguments.complaints)
    if arguments.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    figures = measure(arguments.requests, arguments.idempotency)
    if arguments.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
