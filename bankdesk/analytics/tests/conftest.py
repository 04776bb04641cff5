"""Complaints registered through complaints' own service at chosen moments (China time), for the figures."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import BusinessCategory, Cause, Channel
from bankdesk.orgs.models import Role

CHINA = ZoneInfo("Asia/Shanghai")


def china(day: date, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=CHINA)


@pytest.fixture
def last_day() -> date:
    return timezone.localdate() - timedelta(days=3)


@pytest.fixture
def complain(desk, registration):
    """Register a complaint received at `at`; taxonomies by code."""
    def make(at: datetime, channel="hotline", category="counter_waiting", cause="attitude", **changes):
        data = registration(received_at=at, channel=Channel.objects.get(code=channel),
                            business_category=BusinessCategory.objects.get(code=category),
                            cause=Cause.objects.get(code=cause), **changes)
        return register_complaint(desk.agent, data)

    return make


@pytest.fixture
def viewers(desk):
    """Management at the head office, branch A's head, branch B's consumer-protection officer."""
    class Viewers:
        management = desk.bank.user("boss", Role.MANAGEMENT, desk.bank.root)
        head_a = desk.head_a
        cp_b = desk.cp_b

    return Viewers
