"""GET /api/analytics/volume: its total is the complaint list's total for the same days and user."""

from datetime import timedelta

import pytest
from django.db.models import Count

from bankdesk.analytics.tests.conftest import china
from bankdesk.complaints.models import Channel

BY = ["channel", "business_category", "cause", "unit", "severity", "closure_code"]


@pytest.fixture
def spread(desk, complain, last_day):
    """Seven complaints around a period of three days ending `last_day`: two outside it by one second."""
    first = last_day - timedelta(days=2)
    outlet_a, outlet_b = desk.bank.outlet_a, desk.bank.outlet_b
    complain(china(first - timedelta(days=1), 23, 59, 59))  # before the first day
    complain(china(first, 0, 0, 0))
    complain(china(first, 12), channel="outlet", category="card_fees", cause="pricing")
    complain(china(last_day, 9), unit=outlet_b, channel="letter")
    complain(china(last_day, 23, 59), unit=outlet_a, channel="outlet")  # last minute of the last day
    complain(china(last_day, 23, 59, 59), unit=outlet_b)
    complain(china(last_day + timedelta(days=1), 0, 0, 0))  # after the last day
    return first, last_day


def _volume(client, first, last, by):
    response = client.get("/api/analytics/volume", {"from": first.isoformat(), "to": last.isoformat(), "by": by})
    assert response.status_code == 200, response.content
    return response.json()


def _listed(client, first, last):
    response = client.get("/api/complaints", {"received_from": first.isoformat(), "received_to": last.isoformat()})
    assert response.status_code == 200
    return response.json()["total"]


@pytest.mark.parametrize("by", BY)
def test_total_equals_the_complaint_list_for_each_user(desk, viewers, spread, logged_in, by):
    first, last = spread
    expected = {viewers.management: 5, viewers.head_a: 3, viewers.cp_b: 2}
    for user, count in expected.items():
        client = logged_in(user)
        answer = _volume(client, first, last, by)
        assert answer["total"] == _listed(client, first, last) == count
        assert sum(row["count"] for row in answer["rows"]) == count


def test_rows_by_channel_with_keys_and_chinese_labels(viewers, spread, logged_in):
    first, last = spread
    answer = _volume(logged_in(viewers.management), first, last, "channel")
    names = dict(Channel.objects.values_list("code", "name"))
    assert {row["key"]: (row["label"], row["count"]) for row in answer["rows"]} == {
        "hotline": (names["hotline"], 2), "outlet": (names["outlet"], 2), "letter": (names["letter"], 1)}


def test_by_unit_severity_and_open_closure_code(desk, viewers, spread, logged_in):
    first, last = spread
    client = logged_in(viewers.management)
    by_unit = {row["key"]: row["count"] for row in _volume(client, first, last, "unit")["rows"]}
    assert by_unit == {"A-O1": 3, "B-O1": 2}
    closure = _volume(client, first, last, "closure_code")["rows"]
    assert [(row["key"], row["count"]) for row in closure] == [("", 5)]
    assert closure[0]["label"] == "未结案"


def test_one_group_by_query(viewers, spread, logged_in, django_assert_max_num_queries):
    first, last = spread
    from bankdesk.analytics import selectors
    from bankdesk.analytics.periods import Period

    selectors.volume(viewers.management, Period(first, last), "cause")  # the user's assignments read once
    with django_assert_max_num_queries(2) as captured:  # the user's role assignments, then the one aggregate
        answer = selectors.volume(viewers.management, Period(first, last), "cause")
    assert answer["total"] == 5
    assert sum("GROUP BY" in query["sql"] for query in captured.captured_queries) == 1


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
    ({"from": "2026-05-01", "to": "2026-05-02", "by": "colour"}, "by"),
    ({"to": "2026-05-02"}, "from"),
    ({"from": "2026-02-30", "to": "2026-05-02"}, "from"),
])
def test_bad_input_names_the_field(viewers, logged_in, params, field):
    response = logged_in(viewers.management).get("/api/analytics/volume", params)
    assert response.status_code in (400, 422)
    assert response.json()["field"] == field


def test_without_the_right_403(desk, logged_in):
    response = logged_in(desk.teller).get("/api/analytics/volume", {"from": "2026-05-01", "to": "2026-05-02"})
    assert response.status_code == 403


def test_counts_match_a_plain_aggregate(viewers, spread):
    """The figure is an aggregate of the database, checked against the ORM's own count."""
    first, last = spread
    from bankdesk.analytics import selectors
    from bankdesk.analytics.periods import Period

    period = Period(first, last)
    plain = dict(selectors.complaints_received(viewers.management, period).values_list("severity")
                 .annotate(n=Count("id")).values_list("severity", "n"))
    rows = selectors.volume(viewers.management, period, "severity")["rows"]
    assert {int(row["key"]): row["count"] for row in rows} == plain


def test_complaints_under_a_unit_are_those_the_user_sees_there(desk, viewers, spread):
    """Under a unit within the user's scope the filter is the unit's subtree alone (the index answers it); under
    one outside it, or none, the user's scope still applies: the same complaints either way."""
    from bankdesk.analytics import selectors
    from bankdesk.analytics.periods import Period
    from bankdesk.complaints.selectors import visible_complaints

    period = Period(*spread)
    for user, under, count in [(viewers.management, desk.bank.root, 5), (viewers.management, desk.bank.outlet_b, 2),
                               (viewers.cp_b, desk.bank.outlet_b, 2), (viewers.cp_b, desk.bank.root, 2),
                               (viewers.cp_b, desk.bank.outlet_a, 0), (viewers.head_a, None, 3)]:
        expected = set(visible_complaints(user).filter(period.received_q(), selectors.subtree_q(under))
                       .values_list("pk", flat=True))
        assert set(selectors.complaints_received(user, period, under).values_list("pk", flat=True)) == expected
        assert len(expected) == count
