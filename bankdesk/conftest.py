"""Fixtures shared by every app's tests: a small bank with two branches and users for each role."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from bankdesk.core import audit
from bankdesk.orgs import services
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
        services.assign_role(self.admin, user, role, unit)
        return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check the production hasher set it back themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
