"""Crash safety: BankDesk's real processes killed with SIGKILL, then started again.

1. The server (`manage.py serve`: gunicorn, task worker, scheduler) killed as a whole process group while API
   clients register complaints with an Idempotency-Key; every registration answered 201 is in the database,
   complete, and retrying with the same key never makes a second complaint.
2. The task worker killed in the middle of a complaint import, twice: a new worker queues the task again
   (core/workers.py) and the import registers every row exactly once.

They run against a database of their own (file SQLite, or a fresh PostgreSQL database when DATABASE_URL points
at PostgreSQL), on 127.0.0.1 only; marker `crash`.
"""

import json
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bankdesk.core.tests.live import LiveBankDesk, free_port, wait_until_up

pytestmark = pytest.mark.crash

CLIENT_THREADS = 4
NEW_PER_ROUND = 60  # registrations sent in each round that ends with a kill
ANSWERED_BEFORE_KILL = 15  # answers received in a round before the server is killed
KILL_ROUNDS = 2
ROUND_SECONDS = 40  # a round that has not had its answers by then fails the test


@pytest.fixture
def live(tmp_path):
    installation = LiveBankDesk(tmp_path)
    yield installation
    installation.close()


def _body(number: int) -> dict:
    return {"complainant_name": f"崩溃测试{number}", "phone": f"139{number:08d}", "channel": "hotline",
            "unit": "BR01-S01-O01", "business_category": "card_fees", "cause": "attitude",
            "description": f"客户反映信用卡年费未经告知即被扣收。编号{number}", "demand": f"要求退还年费{number}"}


class Client:
    """Registrations sent from CLIENT_THREADS threads; each answer (or its absence) kept per Idempotency-Key."""

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token
        self.answers: dict[str, list[tuple[int, dict]]] = {}  # key → every answer it got, in order
        self.lock = threading.Lock()
        self.answered_in_round = 0

    def send(self, key: str, body: dict) -> tuple[int, dict] | None:
        request = urllib.request.Request(
            f"{self.base_url}/api/complaints", data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": key,
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, json.JSONDecodeError):
            return None  # no answer: the server went away while (or before) handling it

    def run_round(self, submissions: list[tuple[str, dict]]) -> None:
        work: queue.Queue = queue.Queue()
        for submission in submissions:
            work.put(submission)
        self.answered_in_round = 0

        def client():
            while True:
                try:
                    key, body = work.get_nowait()
                except queue.Empty:
                    return
                answer = self.send(key, body)
                if answer is not None:
                    with self.lock:
                        self.answers.setdefault(key, []).append(answer)
                        self.answered_in_round += 1

        self.threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENT_THREADS)]
        for thread in self.threads:
            thread.start()

    def wait_for_answers(self, count: int, deadline: float) -> None:
        while self.answered_in_round < count and any(thread.is_alive() for thread in self.threads):
            assert time.monotonic() < deadline, f"only {self.answered_in_round} answers in the round"
            time.sleep(0.01)

    def finish_round(self, deadline: float) -> None:
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))
            assert not thread.is_alive(), "a client thread still waits for an answer"


CHECK = """
from bankdesk.complaints.models import Clock, Complaint, IdempotencyKey
from bankdesk.core.models import AuditEvent
events = {}
for object_id, label, after in (AuditEvent.objects.filter(action="complaint.register")
                                .values_list("object_id", "object_repr", "after")):
    events.setdefault(object_id, []).append({"object_repr": label, "status": after["status"],
                                             "channel": after["channel"]})
keys = {}
for key, complaint_id in IdempotencyKey.objects.values_list("key", "complaint_id"):
    keys.setdefault(key, []).append(complaint_id)
complaints = {}
for complaint in Complaint.objects.select_related("channel", "unit", "business_category", "cause"):
    complaints[complaint.pk] = {
        "tracking_number": complaint.tracking_number, "status": complaint.status,
        "complainant_name": complaint.complainant_name, "phone": complaint.phone,
        "description": complaint.description, "demand": complaint.demand, "channel": complaint.channel.code,
        "unit": complaint.unit.code, "business_category": complaint.business_category.code,
        "cause": complaint.cause.code, "acceptance_deadline": str(complaint.acceptance_deadline),
        "current_deadline": str(complaint.current_deadline),
        "clocks": list(Clock.objects.filter(complaint=complaint).values_list("kind", "state")),
        "events": events.get(str(complaint.pk), [])}
print(json.dumps({"keys": keys, "complaints": {str(pk): data for pk, data in complaints.items()}}, default=str))
"""


def test_server_killed_under_registration_load_loses_no_answered_complaint(live):
    started = time.monotonic()
    token = live.install()["token"]
    print(f"installed after {time.monotonic() - started:.1f} s", flush=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    client = Client(base_url, token)
    bodies: dict[str, dict] = {}
    unanswered: list[str] = []
    number = 0
    randomness = random.Random(20261204)

    for _round in range(KILL_ROUNDS + 1):
        server = live.start("serve", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2")
        wait_until_up(f"{base_url}/api/health", server)
        print(f"round {_round}: up after {time.monotonic() - started:.1f} s", flush=True)
        answered = [key for key in bodies if key not in unanswered]
        retries = unanswered + randomness.sample(answered, min(10, len(answered)))
        submissions = [(key, bodies[key]) for key in retries]
        last_round = _round == KILL_ROUNDS
        if not last_round:
            for _ in range(NEW_PER_ROUND):
                number += 1
                key = str(uuid.uuid4())
                bodies[key] = _body(number)
                submissions.append((key, bodies[key]))
        randomness.shuffle(submissions)
        deadline = time.monotonic() + ROUND_SECONDS
        client.run_round(submissions)
        if not last_round:
            client.wait_for_answers(ANSWERED_BEFORE_KILL, deadline)
            live.kill(server)
        client.finish_round(deadline)
        if last_round:
            live.kill(server)
        unanswered = [key for key in bodies if key not in client.answers]
        print(f"round {_round}: done after {time.monotonic() - started:.1f} s, {len(unanswered)} unanswered",
              flush=True)
    assert not unanswered, f"{len(unanswered)} registrations never answered, even after the restart"

    state = live.script(CHECK)
    keys, complaints = state["keys"], state["complaints"]
    # No Idempotency-Key made two complaints, and no complaint is without its key.
    assert all(len(ids) == 1 for ids in keys.values()), {key: ids for key, ids in keys.items() if len(ids) > 1}
    assert len(complaints) == len(keys) == len(bodies)
    created = 0
    for key, body in bodies.items():
        answers = client.answers[key]
        statuses = [status for status, _data in answers]
        assert set(statuses) <= {200, 201}, answers
        assert statuses.count(201) <= 1, f"{key} was created twice: {statuses}"
        created += statuses.count(201)
        # Every answer names the same complaint: the one in the database under this key.
        assert {data["id"] for _status, data in answers} == set(keys[key])
        complaint = complaints[str(keys[key][0])]
        assert {data["tracking_number"] for _status, data in answers} == {complaint["tracking_number"]}
        assert complaint["tracking_number"] and complaint["status"] == "registered"
        assert {name: complaint[name] for name in body} == body
        assert complaint["acceptance_deadline"] != "None" and complaint["current_deadline"] != "None"
        # Both clocks start at registration: acceptance review, and the statutory decision clock from receipt.
        assert sorted(complaint["clocks"]) == [["acceptance", "running"], ["decision", "running"]]
        assert len(complaint["events"]) == 1, complaint["events"]
        assert complaint["events"][0]["object_repr"].startswith(complaint["tracking_number"])
        assert complaint["events"][0]["status"] == "registered" and complaint["events"][0]["channel"] == "hotline"
    # Answered 201 at most once per key; keys whose first answer was lost may have been created before the kill.
    assert created <= len(bodies)
    assert len({data["tracking_number"] for data in complaints.values()}) == len(complaints)
    assert time.monotonic() - started < 300  # against a hang: 110–150 s measured on a loaded 2-core VM


IMPORT_ROWS = 3000
CREATE_IMPORT = """
import csv, io
from django.core.files.uploadedfile import SimpleUploadedFile
from bankdesk.complaints.intake import bulk_import
from bankdesk.orgs.models import User
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(["complainant_name", "phone", "channel", "unit", "business_category", "cause", "description",
                 "received_at"])
for number in range(1, %(rows)d + 1):
    writer.writerow([f"历史客户{number}", f"137{number:08d}", "hotline", "BR01-S01-O01", "card_fees", "attitude",
                     f"历史投诉第{number}号", f"2025-03-{1 + number %% 28:02d} 10:{number %% 60:02d}"])
job = bulk_import.start_import(User.objects.get(username="cp_officer"),
                               SimpleUploadedFile("history.csv", buffer.getvalue().encode("utf-8")))
print(json.dumps({"job": job.pk, "status": job.status}))
"""
CHECK_IMPORT = """
from collections import Counter
from django_tasks_db.models import DBTaskResult
from bankdesk.complaints.models import Complaint, ImportJob
from bankdesk.core.models import AuditEvent
job = ImportJob.objects.get()
task = DBTaskResult.objects.get(task_path__endswith="run_complaint_import")
descriptions = Counter(Complaint.objects.values_list("description", flat=True))
print(json.dumps({
    "status": job.status, "rows": job.total_rows, "task_status": task.status, "attempts": len(task.worker_ids),
    "complaints": sum(descriptions.values()), "distinct": len(descriptions),
    "registered_events": AuditEvent.objects.filter(action="complaint.register").count(),
    "requeued": AuditEvent.objects.filter(action="core.task.requeued", object_id=str(task.pk)).count(),
    "restarted": AuditEvent.objects.filter(action="complaint.import.restarted").count(),
    "tracking_numbers": Complaint.objects.values("tracking_number").distinct().count()}))
"""


def _job_state(live) -> tuple[str, str]:
    rows = live.query("SELECT status, phase FROM complaints_importjob")
    return rows[0] if rows else ("", "")


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.02)


def test_worker_killed_mid_import_runs_it_again_and_registers_each_row_once(live):
    started = time.monotonic()
    live.install()
    job = live.script(CREATE_IMPORT % {"rows": IMPORT_ROWS})
    assert job["status"] == "queued"
    worker_args = ("db_worker", "--no-startup-delay", "--interval", "0.1")

    # Killed while checking the rows, then killed again inside the write transaction.
    for phase in ("validating", "writing"):
        worker = live.start(f"worker-{phase}", *worker_args)
        _wait_for(lambda: _job_state(live) == ("running", phase) or worker.poll() is not None, 60, phase)
        assert worker.poll() is None, live.log(f"worker-{phase}")
        if phase == "writing":
            time.sleep(0.3)  # well inside the transaction
        live.kill(worker)
        assert _job_state(live) == ("running", phase), "the import ended before the worker was killed"
        assert live.query("SELECT COUNT(*) FROM complaints_complaint") == [(0,)]
        assert live.query("SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]

    worker = live.start("worker-last", *worker_args)
    _wait_for(lambda: _job_state(live)[0] in ("succeeded", "failed") or worker.poll() is not None, 90, "the import")
    # The import task's own row: the search entries follow as a task of their own, queued at its commit.
    _wait_for(lambda: live.query("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?",
                                 ("%run_complaint_import",)) != [("RUNNING",)], 30, "the task's end")
    live.kill(worker)
    state = live.script(CHECK_IMPORT)
    assert state == {"status": "succeeded", "rows": IMPORT_ROWS, "task_status": "SUCCESSFUL", "attempts": 3,
                     "complaints": IMPORT_ROWS, "distinct": IMPORT_ROWS, "registered_events": IMPORT_ROWS,
                     "requeued": 2, "restarted": 2, "tracking_numbers": IMPORT_ROWS}, live.log("worker-last")
    assert time.monotonic() - started < 300
