"""A small hand-built month of complaints whose regulatory tables are worked out by hand in the tests."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from bankdesk.analytics import periods
from bankdesk.analytics.reports import services
from bankdesk.analytics.reports.models import ReportKind
from bankdesk.analytics.tests.conftest import china, complain, viewers  # noqa: F401  (fixtures)
from bankdesk.complaints.models import ClosureCode, Complaint, Status

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@dataclass
class Month:
    first: date
    last: date
    complaints: list

    @property
    def year(self) -> int:
        return self.first.year

    @property
    def number(self) -> int:
        return self.first.month


def _close(complaint, code: str) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED,
                                                     closure_code=ClosureCode.objects.get(code=code))


@pytest.fixture
def month(desk, complain) -> Month:
    """Last month: five complaints in it, one just after it.

    | # | unit             | channel | category         | cause     | closed with    |
    | 1 | outlet A         | hotline | counter_waiting  | attitude  |                |
    | 2 | outlet A         | hotline | counter_waiting  | pricing   |                |
    | 3 | outlet A         | outlet  | card_bill        | attitude  | bank_at_fault  |
    | 4 | branch A itself  | letter  | card_bill        | quality   |                |
    | 5 | outlet B (last day 23:59 China time) | hotline | counter_waiting | attitude | customer_cause |
    """
    bank = desk.bank
    period = periods.previous("month", periods.containing("month", timezone.localdate()))
    at = china(period.first, 9)
    made = [
        complain(at, unit=bank.outlet_a),
        complain(at + timedelta(hours=1), unit=bank.outlet_a, cause="pricing"),
        complain(at + timedelta(hours=2), unit=bank.outlet_a, channel="outlet", category="card_bill"),
        complain(at + timedelta(hours=3), unit=bank.branch_a, channel="letter", category="card_bill", cause="quality"),
        complain(china(period.last, 23, 59), unit=bank.outlet_b),
    ]
    complain(china(period.last + timedelta(days=1), 0, 0), unit=bank.outlet_b)  # next month: not counted
    _close(made[2], "bank_at_fault")
    _close(made[4], "customer_cause")
    return Month(period.first, period.last, made)


@pytest.fixture
def computed(desk, month, django_capture_on_commit_callbacks):
    """The month's monthly report for the whole bank, computed (the task runs at the commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(desk.cp, ReportKind.MONTHLY, month.year, month.number, desk.bank.root)
    report.refresh_from_db()
    return report
