"""Regulatory statistics: the tables on the hand-built month of conftest.py, worked out by hand; the scope;
the background computation; freezing, a later reclassification, the recomputation and its differences."""

from datetime import date

import pytest

from bankdesk.analytics.reports import kinds, selectors, services, tables
from bankdesk.analytics.reports.models import FrozenReport, RegulatoryReport, ReportKind
from bankdesk.complaints.models import BusinessCategory, Cause
from bankdesk.complaints.review.acceptance import accept_complaint
from bankdesk.complaints.review.classification import Classification, reclassify_complaint
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core import rules
from bankdesk.core.models import AppendOnlyError, AuditEvent, JobStatus


def _section(table: dict, key: str) -> dict:
    """{row key: (count, closed, share)} of one section."""
    section = next(section for section in table["sections"] if section["key"] == key)
    return {row["key"]: (row["count"], row["closed"], row["share"]) for row in section["rows"]}


def _computed(actor, month, unit, django_capture_on_commit_callbacks, kind=ReportKind.MONTHLY, number=None):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor, kind, month.year, number or month.number, unit)
    report.refresh_from_db()
    return report


@pytest.mark.usefixtures("immediate_tasks")
def test_monthly_table_of_the_head_office_worked_out_by_hand(desk, month, django_capture_on_commit_callbacks):
    bank = desk.bank
    report = _computed(desk.cp, month, bank.root, django_capture_on_commit_callbacks)
    assert report.status == JobStatus.SUCCEEDED and report.progress == 100
    assert report.computed_by == desk.cp and report.computed_at is not None
    table = report.rows
    assert (table["total"], table["closed"]) == (5, 2)
    assert _section(table, "business_category") == {"counter_waiting": (3, 1, 60.0), "card_bill": (2, 1, 40.0)}
    assert _section(table, "cause") == {"attitude": (3, 2, 60.0), "pricing": (1, 0, 20.0), "quality": (1, 0, 20.0)}
    assert _section(table, "channel") == {"hotline": (3, 1, 60.0), "outlet": (1, 1, 20.0), "letter": (1, 0, 20.0)}
    # regions: the branches one level under the head office, each with its subtree (branch A's own office too)
    assert _section(table, "region") == {"A": (4, 1, 80.0), "B": (1, 1, 20.0)}
    assert _section(table, "outcome") == {"": (3, 0, 60.0), "bank_at_fault": (1, 1, 20.0),
                                          "customer_cause": (1, 1, 20.0)}
    labels = {row["key"]: row["label"] for row in table["sections"][0]["rows"]}
    assert labels["counter_waiting"] == "柜面服务 / 排队与等候"
    outcome = next(section for section in table["sections"] if section["key"] == "outcome")
    assert outcome["rows"][0]["label"] == "未结案" and outcome["rows"][0]["label_en"] == "Not yet closed"
    assert AuditEvent.objects.filter(action="analytics.report.compute", object_id=str(report.pk)).exists()


@pytest.mark.usefixtures("immediate_tasks")
def test_quarter_half_year_and_year_hold_the_month(desk, month, django_capture_on_commit_callbacks):
    for kind in (ReportKind.QUARTERLY, ReportKind.HALF_YEARLY):
        number = kinds.number_of(kind, month.first)
        period = kinds.period_of(kind, month.year, number)
        if period.last >= date.today():
            continue  # the period holding last month has not ended yet
        report = _computed(desk.cp, month, desk.bank.root, django_capture_on_commit_callbacks, kind, number)
        assert report.rows["total"] == 5


def test_region_rolls_up_under_a_branch(desk, month):
    """Under branch A the regions are its outlets, and its own office apart."""
    from bankdesk.analytics.periods import Period

    table = tables.compute(desk.cp, ReportKind.MONTHLY, Period(month.first, month.last), desk.bank.branch_a)
    regions = next(section for section in table["sections"] if section["key"] == "region")
    assert {row["key"]: row["count"] for row in regions["rows"]} == {"A-O1": 3, "A": 1}
    assert {row["key"]: row["label"] for row in regions["rows"]}["A"] == "东城分行（本级）"


def test_the_disclosure_has_volume_categories_and_regions(desk, complain):
    from bankdesk.analytics.periods import Period
    from bankdesk.analytics.tests.conftest import china

    year = date.today().year - 1
    complain(china(date(year, 3, 1)), unit=desk.bank.outlet_a)
    complain(china(date(year, 11, 30)), unit=desk.bank.outlet_b, category="card_bill")
    complain(china(date(year + 1, 1, 1), 0, 0), unit=desk.bank.outlet_b)  # next year
    table = tables.compute(desk.cp, ReportKind.DISCLOSURE, Period(date(year, 1, 1), date(year, 12, 31)),
                           desk.bank.root)
    assert table["total"] == 2
    assert [section["key"] for section in table["sections"]] == ["business_category", "region"]
    assert _section(table, "region") == {"A": (1, 0, 50.0), "B": (1, 0, 50.0)}


@pytest.mark.usefixtures("immediate_tasks")
def test_a_branch_sees_and_computes_only_its_own(desk, month, viewers, django_capture_on_commit_callbacks):
    bank = desk.bank
    head_office = _computed(desk.cp, month, bank.root, django_capture_on_commit_callbacks)
    with pytest.raises(NotFound):
        services.request_report(desk.cp_b, ReportKind.MONTHLY, month.year, month.number, bank.branch_a)
    own = _computed(desk.cp_b, month, bank.branch_b, django_capture_on_commit_callbacks)
    assert own.rows["total"] == 1 and _section(own.rows, "region") == {"B-O1": (1, 1, 100.0)}
    assert list(selectors.reports(desk.cp_b)) == [own]
    assert list(selectors.reports(viewers.head_a)) == []
    with pytest.raises(NotFound):
        selectors.report(viewers.head_a, head_office.pk)
    with pytest.raises(NotFound):
        selectors.report(desk.cp_b, head_office.pk)
    assert set(selectors.reports(viewers.management)) == {head_office, own}


def test_who_may_compute_and_freeze(desk, month, viewers):
    with pytest.raises(PermissionDenied):
        services.request_report(viewers.head_a, ReportKind.MONTHLY, month.year, month.number, desk.bank.branch_a)
    with pytest.raises(PermissionDenied):
        selectors.reports(desk.handler_a1)
    report = services.request_report(viewers.management, ReportKind.MONTHLY, month.year, month.number,
                                      desk.bank.root)
    with pytest.raises(PermissionDenied):
        services.freeze(viewers.management, report)  # management computes; the consumer-protection office submits


def test_a_period_not_ended_or_out_of_range_is_refused(desk):
    today = date.today()
    with pytest.raises(ValidationFailed) as refused:
        services.request_report(desk.cp, ReportKind.MONTHLY, today.year, today.month, desk.bank.root)
    assert refused.value.field == "number"
    with pytest.raises(ValidationFailed) as refused:
        services.request_report(desk.cp, ReportKind.QUARTERLY, today.year - 1, 5, desk.bank.root)
    assert refused.value.field == "number"
    with pytest.raises(ValidationFailed) as refused:
        services.request_report(desk.cp, ReportKind.ANNUAL, 1999, 1, desk.bank.root)
    assert refused.value.field == "year"


@pytest.mark.usefixtures("immediate_tasks")
def test_freeze_then_reclassify_then_recompute_shows_the_differences(desk, month, django_capture_on_commit_callbacks):
    report = _computed(desk.cp, month, desk.bank.root, django_capture_on_commit_callbacks)
    services.freeze(desk.cp, report)
    report.refresh_from_db()
    assert report.submitted and report.frozen_by == desk.cp and report.frozen_at is not None
    submitted = FrozenReport.objects.get(report=report)
    assert submitted.rows == report.rows and submitted.frozen_by == desk.cp
    assert selectors.differences(report) == []
    with pytest.raises(Conflict):
        services.freeze(desk.cp, report)
    # complaint 1 (counter_waiting, attitude) is reclassified as a credit-card statement complaint about pricing
    accepted = accept_complaint(desk.cp, month.complaints[0])  # changes no figure: it is not closed
    reclassify_complaint(desk.cp, accepted, Classification(
        business_category=BusinessCategory.objects.get(code="card_bill"), cause=Cause.objects.get(code="pricing")),
        reason="客户实际投诉信用卡账单费用")
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute(desk.cp, report)
    report.refresh_from_db()
    assert _section(report.rows, "business_category") == {"card_bill": (3, 1, 60.0), "counter_waiting": (2, 1, 40.0)}
    frozen = FrozenReport.objects.get(report=report)
    assert frozen.rows == submitted.rows  # the frozen copy is unchanged
    assert _section(frozen.rows, "business_category")["counter_waiting"] == (3, 1, 60.0)
    changed = {(cell["section"], cell["key"], cell["column"]): (cell["frozen"], cell["current"])
               for cell in selectors.differences(report)}
    assert changed == {
        ("business_category", "counter_waiting", "count"): (3, 2),
        ("business_category", "counter_waiting", "share"): (60.0, 40.0),
        ("business_category", "card_bill", "count"): (2, 3),
        ("business_category", "card_bill", "share"): (40.0, 60.0),
        ("cause", "attitude", "count"): (3, 2),
        ("cause", "attitude", "share"): (60.0, 40.0),
        ("cause", "pricing", "count"): (1, 2),
        ("cause", "pricing", "share"): (20.0, 40.0),
    }
    event = AuditEvent.objects.filter(action="analytics.report.compute", object_id=str(report.pk)).latest("id")
    assert event.after["cells_differing_from_frozen_copy"] == 8


def test_the_frozen_copy_cannot_be_changed(desk, month):
    report = RegulatoryReport.objects.create(
        kind=ReportKind.MONTHLY, period_first=month.first, period_last=month.last, unit=desk.bank.root,
        unit_path=desk.bank.root.path, requested_by=desk.cp, requested_at=month.complaints[0].received_at,
        status=JobStatus.SUCCEEDED, rows={"total": 0, "closed": 0, "sections": []},
        computed_at=month.complaints[0].received_at, computed_by=desk.cp)
    copy = services.freeze(desk.cp, report).frozen_copy
    copy.rows = {"total": 99}
    with pytest.raises(AppendOnlyError):
        copy.save()
    with pytest.raises(AppendOnlyError):
        FrozenReport.objects.filter(pk=copy.pk).update(rows={})
    with pytest.raises(AppendOnlyError):
        FrozenReport.objects.filter(pk=copy.pk).delete()


def test_a_report_being_computed_is_neither_computed_again_nor_frozen(desk, month):
    report = services.request_report(desk.cp, ReportKind.MONTHLY, month.year, month.number, desk.bank.root)
    assert report.status == JobStatus.QUEUED
    with pytest.raises(Conflict):
        services.recompute(desk.cp, report)
    with pytest.raises(Conflict):
        services.freeze(desk.cp, report)


def test_due_dates(desk):
    assert kinds.due_date(ReportKind.MONTHLY, date(2025, 1, 31)) == date(2025, 2, 28)  # the 30th, or the month's end
    assert kinds.due_date(ReportKind.MONTHLY, date(2025, 3, 31)) == date(2025, 4, 30)
    assert kinds.due_date(ReportKind.QUARTERLY, date(2025, 12, 31)) == date(2026, 1, 30)
    assert kinds.due_date(ReportKind.DISCLOSURE, date(2025, 12, 31)) == date(2026, 4, 30)
    rules.set_value(desk.bank.admin, "analytics.report_due_day", "15", "本行从严")
    assert kinds.due_date(ReportKind.MONTHLY, date(2025, 3, 31)) == date(2025, 4, 15)


def test_outcome_counts_a_closure_code_only_once_closed(desk, month):
    """Complaint 4 has a closure code proposed but is not closed; complaint 2 was not accepted."""
    from bankdesk.analytics.periods import Period
    from bankdesk.complaints.models import ClosureCode, Complaint, Status

    Complaint.objects.filter(pk=month.complaints[3].pk).update(closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    Complaint.objects.filter(pk=month.complaints[1].pk).update(status=Status.NOT_ACCEPTED)
    table = tables.compute(desk.cp, ReportKind.MONTHLY, Period(month.first, month.last), desk.bank.root)
    assert _section(table, "outcome") == {"": (2, 0, 40.0), "not_accepted": (1, 0, 20.0),
                                          "bank_at_fault": (1, 1, 20.0), "customer_cause": (1, 1, 20.0)}
    labels = {row["key"]: row["label"] for row in table["sections"][-1]["rows"]}
    assert labels["not_accepted"] == "不予受理" and labels[""] == "未结案"


def test_the_database_refuses_to_change_a_frozen_copy(desk, month):
    from django.db import DatabaseError, connection, transaction

    report = RegulatoryReport.objects.create(
        kind=ReportKind.MONTHLY, period_first=month.first, period_last=month.last, unit=desk.bank.root,
        unit_path=desk.bank.root.path, requested_by=desk.cp, requested_at=month.complaints[0].received_at,
        status=JobStatus.SUCCEEDED, rows={"total": 0, "closed": 0, "sections": []},
        computed_at=month.complaints[0].received_at, computed_by=desk.cp)
    copy = services.freeze(desk.cp, report).frozen_copy
    for statement in ("UPDATE analytics_frozenreport SET rows = '{}' WHERE id = %s",
                      "DELETE FROM analytics_frozenreport WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [copy.pk])
    assert FrozenReport.objects.get(pk=copy.pk).rows == report.rows
