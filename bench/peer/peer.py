"""The django-helpdesk peer of the benchmark: install it, fill it with tickets, and say what to request.

    python3 bench/peer/peer.py install --venv bench/var/peer-venv
        (system Python) makes the peer's virtual environment and installs requirements.txt into it,
        unless a stamp file says this exact requirements.txt is installed already.
    bench/var/peer-venv/bin/python bench/peer/peer.py prepare --tickets N --vocabulary PATH
        (the peer's Python) migrates, makes the staff user `agent` and the queue, and tops the queue
        up to N tickets, each with the "Ticket Opened" follow-up helpdesk writes for a new ticket.
        Its last line of output is JSON: ticket count, first and last ticket id, queue and agent id.

WORKLOADS says, for the bench runner, how to log in as `agent` and what each workload requests.
This module imports only the standard library at the top, so the runner can import it from any Python.
Database: DATABASE_URL, or SQLite in PEER_VAR_DIR (default bench/var/peer), see helpdesk_site/settings.py.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import venv
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

PEER_DIR = Path(__file__).resolve().parent
BENCH_DIR = PEER_DIR.parent
REQUIREMENTS = PEER_DIR / "requirements.txt"

AGENT_USERNAME = "agent"
AGENT_PASSWORD = "BankDesk@2026"
QUEUE_SLUG = "complaints"
QUEUE_ID = 1  # the only queue, made first in a fresh database; `prepare` checks it
BATCH = 10_000
SEED = 2026


# The list an agent lands on after login (/tickets/): helpdesk's default_query_params in
# views/staff.py ticket_list, open and reopened tickets, oldest first.
DEFAULT_LIST_QUERY = {"filtering": {"status__in": [1, 2]}, "sorting": "created", "search_string": "",
                      "sortreverse": False}
# The first page of 25 rows, as the list page's DataTables asks for it.
DATATABLES_FIRST_PAGE = "draw=1&start=0&length=25"


def encode_query(query: dict) -> str:
    """A ticket-list query as it goes into a datatables_ticket_list URL: JSON, then base64."""
    return base64.b64encode(json.dumps(query).encode("utf-8")).decode("ascii")


def search_query(keyword: str) -> dict:
    """The query helpdesk's ticket list builds for the header search box (?q=keyword): every status."""
    return {"filtering": {}, "filtering_null": {}, "sorting": "created", "sortreverse": None,
            "search_string": keyword}


def search_path(keyword: str) -> str:
    """The path of the search workload for one keyword."""
    return f"/datatables_ticket_list/{encode_query(search_query(keyword))}?{DATATABLES_FIRST_PAGE}"


WORKLOADS = {
    # django.contrib.auth's LoginView (helpdesk's /login/): GET it for the csrftoken cookie and the
    # form's csrfmiddlewaretoken, POST the fields with that token, keep the sessionid cookie.
    "login": {
        "page": "/login/",
        "method": "POST",
        "path": "/login/",
        "fields": {"username": AGENT_USERNAME, "password": AGENT_PASSWORD, "next": "/tickets/"},
        "csrf_field": "csrfmiddlewaretoken",
        "csrf_cookie": "csrftoken",
        "session_cookie": "sessionid",
        "expect": 302,
    },
    # A ticket through helpdesk's REST API (DRF session authentication: it checks CSRF). Put the
    # values of TextMaker.complaint() and an address in the body's placeholders, then JSON-encode it;
    # {csrftoken} is the csrftoken cookie.
    "create": {
        "method": "POST",
        "path": "/api/tickets/",
        "headers": {"Content-Type": "application/json", "X-CSRFToken": "{csrftoken}"},
        "body": {"queue": QUEUE_ID, "title": "{title}", "description": "{description}",
                 "submitter_email": "{submitter_email}", "priority": 3},
        "expect": 201,
    },
    # The ticket list an agent lands on after login (/tickets/) loads its rows from this endpoint:
    # its first page of 25, open and reopened tickets, oldest first.
    "queue": {
        "method": "GET",
        "path": f"/datatables_ticket_list/{encode_query(DEFAULT_LIST_QUERY)}?{DATATABLES_FIRST_PAGE}",
        "expect": 200,
    },
    # One ticket's page; {ticket_id} is any id between first_id and last_id printed by `prepare`.
    "ticket": {
        "method": "GET",
        "path": "/tickets/{ticket_id}/",
        "expect": 200,
    },
    # Keyword search as helpdesk does it (header search box, then the list's datatables endpoint):
    # the path is search_path(keyword): this path with {query} = encode_query(search_query(keyword)).
    "search": {
        "method": "GET",
        "path": "/datatables_ticket_list/{query}?" + DATATABLES_FIRST_PAGE,
        "expect": 200,
    },
}


def install(venv_dir: Path) -> None:
    """Make the virtual environment if missing and install requirements.txt, once per its content."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    stamp = venv_dir / f".peer-installed-{digest}"
    if stamp.exists():
        print(f"peer requirements already installed in {venv_dir}")
        return
    python = venv_dir / "bin" / "python"
    if not python.exists():
        venv.create(venv_dir, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
    for old in venv_dir.glob(".peer-installed-*"):
        old.unlink()
    stamp.touch()
    print(f"peer requirements installed in {venv_dir}")


def setup_django() -> None:
    sys.path[:0] = [str(PEER_DIR), str(BENCH_DIR)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
    import django

    django.setup()


def ensure_agent_and_queue():
    """The queue, and the staff user `agent` (no superuser) holding the queue's access permission.

    Helpdesk checks that permission only with HELPDESK_ENABLE_PER_QUEUE_STAFF_PERMISSION (off by
    default, as here: staff see every queue); granting it makes `agent` the queue's agent either way.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from helpdesk.models import Queue

    queue, _ = Queue.objects.get_or_create(
        slug=QUEUE_SLUG, defaults={"title": "客户投诉", "email_address": "complaints@localhost"})
    if queue.pk != QUEUE_ID:
        raise SystemExit(f"the queue has id {queue.pk}, WORKLOADS expects {QUEUE_ID}: use a fresh database")
    agent, created = get_user_model().objects.get_or_create(
        username=AGENT_USERNAME, defaults={"is_staff": True, "email": "agent@localhost", "first_name": "坐席"})
    if created:
        agent.set_password(AGENT_PASSWORD)
        agent.save()
    agent.user_permissions.add(Permission.objects.get(codename=queue.permission_name.split(".", 1)[1]))
    return agent, queue


@contextmanager
def keeping_given_dates(model, *names):
    """Let bulk_create store the dates we give instead of auto_now/auto_now_add's 'now'."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class TicketMaker:
    """Ticket rows over the past year: statuses, priorities and the agent's share spread like a real desk."""

    STATUSES = (1, 2, 3, 4)  # open, reopened, resolved, closed
    STATUS_WEIGHTS = (25, 5, 20, 50)
    PRIORITIES = (1, 2, 3, 4, 5)
    PRIORITY_WEIGHTS = (5, 15, 50, 20, 10)
    ASSIGNED_SHARE = {1: 0.5, 2: 0.9, 3: 0.9, 4: 0.9}

    def __init__(self, vocabulary: Path, first: int, count: int, now):
        from corpus import TextMaker

        self.texts = TextMaker(vocabulary, seed=SEED + first)
        self.random = random.Random(SEED + first)
        self.count, self.now = count, now

    def ticket(self, index: int, queue, agent):
        """The index-th new ticket: created dates rise with the index, from a year ago to now."""
        from helpdesk.models import Ticket

        pick = self.random
        title, description, demand = self.texts.complaint()
        status = pick.choices(self.STATUSES, self.STATUS_WEIGHTS)[0]
        created = self.now - timedelta(days=365) * (1 - (index + pick.random()) / self.count)
        done = status in (Ticket.RESOLVED_STATUS, Ticket.CLOSED_STATUS)
        return Ticket(
            title=title, description=description, queue=queue, status=status,
            priority=pick.choices(self.PRIORITIES, self.PRIORITY_WEIGHTS)[0],
            submitter_email=f"customer{pick.randint(1, 200_000)}@example.cn",
            assigned_to=agent if pick.random() < self.ASSIGNED_SHARE[status] else None,
            resolution=f"已核实并处理：{demand}" if done else None,
            created=created, due_date=created + timedelta(days=15),
            modified=min(created + timedelta(days=pick.randint(0, 20)), self.now) if done else created,
        )


def opened_followup_titles(agent) -> dict[bool, str]:
    """Titles of the follow-up helpdesk's TicketForm writes with a new ticket, by 'assigned to the agent'."""
    from django.utils.translation import gettext

    assigned = gettext("Ticket Opened & Assigned to %(name)s") % {"name": agent.get_full_name() or agent.username}
    return {False: gettext("Ticket Opened"), True: assigned}


def top_up(target: int, vocabulary: Path, queue, agent) -> int:
    """Add tickets (and their follow-ups) until the queue holds `target`; return how many were added."""
    from django.db import transaction
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket

    existing = Ticket.objects.filter(queue=queue).count()
    missing = max(target - existing, 0)
    maker = TicketMaker(vocabulary, existing, missing, timezone.now())
    titles = opened_followup_titles(agent)
    with keeping_given_dates(Ticket, "created", "modified"):
        for start in range(0, missing, BATCH):
            with transaction.atomic():
                tickets = Ticket.objects.bulk_create(
                    [maker.ticket(index, queue, agent) for index in range(start, min(start + BATCH, missing))])
                FollowUp.objects.bulk_create([
                    FollowUp(ticket=ticket, title=titles[ticket.assigned_to_id is not None], date=ticket.created,
                             public=True, comment=ticket.description, user=agent)
                    for ticket in tickets])
            print(f"  {existing + start + len(tickets):>9} tickets", end="\r", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return missing


def prepare(tickets: int, vocabulary: Path) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db.models import Max, Min
    from django.utils import translation
    from helpdesk.models import Ticket

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    agent, queue = ensure_agent_and_queue()
    with translation.override("zh-hans"):
        added = top_up(tickets, vocabulary, queue, agent)
    ids = Ticket.objects.filter(queue=queue).aggregate(first=Min("id"), last=Max("id"))
    print(json.dumps({"tickets": Ticket.objects.filter(queue=queue).count(), "added": added,
                      "first_id": ids["first"], "last_id": ids["last"], "queue_id": queue.pk,
                      "agent_id": agent.pk, "seconds": round(time.perf_counter() - started, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    install_command = commands.add_parser("install", help="make the peer's virtual environment")
    install_command.add_argument("--venv", type=Path, required=True)
    prepare_command = commands.add_parser("prepare", help="migrate and top up to N tickets")
    prepare_command.add_argument("--tickets", type=int, required=True)
    prepare_command.add_argument("--vocabulary", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "install":
        install(args.venv)
    else:
        prepare(args.tickets, args.vocabulary)


if __name__ == "__main__":
    main()
