"""BankDesk as real processes (manage.py serve, db_worker) against a database of their own, for the tests that
kill them: a file SQLite database in a temporary BANKDESK_VAR_DIR, or, when the suite runs on PostgreSQL
(DATABASE_URL), a fresh uniquely named database on that server, dropped afterwards. Only 127.0.0.1."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")

# Run in a fresh BankDesk: the rules, the calendar, a head office with the demo bank's codes for one outlet
# (BR01-S01-O01) and the call center, the call-center agent agent01 (who may register complaints) and the
# consumer-protection officer cp_officer (who may import), and an API token of agent01, printed as JSON.
SETUP = """
from bankdesk.core import audit, rules
from bankdesk.core.models import AuditSource
from bankdesk.core.services import seed_calendar_from_package
from bankdesk.orgs import services
from bankdesk.orgs.demo import DEMO_PASSWORD, grant_directly
from bankdesk.orgs.models import Role, UnitKind
rules.ensure_defaults()
seed_calendar_from_package()
with audit.audit_context(source=AuditSource.IMPORT):
    root, admin = services.bootstrap_bank(code="HO", name="总行", admin_username="admin",
                                          admin_password=DEMO_PASSWORD, admin_name="系统管理员")
    parent = root
    for code, kind in (("BR01", UnitKind.BRANCH), ("BR01-S01", UnitKind.SUB_BRANCH), ("BR01-S01-O01", UnitKind.OUTLET)):
        parent = services.create_unit(admin, code=code, name=code, kind=kind, parent=parent)
    call_center = services.create_unit(admin, code="CC", name="客户服务中心", kind=UnitKind.CALL_CENTER, parent=root)
    users = {}
    for number, (username, role, unit) in enumerate((("agent01", Role.AGENT, call_center),
                                                     ("cp_officer", Role.CONSUMER_PROTECTION, root)), start=1):
        users[username] = services.create_user(admin, username=username, display_name=username, password=DEMO_PASSWORD,
                                               home_unit=unit, staff_number=f"T{number:04d}", mobile=f"1380000{number:04d}")
        grant_directly(admin, users[username], role, unit)
_token, raw = services.create_api_token(users["agent01"], "crash test")
print(json.dumps({"token": raw}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveBankDesk:
    """One BankDesk installation: its environment, its processes (each in its own process group) and its database."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.var = folder / "var"
        self.var.mkdir(parents=True)
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("BANKDESK_", "DJANGO_", "PYTEST_"))}
        self.env.update(BANKDESK_VAR_DIR=str(self.var), BANKDESK_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
        self.processes: list[subprocess.Popen] = []
        self.server_url = os.environ.get("DATABASE_URL", "")
        self.database = ""
        if self.server_url.startswith("postgres"):
            self.database = f"bankdesk_live_{uuid.uuid4().hex[:12]}"
            self._admin(f'CREATE DATABASE "{self.database}"')
            self.env["DATABASE_URL"] = urllib.parse.urlsplit(self.server_url)._replace(path=f"/{self.database}").geturl()
        else:
            self.env.pop("DATABASE_URL", None)

    @property
    def engine(self) -> str:
        return "postgresql" if self.database else "sqlite"

    def _admin(self, statement: str) -> None:
        import psycopg

        url = urllib.parse.urlsplit(self.server_url)._replace(path="/postgres").geturl()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(statement)

    def manage(self, *args: str, timeout: float = 120) -> str:
        completed = subprocess.run([PYTHON, MANAGE, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                                   timeout=timeout)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        return completed.stdout

    def script(self, code: str, timeout: float = 120):
        """Run `code` inside Django (json imported) and return the JSON it printed last."""
        prelude = "import json, django; django.setup()\n"
        completed = subprocess.run([PYTHON, "-c", prelude + code], cwd=ROOT, timeout=timeout, capture_output=True,
                                   text=True, env={**self.env, "DJANGO_SETTINGS_MODULE": "bankdesk.settings"})
        assert completed.returncode == 0, completed.stderr[-3000:]
        return json.loads(completed.stdout.strip().splitlines()[-1])

    def install(self) -> dict:
        """Migrate and set up (see SETUP); returns {"token": …}."""
        self.manage("migrate", "--no-input", "-v", "0", timeout=300)
        return self.script(SETUP)

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """`manage.py <args>` in a new session, so the whole group (gunicorn's workers too) can be killed."""
        log = open(self.folder / f"{name}.log", "ab")
        process = subprocess.Popen([PYTHON, MANAGE, *args], cwd=ROOT, env=self.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL to the process's whole group: nothing of it gets to clean up."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the installation's database directly (no Django start-up), e.g. to watch a job."""
        if self.database:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
                return connection.execute(sql.replace("?", "%s"), params).fetchall()
        connection = sqlite3.connect(self.var / "bankdesk.sqlite3", timeout=10)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)
        if self.database:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")
