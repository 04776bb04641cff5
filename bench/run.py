"""`make bench`: BankDesk side by side with django-helpdesk and with the bare-Django ceiling.

    SCALE=100000 DATABASE_URL=... .venv/bin/python bench/run.py

1. Builds the data: one BankDesk database of 10,000 complaints and one of SCALE (bench/datagen.py tops up
   what an earlier run left, so `python bench/datagen.py` can prepare a large one beforehand); the
   django-helpdesk peer (its own venv, bench/peer/) is filled with SCALE tickets.
2. Serves each system in turn with the same server: gunicorn, BENCH_WORKERS gthread workers, one thread and one
   connection each (no keep-alive), no access log, on 127.0.0.1; the ceiling is bench/ceiling/ (a view returning the same JSON size).
3. Loads each with wrk (bench/load.py): a warm-up, then BENCH_SECONDS of requests over BENCH_CONNECTIONS
   connections, for each workload: create through the API, the first page of a handler's queue, one
   complaint/ticket page, keyword search. Memory (RSS per worker) is read while the workers are loaded.
4. Runs BankDesk's own benches: the deadline sweep with BENCH_SWEEP_OPEN open complaints and 100 due, the
   bulk import of BENCH_IMPORT_ROWS rows, and the monthly regulatory table and the management dashboard over
   BENCH_REPORTS_COMPLAINTS complaints (bench/reports_bench.py).
5. Writes bench/results/<date>-<engine>-<scale>.json and .md (the Markdown table for the README).

DATABASE_URL unset: SQLite files under bench/var/bench/<name>/. DATABASE_URL set (PostgreSQL): databases
bench_bankdesk_<scale>, bench_helpdesk_<scale>, bench_sweep and bench_import on that server, created when missing.
"""

import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.parse
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VAR = BENCH / "var" / "bench"
RESULTS = BENCH / "results"
PEER_VENV = BENCH / "var" / "peer-venv"
VOCABULARY = VAR / "vocabulary.json"
sys.path[:0] = [str(ROOT), str(BENCH), str(BENCH / "peer")]

import load  # noqa: E402
import peer  # noqa: E402 - standard library only at import
from corpus import TextMaker  # noqa: E402

SCALE = int(os.environ.get("SCALE", "100000"))
FIRST_SCALE = 10_000  # the queue is measured here too: it may be at most 1.5x slower at SCALE
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2"))
SWEEP_OPEN = int(os.environ.get("BENCH_SWEEP_OPEN", "1000000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
REPORTS_COMPLAINTS = int(os.environ.get("BENCH_REPORTS_COMPLAINTS", "1000000"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ENGINE = "postgresql" if DATABASE_URL.startswith("postgres") else "sqlite"
PORTS = {"bankdesk": 8301, "helpdesk": 8302, "ceiling": 8303}
DEMO_PASSWORD = "BankDesk@2026"
SAMPLE_PAGES = 50  # complaint/ticket pages taken in turn


def database(name: str) -> str:
    """The URL of database `name` on DATABASE_URL's server, created when missing."""
    parts = urllib.parse.urlsplit(DATABASE_URL)
    import psycopg

    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def environment(name: str, var_key: str) -> dict:
    """The environment of a BankDesk-side process using the bench database `name`."""
    env = {**os.environ, var_key: str(VAR / name)}
    if ENGINE == "postgresql":
        env["DATABASE_URL"] = database(f"bench_{name}")
    else:
        env.pop("DATABASE_URL", None)
    return env


def bankdesk_environment(scale: int) -> dict:
    return environment(f"bankdesk_{scale}", "BANKDESK_VAR_DIR")


def last_json(output: str) -> dict:
    """The JSON object a command printed last (on one line or indented over several). The benches' answers are
    read here, not from their result files: those are named by the bench's own date, in the bank's time zone,
    which is already tomorrow from 16:00 UTC."""
    start = output.rfind("\n{") + 1
    return json.loads(output[start:])


def run(command: list, env: dict, cwd: Path = ROOT) -> str:
    print("$", " ".join(str(part) for part in command), flush=True)
    completed = subprocess.run([str(part) for part in command], env=env, cwd=cwd, check=True, text=True,
                               stdout=subprocess.PIPE)
    print(completed.stdout[-2000:], flush=True)
    return completed.stdout


def warm_database_files(env: dict) -> None:
    """Read a system's SQLite files once before serving it: each is measured with its database in the OS
    cache, not with whatever an earlier step left there (a million complaints take some 16 GB)."""
    folders = [Path(env[key]) for key in ("BANKDESK_VAR_DIR", "PEER_VAR_DIR") if key in env]
    for path in [path for folder in folders for path in folder.glob("*.sqlite3*")]:
        with open(path, "rb") as database:
            while database.read(16 * 1024 * 1024):
                pass


class Server:
    """One gunicorn, the same way for every system; stopped with its whole process group."""

    def __init__(self, name: str, python: Path, wsgi: str, cwd: Path, env: dict):
        self.name, self.base_url = name, f"http://127.0.0.1:{PORTS[name]}"
        # One connection per worker at a time: a gthread worker otherwise keeps every keep-alive connection it
        # accepted, and when one worker happened to accept both of wrk's connections the other sat idle (half
        # the throughput, twice the latency, decided by chance at the start of a run).
        self.command = [str(python), "-m", "gunicorn", wsgi, "--bind", f"127.0.0.1:{PORTS[name]}",
                        "--workers", WORKERS, "--worker-class", "gthread", "--threads", "1",
                        "--worker-connections", "1", "--no-control-socket"]
        self.cwd, self.env, self.process = cwd, env, None

    def __enter__(self):
        VAR.mkdir(parents=True, exist_ok=True)
        warm_database_files(self.env)
        log = open(VAR / f"{self.name}-server.log", "a")
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=log,
                                        start_new_session=True)
        load.wait_until_up(self.base_url + "/")
        return self

    def __exit__(self, *_exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)

    def worker_rss_megabytes(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
            sizes.append(round(kilobytes / 1024, 1))
        return sizes


def measure(server: Server, workloads: dict, session_of) -> dict:
    """wrk over each workload: {name: (username, method, paths, body)}; RSS read during the last one."""
    figures = {}
    for name, (username, method, paths, body) in workloads.items():
        print(f"  {server.name} {name}: {method} {paths[0]} …", flush=True)
        figures[name] = load.run_wrk(server.base_url, paths, session=session_of(username), method=method, body=body,
                                     connections=CONNECTIONS, seconds=SECONDS)
        print(f"    {figures[name]}", flush=True)
    figures["worker_rss_mb"] = server.worker_rss_megabytes()
    return figures


def sessions(server: Server, login_path: str):
    cache = {}

    def session_of(username):
        if username is None:
            return None
        if username not in cache:
            cache[username] = load.login(server.base_url, login_path, username, DEMO_PASSWORD)
        return cache[username]
    return session_of


# --- BankDesk ---------------------------------------------------------------------------------------------------

def bankdesk_sample(env: dict) -> dict:
    """Complaint ids the handler may open, search words and a registration body, read from the bench database."""
    script = (
        "import json, os, sys; sys.path[:0] = ['.', 'bench']; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bankdesk.settings'); import django; django.setup(); "
        "from bankdesk.complaints.selectors import visible_complaints; from bankdesk.orgs.models import User; "
        "user = User.objects.get(username='handler_east'); "
        f"ids = list(visible_complaints(user).order_by('-id').values_list('id', flat=True)[:{SAMPLE_PAGES}]); "
        "print(json.dumps(ids))")
    ids = json.loads(run([ROOT / ".venv/bin/python", "-c", script], env).strip().splitlines()[-1])
    return {"complaint_ids": ids}


def registration_body() -> str:
    return json.dumps({"complainant_name": "王先生", "phone": "139{n}", "channel": "hotline", "unit": "BR01-S01-O01",
                       "business_category": "card_fees", "cause": "attitude",
                       "description": "客户反映信用卡年费未经告知即被扣收，多次致电客服未果。编号{n}",
                       "demand": "要求退还年费并道歉"}, ensure_ascii=False)


def bankdesk_workloads(sample: dict, keywords: list[str], with_create: bool) -> dict:
    workloads = {
        "queue": ("handler_east", "GET", ["/api/complaints/my-work?page_size=25"], None),
        "complaint_page": ("handler_east", "GET", [f"/complaints/{pk}/" for pk in sample["complaint_ids"]], None),
        "search": ("handler_east", "GET",
                   [f"/api/knowledge/search?q={urllib.parse.quote(word)}" for word in keywords], None),
    }
    if with_create:
        workloads = {"create": ("agent01", "POST", ["/api/complaints"], registration_body()), **workloads}
    return workloads


def grow_bankdesk(total: int, env: dict) -> dict:
    return last_json(run([ROOT / ".venv/bin/python", BENCH / "datagen.py", "--total", total, "--vocabulary",
                          VOCABULARY], env))


def bench_bankdesk(keywords: list[str]) -> dict:
    result = {}
    for scale in sorted({min(FIRST_SCALE, SCALE), SCALE}):
        env = bankdesk_environment(scale)
        result[f"data_{scale}"] = grow_bankdesk(scale, env)
        sample = bankdesk_sample(env)
        with Server("bankdesk", ROOT / ".venv/bin/python", "bankdesk.wsgi", ROOT, env) as server:
            session_of = sessions(server, "/accounts/login/")
            result[str(scale)] = measure(server, bankdesk_workloads(sample, keywords, scale == SCALE), session_of)
            if scale == SCALE:
                result["registration_response_bytes"] = registration_response_bytes(server, session_of)
    return result


def registration_response_bytes(server: Server, session_of) -> int:
    """The size of BankDesk's answer to a registration, which the ceiling's view answers with."""
    status, body = load.fetch(server.base_url, "/api/complaints", session_of("agent01"),
                              data=registration_body().replace("{n}", "99999999").encode())
    assert status == 201, body[:300]
    return len(body)


# --- The peer and the ceiling ----------------------------------------------------------------------------------

def bench_helpdesk(keywords: list[str]) -> dict:
    run([sys.executable, BENCH / "peer" / "peer.py", "install", "--venv", PEER_VENV], os.environ)
    peer_env = environment(f"helpdesk_{SCALE}", "PEER_VAR_DIR")
    output = run([PEER_VENV / "bin/python", BENCH / "peer" / "peer.py", "prepare", "--tickets", SCALE,
                  "--vocabulary", VOCABULARY], peer_env)
    prepared = last_json(output)
    last = prepared["last_id"]
    ticket_paths = [peer.WORKLOADS["ticket"]["path"].format(ticket_id=last - n) for n in range(SAMPLE_PAGES)]
    create = peer.WORKLOADS["create"]
    body = json.dumps({**create["body"], "title": "信用卡年费{n}", "description": "客户反映信用卡年费未经告知即被扣收，"
                       "多次致电客服未果。编号{n}", "submitter_email": "c{n}@example.com"}, ensure_ascii=False)
    workloads = {
        "create": ("agent", "POST", [create["path"]], body),
        "queue": ("agent", "GET", [peer.WORKLOADS["queue"]["path"]], None),
        "complaint_page": ("agent", "GET", ticket_paths, None),
        "search": ("agent", "GET", [peer.search_path(word) for word in keywords], None),
    }
    server = Server("helpdesk", PEER_VENV / "bin/python", "helpdesk_site.wsgi", BENCH / "peer", peer_env)
    with server:
        session_of = sessions(server, peer.WORKLOADS["login"]["path"])
        return {"data": prepared, str(SCALE): measure(server, workloads, session_of)}


def bench_ceiling(response_bytes: int) -> dict:
    server = Server("ceiling", ROOT / ".venv/bin/python", "wsgi", BENCH / "ceiling", os.environ)
    path = f"/json/{response_bytes}/"
    with server:
        return measure(server, {"create": (None, "POST", [path], "{}"), "get": (None, "GET", [path], None)},
                       lambda _username: None)


# --- BankDesk only ---------------------------------------------------------------------------------------------

def bench_sweep() -> dict:
    env = environment("sweep", "BANKDESK_VAR_DIR")
    return last_json(run([ROOT / ".venv/bin/python", BENCH / "sweep_bench.py", "--open", SWEEP_OPEN, "--due", 100,
                          "--rounds", 5], env))


def bench_import() -> dict:
    env = environment("import", "BANKDESK_VAR_DIR")
    return last_json(run([ROOT / ".venv/bin/python", BENCH / "complaint_import_bench.py", "--rows", IMPORT_ROWS], env))


def bench_reports() -> dict:
    env = environment("reports", "BANKDESK_VAR_DIR")
    return last_json(run([ROOT / ".venv/bin/python", BENCH / "reports_bench.py", "--complaints", REPORTS_COMPLAINTS,
                          "--rounds", 3], env))


# --- Results ---------------------------------------------------------------------------------------------------

def versions() -> dict:
    peer_pins = dict(line.split("==") for line in (BENCH / "peer" / "requirements.txt").read_text().splitlines()
                     if "==" in line)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" [")[0].strip()
    return {"python": platform.python_version(), "django-helpdesk": peer_pins.get("django-helpdesk"),
            "django": peer_pins.get("Django"), "gunicorn": peer_pins.get("gunicorn"), "wrk": wrk}


def machine() -> dict:
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(int(memory) / 1024 ** 2, 1),
            "kernel": platform.release()}


def targets(result: dict) -> dict:
    """Each target of the benchmark issue: the figure, the limit, and whether it is met."""
    ours, theirs = result["bankdesk"][str(SCALE)], result["helpdesk"][str(SCALE)]
    first = result["bankdesk"].get(str(min(FIRST_SCALE, SCALE)), ours)
    intake = ours["create"]["per_second"]
    checks = {
        "intake vs django-helpdesk (x)": (intake / theirs["create"]["per_second"], ">=", 3),
        "intake vs ceiling (share)": (intake / result["ceiling"]["create"]["per_second"], ">=", 0.4),
        "queue p95 ms": (ours["queue"]["p95_ms"], "<", 50),
        f"queue p95 at {SCALE:,} / at {min(FIRST_SCALE, SCALE):,}": (
            ours["queue"]["p95_ms"] / first["queue"]["p95_ms"], "<=", 1.5),
        "complaint page p95 ms": (ours["complaint_page"]["p95_ms"], "<", 30),
        "search p95 ms": (ours["search"]["p95_ms"], "<", 100),
        "sweep of 100 due, median ms": (result["sweep"]["ms_median"], "<", 100),
        "bulk import seconds": (result["import"]["seconds_total"], "<", 180),
        "monthly regulatory table, max ms": (
            max(result["reports"]["head_office"]["ms_max"], result["reports"]["branch"]["ms_max"]), "<", 2000),
        "management dashboard, max ms": (
            max(board["ms_max"] for board in result["reports"]["dashboard"].values()), "<", 2000),
    }
    compare = {">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
    return {name: {"value": round(float(value), 2), "target": f"{sign} {limit}",
                   "met": compare[sign](float(value), float(limit))} for name, (value, sign, limit) in checks.items()}


def markdown(result: dict) -> str:
    ours, theirs = result["bankdesk"][str(SCALE)], result["helpdesk"][str(SCALE)]
    first_scale = min(FIRST_SCALE, SCALE)
    lines = [f"### {result['date']}: {ENGINE}, {SCALE:,} complaints", "",
             f"{result['machine']['cpu']}, {result['machine']['cores']} cores, {result['machine']['memory_gib']} GiB; "
             f"Python {result['versions']['python']}, django-helpdesk {result['versions']['django-helpdesk']} on "
             f"Django {result['versions']['django']}, gunicorn {result['versions']['gunicorn']} ({WORKERS} gthread "
             f"workers), {result['versions']['wrk']}, {CONNECTIONS} connections, {SECONDS} s per workload.", "",
             "| workload | BankDesk req/s | p50 / p95 / p99 ms | django-helpdesk req/s | p50 / p95 / p99 ms |",
             "|---|---|---|---|---|"]

    def cells(figures: dict) -> str:
        if not figures["requests"]:
            return f"0 | no answer within {figures['seconds']:.0f} s"
        return f"{figures['per_second']:.1f} | {figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} / {figures['p99_ms']:.1f}"
    for name in ("create", "queue", "complaint_page", "search"):
        lines.append(f"| {name} | {cells(ours[name])} | {cells(theirs[name])} |")
    ceiling = result["ceiling"]
    lines += ["", f"- Bare-Django ceiling (same JSON size, {ceiling['response_bytes']} bytes): POST "
                  f"{ceiling['create']['per_second']:.0f} req/s, GET {ceiling['get']['per_second']:.0f} req/s.",
              f"- Queue at {first_scale:,} complaints: p95 {result['bankdesk'][str(first_scale)]['queue']['p95_ms']:.1f}"
              f" ms; complaint page p95 {result['bankdesk'][str(first_scale)]['complaint_page']['p95_ms']:.1f} ms.",
              f"- Worker RSS under load: BankDesk {ours['worker_rss_mb']} MB, django-helpdesk "
              f"{theirs['worker_rss_mb']} MB.",
              f"- Deadline sweep, {result['sweep']['open_complaints']:,} open, 100 due: median "
              f"{result['sweep']['ms_median']} ms, max {result['sweep']['ms_max']} ms.",
              f"- Bulk import of {result['import']['rows']:,} rows ({result['import']['database']}): "
              f"{result['import']['seconds_total']} s.",
              f"- Monthly regulatory table over {result['reports']['bench_complaints']:,} complaints (last month: "
              f"{result['reports']['head_office']['complaints_in_table']:,}): head office "
              f"{result['reports']['head_office']['ms_max']} ms, a branch {result['reports']['branch']['ms_max']} ms "
              f"(max of 3); the management dashboard of that month: whole bank "
              f"{result['reports']['dashboard']['head_office']['ms_max']} ms, a branch "
              f"{result['reports']['dashboard']['branch']['ms_max']} ms.", "",
              "| target | value | limit | met |", "|---|---|---|---|"]
    for name, check in result["targets"].items():
        lines.append(f"| {name} | {check['value']} | {check['target']} | {'yes' if check['met'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    started = time.perf_counter()
    VAR.mkdir(parents=True, exist_ok=True)
    run([ROOT / ".venv/bin/python", "-c", "import os, sys; sys.path[:0] = ['.', 'bench']; "
         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bankdesk.settings'); import django; django.setup(); "
         f"from corpus import write_vocabulary; from pathlib import Path; write_vocabulary(Path('{VOCABULARY}'))"],
        bankdesk_environment(min(FIRST_SCALE, SCALE)))
    keywords = TextMaker(VOCABULARY).keywords()
    result = {"date": date.today().isoformat(), "engine": ENGINE, "scale": SCALE, "machine": machine(),
              "versions": versions(), "settings": {"workers": WORKERS, "connections": CONNECTIONS,
                                                   "seconds_per_workload": SECONDS}}
    result["bankdesk"] = bench_bankdesk(keywords)
    result["helpdesk"] = bench_helpdesk(keywords)
    response_bytes = result["bankdesk"]["registration_response_bytes"]
    result["ceiling"] = {"response_bytes": response_bytes, **bench_ceiling(response_bytes)}
    result["sweep"] = bench_sweep()
    result["import"] = bench_import()
    result["reports"] = bench_reports()
    result["targets"] = targets(result)
    result["seconds_total"] = round(time.perf_counter() - started)
    stem = RESULTS / f"{result['date']}-{ENGINE}-{SCALE}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
