"""Each indicator of domain.md §3 on a small hand-built data set, against the answer worked out by hand."""

from datetime import date, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from bankdesk.analytics import figures
from bankdesk.analytics.indicators import INDICATORS
from bankdesk.analytics.periods import Period
from bankdesk.analytics.tests.conftest import china
from bankdesk.complaints.models import (
    CallbackRecord,
    Clock,
    ClockKind,
    ClockState,
    ClosureCode,
    Complaint,
    Decision,
    DecisionStatus,
    Status,
)
from bankdesk.core import rules
from bankdesk.orgs.models import CustomerCount


@pytest.fixture
def period() -> Period:
    first = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)  # last month's first day
    return Period(first, first + timedelta(days=2))


def _set(complaint, **values):
    Complaint.objects.filter(pk=complaint.pk).update(**values)


def _decision_clock(complaint, **values):
    Clock.objects.filter(complaint=complaint, kind=ClockKind.DECISION).update(**values)


def _decision(complaint, status, proposer):
    Decision.objects.create(complaint=complaint, status=status, finding="查明", proposed_by=proposer,
                            closure_code=ClosureCode.objects.get(code="bank_at_fault"))


@pytest.fixture
def cohort(desk, complain, period):
    """Six complaints received in the period (four at outlet A, two at outlet B) and one the day after."""
    at = china(period.first, 9)
    c = [complain(at + timedelta(hours=i), unit=desk.bank.outlet_b if i >= 4 else desk.bank.outlet_a,
                  cause="pricing" if i == 1 else "attitude") for i in range(6)]
    complain(china(period.last + timedelta(days=1), 0, 0, 0))
    Complaint.objects.update(is_repeat=False, accepted_at=None)
    Clock.objects.update(state=ClockState.RUNNING, overdue_at=None, stopped_at=None)
    fault = ClosureCode.objects.get(code="bank_at_fault")
    for index, complaint in enumerate(c[:4]):
        _set(complaint, accepted_at=complaint.received_at + timedelta(hours=1))
    _set(c[4], status=Status.NOT_ACCEPTED)
    for complaint, days in zip(c[:3], (2, 4, 6)):
        _set(complaint, status=Status.CLOSED, closed_at=F("received_at") + timedelta(days=days),
             communicated_at=F("received_at") + timedelta(days=1), closure_code=fault)
    _set(c[1], escalation_level=1)
    _set(c[2], reopen_count=1)
    _set(c[3], is_repeat=True)
    _decision_clock(c[0], state=ClockState.STOPPED, stopped_at=F("due_at") - timedelta(days=1))
    _decision_clock(c[1], state=ClockState.STOPPED, overdue_at=F("due_at"), stopped_at=F("due_at") + timedelta(days=3))
    _decision_clock(c[2], state=ClockState.STOPPED, stopped_at=F("due_at") - timedelta(days=2))
    Clock.objects.filter(complaint=c[0], kind=ClockKind.ACCEPTANCE).update(state=ClockState.STOPPED)
    for complaint, reached, satisfaction in [(c[0], True, "satisfied"), (c[1], True, "basically_satisfied"),
                                              (c[2], True, "not_satisfied"), (c[2], False, "")]:
        CallbackRecord.objects.create(complaint=complaint, reached=reached, satisfaction=satisfaction, staff=desk.cp)
    for complaint, status in [(c[0], DecisionStatus.APPROVED), (c[1], DecisionStatus.COMMUNICATED),
                              (c[2], DecisionStatus.RETURNED), (c[2], DecisionStatus.PROPOSED)]:
        _decision(complaint, status, desk.handler_a1)
    for unit, customers in [(desk.bank.outlet_a, 30000), (desk.bank.outlet_b, 10000)]:
        CustomerCount.objects.create(unit=unit, unit_path=unit.path, month=period.first, customers=customers,
                                     updated_by=desk.cp)
    return c


HAND = {
    "volume": 6,
    "rate_per_10k": 1.5,  # 6 complaints / 40,000 customers × 10,000
    "acceptance_rate": 80.0,  # 4 accepted / (4 + 1 not accepted); one still awaits review
    "on_time_closure_rate": 66.7,  # 2 of the 3 closed within the statutory limit
    "resolution_rate": 33.3,  # of those two, one was reopened
    "satisfaction_rate": 66.7,  # satisfied + basically satisfied / 3 reached
    "step_timeliness_rate": 75.0,  # 4 clocks stopped, one ran out
    "work_order_accuracy_rate": 66.7,  # approved + communicated / (those + 1 returned); a proposal is not reviewed
    "first_contact_resolution_rate": 33.3,  # of 3 closed, one escalated and one reopened
    "average_handling_days": 4.0,  # (2 + 4 + 6) / 3
    "average_overdue_days": 3.0,  # the one late clock stopped 3 days after its due
    "repeat_rate": 16.7,  # 1 of 6
    "reopen_rate": 33.3,  # 1 of the 3 communicated
    "escalated_share": 16.7,  # 1 of 6
    "staff_service_justified": 1,  # bank at fault about attitude: c0 (c1 is about pricing, c2 too is attitude)
}


def test_every_indicator_on_the_hand_built_set(viewers, cohort, period):
    _set(cohort[2], cause_id=cohort[1].cause_id)  # c2 is about pricing too: only c0 counts for attitude
    whole = figures.compute(viewers.management, period)[figures.WHOLE]
    assert {key: figure.value for key, figure in whole.items()} == HAND
    assert set(HAND) == {indicator.key for indicator in INDICATORS}


def test_references_are_the_rule_settings(viewers, cohort, period, bank):
    rules.set_value(bank.admin, "kpi.satisfaction_target_percent", "60", "试行")
    whole = figures.compute(viewers.management, period)[figures.WHOLE]
    assert whole["satisfaction_rate"].reference == 60 and whole["satisfaction_rate"].meets_reference
    assert whole["on_time_closure_rate"].reference == 95 and not whole["on_time_closure_rate"].meets_reference
    assert whole["volume"].reference is None and whole["volume"].meets_reference is None


def test_scope_a_branch_head_sees_his_branch_only(viewers, cohort, period):
    whole = figures.compute(viewers.head_a, period)[figures.WHOLE]
    assert whole["volume"].value == 4
    assert whole["acceptance_rate"].value == 100.0  # all four of branch A's were accepted
    assert whole["rate_per_10k"].value == round(4 * 10000 / 30000, 2)  # outlet A's customers only


def test_roll_up_along_the_tree(desk, viewers, cohort, period):
    by_branch = figures.compute(viewers.management, period, ["volume", "rate_per_10k", "escalated_share"],
                                by=figures.UNIT_TREE, under=desk.bank.root)
    branch_a, branch_b = (desk.bank.branch_a.path,), (desk.bank.branch_b.path,)
    assert set(by_branch) == {branch_a, branch_b}
    assert by_branch[branch_a]["volume"].value == 4 and by_branch[branch_b]["volume"].value == 2
    assert by_branch[branch_a]["escalated_share"].value == 25.0
    assert by_branch[branch_b]["rate_per_10k"].value == 2.0  # 2 / 10,000 × 10,000


def test_breakdown_by_dimension(viewers, cohort, period):
    by_severity = figures.compute(viewers.management, period, ["volume", "satisfaction_rate"], by="cause")
    counts = {group[0]: row["volume"].value for group, row in by_severity.items()}
    assert sorted(counts.values()) == [1, 5]


def test_a_month_is_averaged_over_its_months(viewers, cohort, period):
    """Two months in the period: the customers are the months' average (the second month has none entered,
    so 20,000 on average), and the seventh complaint, of the day after the first period, counts: 7 / 20,000."""
    longer = Period(period.first, period.first.replace(day=28) + timedelta(days=5))
    whole = figures.compute(viewers.management, longer, ["rate_per_10k"])[figures.WHOLE]
    assert whole["rate_per_10k"].value == 3.5


def test_one_query_per_source_table(viewers, cohort, period, django_assert_max_num_queries):
    figures.compute(viewers.management, period)
    with django_assert_max_num_queries(6):  # assignments, 4 source tables, customers (rules are cached)
        figures.compute(viewers.management, period)


def test_nothing_received_gives_no_rate(viewers, cohort):
    empty = figures.compute(viewers.management, Period(date(2000, 1, 1), date(2000, 1, 31)))[figures.WHOLE]
    assert empty["volume"].value == 0 and empty["acceptance_rate"].value is None
