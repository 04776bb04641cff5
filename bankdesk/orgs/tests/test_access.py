"""Every page and endpoint: anonymous users sign in first, users without the right get 403,
and users of another branch find nothing (404) of objects outside their scope."""

import pytest

from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.orgs.models import Role

# (url template, right-holding role at the root)
PAGES = [
    ("/audit/", Role.AUDITOR),
    ("/org/units/new/", Role.ADMIN),
    ("/org/units/{unit_b}/edit/", Role.ADMIN),
    ("/org/users/", Role.ADMIN),
    ("/org/users/new/", Role.ADMIN),
    ("/org/users/{user_b}/", Role.ADMIN),
    ("/settings/rules/", Role.ADMIN),
    ("/settings/rules/clock.warning_percent/", Role.ADMIN),
    ("/settings/calendar/", Role.ADMIN),
]
OPEN_PAGES = ["/", "/org/tokens/", "/org/units/"]
API_ENDPOINTS = [
    ("get", "/api/audit/events", Role.AUDITOR),
    ("get", "/api/org/units/{unit_b}", Role.TELLER),
    ("post", "/api/org/units", Role.ADMIN),
]
OPEN_ENDPOINTS = ["/api/me", "/api/org/units", "/api/tokens",
                  "/api/calendar/add-working-days?start=2026-01-05&days=1",
                  "/api/calendar/working-days-between?start=2026-01-05&end=2026-01-09"]


@pytest.fixture
def ids(bank):
    user_b = bank.user("teller_b", Role.TELLER, bank.outlet_b)
    return {"unit_b": bank.outlet_b.pk, "user_b": user_b.pk}


@pytest.fixture
def no_role_user(bank):
    from bankdesk.orgs import services

    return services.create_user(bank.admin, username="nobody", display_name="无角色", password="Test-pass-2026",
                                home_unit=bank.outlet_a)


@pytest.mark.parametrize("url, role", PAGES)
def test_page_needs_sign_in(client, ids, url, role):
    response = client.get(url.format(**ids))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url, role", PAGES)
def test_page_refuses_users_without_the_right(bank, ids, logged_in, url, role):
    teller = bank.user("teller_a", Role.TELLER, bank.outlet_a)
    assert logged_in(teller).get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("url, role", PAGES)
def test_page_opens_for_the_right_role(bank, ids, logged_in, url, role):
    holder = bank.user("holder", role, bank.root)
    assert logged_in(holder).get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize("url", OPEN_PAGES)
def test_pages_for_every_staff_member(agent, logged_in, url):
    assert logged_in(agent).get(url).status_code == 200


def test_user_without_any_role_sees_no_organisation(no_role_user, logged_in):
    client = logged_in(no_role_user)
    assert client.get("/").status_code == 200
    assert client.get("/org/units/").status_code == 403
    assert client.get("/api/org/units").status_code == 403


@pytest.mark.parametrize("url", ["/org/units/{unit_b}/edit/", "/org/users/{user_b}/"])
def test_branch_admin_finds_nothing_of_another_branch(admin_a, ids, logged_in, url):
    assert logged_in(admin_a).get(url.format(**ids)).status_code == 404


def test_branch_admin_lists_only_own_branch(bank, admin_a, ids, logged_in):
    client = logged_in(admin_a)
    units = client.get("/org/units/").context["page"].items
    assert {u.code for u in units} == {"A", "A-O1"}
    users = client.get("/org/users/").context["page"].items
    assert "teller_b" not in {u.username for u in users}
    assert client.post(f"/org/users/{ids['user_b']}/active/", {"active": "0"}).status_code == 404


@pytest.mark.parametrize("method, url, role", API_ENDPOINTS)
def test_api_needs_authentication(client, ids, method, url, role):
    response = getattr(client, method)(url.format(**ids), content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("url", OPEN_ENDPOINTS)
def test_open_api_needs_authentication(client, db, url):
    assert client.get(url).status_code == 401


def test_api_refuses_without_the_right(bank, ids, no_role_user, logged_in):
    client = logged_in(no_role_user)
    assert client.get("/api/audit/events").status_code == 403
    assert client.get(f"/api/org/units/{ids['unit_b']}").status_code == 403
    response = client.post("/api/org/units", {"code": "Z", "name": "Z", "kind": "outlet",
                                              "parent_id": bank.outlet_a.pk}, content_type="application/json")
    assert response.status_code == 403 and response.json()["message"]


def test_api_hides_other_branches(bank, ids, agent, admin_a, logged_in):
    response = logged_in(agent).get(f"/api/org/units/{ids['unit_b']}")
    assert response.status_code == 404 and response.json() == {"code": "not_found", "message": response.json()["message"], "field": None}
    codes = {u["code"] for u in logged_in(admin_a).get("/api/org/units").json()["items"]}
    assert codes == {"A", "A-O1"}
    created = logged_in(admin_a).post("/api/org/units", {"code": "Z", "name": "Z", "kind": "outlet",
                                                         "parent_id": bank.outlet_b.pk}, content_type="application/json")
    assert created.status_code == 404


def test_api_unit_input_errors_name_the_field(bank, logged_in):
    client = logged_in(bank.admin)
    response = client.post("/api/org/units", {"code": "A", "name": "重复", "kind": "outlet",
                                              "parent_id": bank.branch_a.pk}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "code"
    response = client.post("/api/org/units", {"name": "缺代码", "kind": "outlet", "parent_id": bank.branch_a.pk},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "code"


def test_health_is_public(client, db):
    assert client.get("/api/health").json()["status"] == "ok"


def test_openapi_and_docs(client, db):
    spec = client.get("/api/openapi.json").json()
    assert "/api/calendar/add-working-days" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


def test_admin_cannot_give_themselves_customer_data_in_one_step(bank, logged_in):
    """The probe's path: an administrator grants themselves consumer protection, then reveals phones."""
    from bankdesk.core.permissions import CorePermission, has_permission
    from bankdesk.orgs.models import RoleAssignment, User

    client = logged_in(bank.admin)
    client.post(f"/org/users/{bank.admin.pk}/", {"role": Role.CONSUMER_PROTECTION, "unit": bank.root.pk})
    assert not RoleAssignment.objects.filter(user=bank.admin, role=Role.CONSUMER_PROTECTION, is_active=True).exists()
    admin = User.objects.get(pk=bank.admin.pk)
    assert not has_permission(admin, CorePermission.REVEAL_PII) and not has_permission(admin, ComplaintPermission.VIEW_COMPLAINTS)
