"""GET /api/callcenter/erlang-c and /erlang-a: answers, defaults, errors and who may ask."""

import pytest

from bankdesk.core import rules

EXAMPLE = "calls=100&interval_minutes=30&aht_seconds=180&target_seconds=20&target_service_level=0.8"


@pytest.fixture
def api(logged_in, planner):
    client = logged_in(planner)

    def get(path, query):
        return client.get(f"/api/callcenter/{path}?{query}")

    return get


def test_erlang_c_answers_the_domain_example(api):
    answer = api("erlang-c", EXAMPLE).json()
    assert answer["agents"] == 14
    assert round(answer["service_level"], 3) == 0.888 and round(answer["probability_wait"], 3) == 0.174
    assert answer["occupancy"] == pytest.approx(10 / 14)
    assert answer["asa_seconds"] == pytest.approx(7.836, abs=1e-3)
    assert answer["scheduled_agents"] == 20  # 14 on the phones after the default 30% shrinkage


def test_percent_or_share_and_evaluating_n(api):
    assert api("erlang-c", EXAMPLE.replace("0.8", "80")).json()["agents"] == 14
    thirteen = api("erlang-c", EXAMPLE + "&agents=13").json()
    assert thirteen["agents"] == 13 and thirteen["service_level"] < 0.8 and not thirteen["meets_target"]
    unstable = api("erlang-c", EXAMPLE + "&agents=10").json()
    assert unstable["asa_seconds"] is None and unstable["probability_wait"] == 1


def test_default_target_is_seed_004s(api, center):
    default = api("erlang-c", "calls=100&interval_minutes=30&aht_seconds=180").json()
    assert (default["target_seconds"], default["target_service_level"]) == (15, 0.8)
    center.queue.service_level_seconds, center.queue.service_level_percent = 30, 90
    center.queue.save()
    own = api("erlang-c", f"calls=100&interval_minutes=30&aht_seconds=180&queue={center.queue.pk}").json()
    assert (own["target_seconds"], own["target_service_level"]) == (30, 0.9)


def test_shrinkage_and_occupancy(api):
    answer = api("erlang-c", "calls=1000&interval_minutes=30&aht_seconds=180&shrinkage=0.25&max_occupancy=0.85").json()
    assert answer["agents"] == 118 and answer["occupancy"] <= 0.85
    assert answer["scheduled_agents"] == 158


def test_a_trickle_needs_one_agent(api):
    assert api("erlang-c", "calls=1&interval_minutes=30&aht_seconds=60").json()["agents"] == 1
    assert api("erlang-a", "calls=1&interval_minutes=30&aht_seconds=60&patience_seconds=60").json()["agents"] == 1


def test_erlang_a(api):
    answer = api("erlang-a", EXAMPLE + "&patience_seconds=180").json()
    assert answer["agents"] == 12 and answer["service_level"] >= 0.8
    assert 0 < answer["abandon_rate"] < 0.1 and 0 < answer["occupancy"] < 1
    fourteen = api("erlang-a", EXAMPLE + "&patience_seconds=86400&agents=14").json()
    assert fourteen["service_level"] == pytest.approx(0.8884, abs=1e-3)


@pytest.mark.parametrize("query, field", [
    ("interval_minutes=30&aht_seconds=180", "calls"),
    ("calls=-1&interval_minutes=30&aht_seconds=180", "calls"),
    ("calls=10&interval_minutes=30&aht_seconds=0", "aht_seconds"),
    ("calls=10&interval_minutes=0&aht_seconds=180", "interval_minutes"),
    ("calls=10&interval_minutes=30&aht_seconds=180&target_service_level=100", "target_service_level"),
    ("calls=10&interval_minutes=30&aht_seconds=180&agents=x", "agents"),
])
def test_bad_input_names_the_field(api, query, field):
    response = api("erlang-c", query)
    assert response.status_code == 422
    assert response.json()["field"] == field and response.json()["code"] == "invalid"


def test_patience_is_required_for_erlang_a(api):
    response = api("erlang-a", EXAMPLE)
    assert response.status_code == 422 and response.json()["field"] == "patience_seconds"


def test_an_implausible_load_is_refused(api):
    response = api("erlang-c", "calls=1000000&interval_minutes=1&aht_seconds=86400")
    assert response.status_code == 400 and response.json()["field"] == "calls"
    assert str(rules.get("workforce.max_agents")) in response.json()["message"]


def test_who_may_ask(logged_in, agent, planner_b, center):
    assert logged_in(agent).get(f"/api/callcenter/erlang-c?{EXAMPLE}").status_code == 403
    other = logged_in(planner_b)
    assert other.get(f"/api/callcenter/erlang-c?{EXAMPLE}").status_code == 200
    assert other.get(f"/api/callcenter/erlang-c?{EXAMPLE}&queue={center.queue.pk}").status_code == 404
