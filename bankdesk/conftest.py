"""Fixtures shared by every app's tests: a small bank with two branches and users for each role."""

import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import timezone, translation

from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, RoutingRule
from bankdesk.core import audit, audit_guard
from bankdesk.core.services import seed_calendar_from_package
from bankdesk.orgs import services
from bankdesk.orgs.demo import grant_directly
from bankdesk.orgs.models import OrgUnit, Role, UnitKind, User

PASSWORD = "Test-pass-2026"


@dataclass
class Bank:
    root: OrgUnit
    branch_a: OrgUnit
    branch_b: OrgUnit
    outlet_a: OrgUnit
    outlet_b: OrgUnit
    admin: User

    def user(self, username: str, role: str, unit: OrgUnit) -> User:
        user = services.create_user(self.admin, username=username, display_name=username, password=PASSWORD,
                                    home_unit=unit)
        grant_directly(self.admin, user, role, unit)
        return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check the production hasher set it back themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker) -> str:
    """The rows the migrations load (taxonomies, phrases), taken once before any browser starts."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


class _RequestsInFlight:
    """The requests being answered, the live server's among them: a browser's last click may still be writing
    when its test ends, and emptying the database under it deadlocks (PostgreSQL) or leaves its audit event
    behind for the test framework's own flush, which the append-only trail then refuses."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.count += 1

    def finished(self, **kwargs):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_answered(self, timeout: float = 15) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count <= 0, timeout)


@pytest.fixture
def committed_db(migrated_data, transactional_db):
    """For tests whose data is committed (live server, browser): they start from the migrated data
    and leave an empty database, emptied in the audit triggers' maintenance mode once every request
    still being answered has finished."""
    _empty_database()
    connection.creation.deserialize_db_from_string(migrated_data)
    _reset_sequences()
    requests = _RequestsInFlight()
    request_started.connect(requests.started, weak=False, dispatch_uid="committed_db.started")
    request_finished.connect(requests.finished, weak=False, dispatch_uid="committed_db.finished")
    try:
        yield
    finally:
        requests.wait_until_answered()
        request_started.disconnect(dispatch_uid="committed_db.started")
        request_finished.disconnect(dispatch_uid="committed_db.finished")
        _empty_database()


def _reset_sequences():
    """The data came back with its ids: PostgreSQL's sequences must move past them, or the next row made
    (by a test or a data migration) takes an id already used."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), django_apps.get_models()):
            cursor.execute(sql)


def _empty_database():
    audit_guard.set_maintenance(True)
    try:
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    finally:
        audit_guard.set_maintenance(False)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the bank's language: a request answered in English (LocaleMiddleware) leaves English
    active in the worker's thread, and the next test on that worker would read its messages in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bank(db) -> Bank:
    root, admin = services.bootstrap_bank(code="HO", name="总行", admin_username="root_admin", admin_password=PASSWORD)
    with audit.audit_context(actor=admin):
        branch_a = services.create_unit(admin, code="A", name="东城分行", kind=UnitKind.BRANCH, parent=root)
        branch_b = services.create_unit(admin, code="B", name="西城分行", kind=UnitKind.BRANCH, parent=root)
        outlet_a = services.create_unit(admin, code="A-O1", name="人民路网点", kind=UnitKind.OUTLET, parent=branch_a)
        outlet_b = services.create_unit(admin, code="B-O1", name="建设路网点", kind=UnitKind.OUTLET, parent=branch_b)
    return Bank(root, branch_a, branch_b, outlet_a, outlet_b, admin)


@pytest.fixture
def admin_a(bank) -> User:
    """An administrator of branch A only."""
    return bank.user("admin_a", Role.ADMIN, bank.branch_a)


@pytest.fixture
def agent(bank) -> User:
    return bank.user("agent", Role.AGENT, bank.outlet_a)


@pytest.fixture
def auditor(bank) -> User:
    return bank.user("auditor", Role.AUDITOR, bank.root)


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def desk(bank):
    """The bank of the shared fixture with departments, handlers and a routing rule per branch."""
    seed_calendar_from_package()
    card_department = services.create_unit(bank.admin, code="CARD", name="信用卡中心", kind=UnitKind.DEPARTMENT,
                                               parent=bank.root)
    rule_a = RoutingRule.objects.create(priority=50, name="东城分行", unit=bank.branch_a, lead_department=bank.branch_a)
    RoutingRule.objects.create(priority=50, name="西城分行", unit=bank.branch_b, lead_department=bank.branch_b)
    RoutingRule.objects.create(priority=10, name="信用卡", business_category=BusinessCategory.objects.get(
        code="credit_card"), lead_department=card_department)
    rule_a.assisting_departments.add(card_department)

    class Desk:
        pass

    desk = Desk()
    desk.bank = bank
    desk.card_department = card_department
    desk.cp = bank.user("cp", Role.CONSUMER_PROTECTION, bank.root)
    desk.cp_b = bank.user("cp_b", Role.CONSUMER_PROTECTION, bank.branch_b)
    desk.handler_a1 = bank.user("handler_a1", Role.HANDLER, bank.branch_a)
    desk.handler_a2 = bank.user("handler_a2", Role.HANDLER, bank.branch_a)
    desk.handler_b = bank.user("handler_b", Role.HANDLER, bank.branch_b)
    desk.handler_card = bank.user("handler_card", Role.HANDLER, card_department)
    desk.head_a = bank.user("head_a", Role.UNIT_HEAD, bank.branch_a)
    desk.agent = bank.user("agent1", Role.AGENT, bank.root)
    desk.teller = bank.user("teller1", Role.TELLER, bank.outlet_a)
    return desk


@pytest.fixture
def registration(desk):
    def make(**changes):
        values = dict(
            complainant_name="李女士", phone="13912345678", channel=Channel.objects.get(code="hotline"),
            unit=desk.bank.outlet_a, business_category=BusinessCategory.objects.get(code="counter_waiting"),
            cause=Cause.objects.get(code="attitude"), description="在人民路网点排队一个多小时，柜员态度冷淡。",
            demand="要求道歉", received_at=timezone.now() - timedelta(minutes=5), postal_address="北京市东城区人民路 8 号",
        )
        values.update(changes)
        return RegistrationInput(**values)

    return make

