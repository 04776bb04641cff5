from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, RequestFactory
from django.utils import timezone

from bankdesk.conftest import PASSWORD
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.orgs import services
from bankdesk.orgs.models import ApiToken


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(bank, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = services.create_user(bank.admin, username="new", display_name="新人", password=PASSWORD,
                                home_unit=bank.branch_a)
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password(PASSWORD)


def test_login_page_and_sign_in(client, agent):
    assert client.get("/accounts/login/").status_code == 200
    response = _login(client, "agent", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_wrong_password_says_so_and_keeps_username(client, agent):
    response = _login(client, "agent", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="agent"' in response.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(client, agent):
    for _attempt in range(5):
        _login(client, "agent", "wrong")
    response = _login(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_lockout_limit_is_a_rule(client, agent, bank):
    rules.set_value(bank.admin, "security.login_failure_limit", "3", "安全策略")
    for _attempt in range(3):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 429


def test_session_expires_after_the_idle_time_rule(client, agent):
    _login(client, "agent", PASSWORD)
    client.get("/")
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.parametrize("password", ["short1!", "onlyletters!!", "1234567890123", "NoSymbol12345"])
def test_password_rules(bank, password):
    with pytest.raises(ValidationFailed) as failure:
        services.create_user(bank.admin, username="new", display_name="新人", password=password,
                             home_unit=bank.branch_a)
    assert failure.value.field == "password"


def test_lockout_is_per_user_name_and_address(client, agent, bank):
    """Wrong passwords from one address lock that name there only: the user signs in from elsewhere."""
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "root_admin", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    assert client.post("/accounts/login/", {"username": "root_admin", "password": PASSWORD},
                       REMOTE_ADDR="203.0.113.9").status_code == 429
    colleague = Client()  # another user behind the same NAT address is not locked either
    assert colleague.post("/accounts/login/", {"username": "agent", "password": PASSWORD},
                          REMOTE_ADDR="203.0.113.9").status_code == 302
    admin = Client()
    assert admin.post("/accounts/login/", {"username": "root_admin", "password": PASSWORD},
                      REMOTE_ADDR="198.51.100.7").status_code == 302


class TestApiTokens:
    def test_token_is_stored_hashed_and_authenticates(self, client, agent):
        token, raw = services.create_api_token(agent, "CTI")
        assert raw.startswith("bd_") and raw not in token.token_hash and len(token.token_hash) == 64
        response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200 and response.json()["username"] == "agent"
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_revoked_or_wrong_token_is_refused(self, client, agent):
        token, raw = services.create_api_token(agent, "CTI")
        services.revoke_api_token(agent, token)
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
        assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer bd_nonsense").status_code == 401

    def test_token_of_a_disabled_user_is_refused(self, client, bank, agent):
        _token, raw = services.create_api_token(agent, "CTI")
        services.set_user_active(bank.admin, agent, False)
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    def test_token_expires_after_the_lifetime_rule(self, client, agent, bank):
        rules.set_value(bank.admin, "security.api_token_lifetime_days", "30", "安全策略")
        token, raw = services.create_api_token(agent, "CTI")
        assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
        with time_machine.travel(timezone.now() + timedelta(days=29)):
            assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
        with time_machine.travel(timezone.now() + timedelta(days=31)):
            response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert response.status_code == 401 and not ApiToken.objects.get().is_active

    def test_token_is_refused_while_the_account_is_locked_out(self, client, agent):
        _token, raw = services.create_api_token(agent, "CTI")
        for _attempt in range(5):
            _login(client, "agent", "wrong")
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
        elsewhere = Client(REMOTE_ADDR="198.51.100.7")
        assert elsewhere.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    def test_api_create_list_revoke(self, agent, logged_in):
        client = logged_in(agent)
        created = client.post("/api/tokens", {"name": "报表系统"}, content_type="application/json")
        assert created.status_code == 201 and created.json()["token"].startswith("bd_")
        listed = client.get("/api/tokens").json()
        assert [t["name"] for t in listed] == ["报表系统"] and "token" not in listed[0]
        revoked = client.post(f"/api/tokens/{listed[0]['id']}/revoke")
        assert revoked.json()["revoked_at"] is not None

    def test_api_token_name_is_required(self, agent, logged_in):
        response = logged_in(agent).post("/api/tokens", {"name": " "}, content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "name"
        assert not ApiToken.objects.exists()

    def test_nobody_revokes_another_users_token(self, bank, agent, logged_in):
        token, _raw = services.create_api_token(agent, "CTI")
        other = bank.user("other", "agent", bank.outlet_b)
        assert logged_in(other).post(f"/api/tokens/{token.pk}/revoke").status_code == 404
        assert logged_in(other).post(f"/org/tokens/{token.pk}/revoke/").status_code == 404

    def test_token_page_shows_the_token_once(self, agent, logged_in):
        client = logged_in(agent)
        page = client.post("/org/tokens/", {"name": "CTI"})
        raw = page.context["created"]
        assert raw in page.content.decode()
        assert raw not in client.get("/org/tokens/").content.decode()

    def test_token_use_is_audited_as_api(self, client, agent, bank):
        services.assign_role(bank.admin, agent, "admin", bank.branch_a)
        _token, raw = services.create_api_token(agent, "CTI")
        response = client.post("/api/org/units", {"code": "A-O2", "name": "自助银行", "kind": "outlet",
                                                  "parent_id": bank.branch_a.pk},
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 201
        event = AuditEvent.objects.get(action="org.unit.create", object_id=str(response.json()["id"]))
        assert (event.actor, event.source) == (agent, "api")


def test_a_signed_in_request_reads_its_session_and_user_with_one_query_each(client, agent, django_assert_num_queries):
    _login(client, "agent", PASSWORD)
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    with django_assert_num_queries(2):  # the session row, then the user row
        user = get_user(request)
    assert user.pk == agent.pk and user.display_name == agent.display_name
    assert user.home_unit_id == agent.home_unit_id


def test_a_user_made_inactive_is_signed_out_on_the_next_request(client, agent):
    _login(client, "agent", PASSWORD)
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
