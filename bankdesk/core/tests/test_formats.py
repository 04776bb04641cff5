"""Dates, durations and amounts the Chinese way."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from bankdesk.core.formats import duration, local_datetime, money, time_left

NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_local_datetime_in_the_banks_time_zone():
    assert local_datetime(datetime(2026, 12, 8, 15, 59, tzinfo=UTC)) == "2026-12-08 23:59"


@pytest.mark.parametrize("amount, text", [(Decimal("1200"), "¥1,200.00"), (Decimal("1234567.891"), "¥1,234,567.89"),
                                          ("35.5", "¥35.50"), (Decimal("-35.5"), "-¥35.50"), (None, "")])
def test_money(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize("span, text", [(timedelta(days=4, hours=1, minutes=20), "4 天 1 小时"),
                                        (timedelta(hours=2, minutes=5), "2 小时 5 分钟"),
                                        (timedelta(days=2), "2 天"), (timedelta(seconds=20), "1 分钟")])
def test_duration_shows_the_two_largest_units(span, text):
    assert duration(span) == text


def test_time_left_before_and_after_the_deadline():
    assert time_left(NOW + timedelta(days=4, hours=1), NOW) == "剩余 4 天 1 小时"
    assert time_left(NOW - timedelta(hours=2, minutes=5), NOW) == "超时 2 小时 5 分钟"
    assert time_left(None) == ""


def test_english_too():
    with translation.override("en"):
        assert time_left(NOW + timedelta(days=1, hours=2), NOW) == "1 day 2 hours left"


def test_template_filters():
    text = Template("{% load bankdesk %}{{ at|local_datetime }} {{ amount|money }} {{ due|time_left:now }}").render(
        Context({"at": NOW, "amount": Decimal("1200"), "due": NOW + timedelta(days=4, hours=1), "now": NOW}))
    assert text == "2026-12-05 00:00 ¥1,200.00 剩余 4 天 1 小时"
