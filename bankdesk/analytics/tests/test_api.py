"""The indicators through the API: the same figures as figures.compute, scope and errors."""

import pytest

from bankdesk.analytics.tests.test_indicators import HAND, cohort, period  # noqa: F401  (fixtures)


def _params(period, **more):  # noqa: F811
    return {"from": period.first.isoformat(), "to": period.last.isoformat(), **more}


def test_every_indicator_with_reference(viewers, cohort, period, logged_in):  # noqa: F811
    from bankdesk.analytics.tests.test_indicators import _set

    _set(cohort[2], cause_id=cohort[1].cause_id)
    answer = logged_in(viewers.management).get("/api/analytics/indicators", _params(period)).json()
    assert {figure["key"]: figure["value"] for figure in answer["figures"]} == HAND
    satisfaction = next(figure for figure in answer["figures"] if figure["key"] == "satisfaction_rate")
    assert (satisfaction["reference"], satisfaction["meets_reference"], satisfaction["numerator"]) == (95.0, False, 2)


def test_roll_up_by_branch(desk, viewers, cohort, period, logged_in):  # noqa: F811
    answer = logged_in(viewers.management).get("/api/analytics/indicators/volume", _params(
        period, by="unit_tree", unit=desk.bank.root.code)).json()
    assert {row["label"]: row["figure"]["value"] for row in answer["rows"]} == {"东城分行": 4, "西城分行": 2}


def test_scope_and_unknown(desk, viewers, cohort, period, logged_in):  # noqa: F811
    client = logged_in(viewers.head_a)
    assert client.get("/api/analytics/indicators", _params(period, unit="B")).status_code == 404
    assert client.get("/api/analytics/indicators/nonsense", _params(period)).status_code == 404
    whole = client.get("/api/analytics/indicators", _params(period)).json()
    assert whole["unit"] == "A"
    assert next(f["value"] for f in whole["figures"] if f["key"] == "volume") == 4


@pytest.mark.parametrize("by", ["channel", "business_category", "cause", "unit", "severity", "closure_code", "month"])
def test_breakdowns_add_up(viewers, cohort, period, logged_in, by):  # noqa: F811
    answer = logged_in(viewers.management).get("/api/analytics/indicators/volume", _params(period, by=by)).json()
    assert sum(row["figure"]["value"] for row in answer["rows"]) == 6
