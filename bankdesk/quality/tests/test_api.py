"""The quality API: recording, reading within scope, field errors, ratings with their reasons."""

import json

import pytest

from bankdesk.quality.tests.conftest import commendation, days_ago

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_interception_is_recorded_and_listed(outlets, logged_in):
    client = logged_in(outlets.teller_a)
    response = _post(client, "/api/quality/interceptions", {
        "occurred_on": days_ago(1).isoformat(), "unit": "A-O1", "staff_id": outlets.teller_a.pk, "setting": "phone",
        "trigger": "on_the_phone", "scam_type": "virtual_currency", "description": "客户按电话指示购买虚拟货币。",
        "amount_protected": "12000.50", "customer_age_group": "18_34"})
    assert response.status_code == 201, response.content
    assert response.json()["scam_type"] == "virtual_currency"
    listed = client.get("/api/quality/interceptions").json()
    assert listed["total"] == 1 and listed["items"][0]["amount_protected"] == "12000.50"
    totals = logged_in(outlets.sqm).get("/api/quality/interceptions/totals").json()
    assert totals["by_outlet"][0]["count"] == 1 and totals["honour_list"][0]["username"] == "teller_a"


def test_bad_input_names_the_field(outlets, logged_in):
    client = logged_in(outlets.teller_a)
    response = _post(client, "/api/quality/commendations", {
        "channel": "banner", "received_on": days_ago(1).isoformat(), "unit": "A-O1", "summary": " "})
    assert response.status_code == 400 and response.json()["field"] == "summary"
    response = _post(client, "/api/quality/commendations", {
        "channel": "banner", "received_on": days_ago(1).isoformat(), "unit": "NOPE", "summary": "好"})
    assert response.status_code == 400 and response.json()["field"] == "unit"


def test_another_branch_sees_nothing(outlets, logged_in):
    praised = commendation(outlets.teller_a, outlets.outlet_a)
    client = logged_in(outlets.head_b)
    assert client.get(f"/api/quality/commendations/{praised.pk}").status_code == 404
    assert client.get("/api/quality/commendations").json()["total"] == 0
    assert _post(client, f"/api/quality/commendations/{praised.pk}/void", {"reason": "x"}).status_code == 404


def test_ratings_are_computed_and_read_with_their_reasons(outlets, logged_in):
    client = logged_in(outlets.sqm)
    response = _post(client, "/api/quality/ratings/compute", {"unit": "A", "period_start": days_ago(0).isoformat(),
                                                              "months": 1})
    assert response.status_code == 201 and response.json()["outlets"] == 2
    ratings = client.get("/api/quality/ratings").json()
    assert {rating["unit"] for rating in ratings} == {"A-O1", "A-O2"}
    assert ratings[0]["components"][0]["code"] == "inspection" and ratings[0]["components"][0]["explanation"]
    history = client.get(f"/api/quality/units/{outlets.outlet_a.pk}/ratings").json()
    assert len(history) == 1
    assert logged_in(outlets.head_a).post("/api/quality/ratings/compute", "{}",
                                          content_type="application/json").status_code == 403
