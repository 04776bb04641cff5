"""Rectification: bank-at-fault closures open items by the sweep, the unit works them, the consumer-protection
office verifies; overdue items are chased; the repeated-cause report and the trace-to-source measure."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import Notification
from bankdesk.core.models import AuditEvent
from bankdesk.remediation.models import RectificationItem, RectificationStatus, RootCause
from bankdesk.remediation.rectification import reports, services, sweep


def _closed(decided, closure="bank_at_fault", **changes):
    complaint = decided(closure=closure, **changes).complaint
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    complaint.refresh_from_db()
    return complaint


def test_the_sweep_opens_an_item_for_each_bank_at_fault_closure_once(people, decided):
    at_fault = _closed(decided)
    _closed(decided, closure="customer_cause")
    assert sweep.sweep()["opened"] == 1
    assert sweep.sweep()["opened"] == 0
    item = RectificationItem.objects.get()
    assert item.unit == at_fault.unit and item.links.get().complaint == at_fault
    assert item.due_on > timezone.localdate() and item.status == RectificationStatus.OPEN
    assert AuditEvent.objects.filter(action="remediation.rectification.open", object_id=str(item.pk)).exists()


def _worked(people, item):
    return services.update_item(people.head_a, item, root_cause=RootCause.objects.get(code="process"),
                                corrective_action="退还手续费", preventive_action="修订收费公示流程",
                                owner=people.head_a)


def test_an_item_is_reported_only_when_complete_and_verified_by_consumer_protection(people, decided):
    item = services.open_for_complaint(people.head_a, _closed(decided))
    with pytest.raises(ValidationFailed):
        services.report_done(people.head_a, item)
    _worked(people, item)
    services.report_done(people.head_a, item)
    with pytest.raises(PermissionDenied):
        services.verify(people.head_a, item, accepted=True, note="好")
    services.verify(people.cp, item, accepted=False, note="缺少培训记录")
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    services.report_done(people.head_a, item)
    services.verify(people.cp, item, accepted=True, note="已核实")
    item.refresh_from_db()
    assert item.status == RectificationStatus.VERIFIED and item.verified_by == people.cp
    with pytest.raises(Conflict):
        services.update_item(people.head_a, item, summary="改")


def test_one_item_covers_many_complaints_but_a_complaint_one_item(people, decided):
    first, second = _closed(decided), _closed(decided, phone="13700000001")
    item = services.open_for_complaint(people.head_a, first)
    services.link_complaint(people.head_a, item, second)
    assert item.links.count() == 2
    with pytest.raises(ValidationFailed):
        services.link_complaint(people.head_a, item, second)
    assert sweep.open_missing_items() == 0


def test_another_branch_sees_nothing(people, decided):
    item = services.open_for_complaint(people.head_a, _closed(decided))
    with pytest.raises(NotFound):
        services.update_item(people.head_b, item, summary="x")
    with pytest.raises(NotFound):
        services.verify(people.cp_b, item, accepted=True, note="x")


def test_overdue_items_are_chased_and_escalated(people, decided):
    item = services.open_for_complaint(people.head_a, _closed(decided))
    _worked(people, item)
    later = timezone.now() + timedelta(days=(item.due_on - timezone.localdate()).days + 2)
    with time_machine.travel(later, tick=False):
        assert sweep.chase() == {"flagged": 1, "chased": 1}
        assert sweep.chase()["chased"] == 0  # not again before the interval
    item.refresh_from_db()
    assert item.is_overdue and item.chase_count == 1
    assert Notification.objects.filter(recipient=people.head_a, kind="remediation.rectification.chase").exists()
    for days in (3, 6):
        with time_machine.travel(later + timedelta(days=days), tick=False):
            sweep.chase()
    item.refresh_from_db()
    assert item.chase_count == 3
    assert Notification.objects.filter(recipient=people.cp, kind="remediation.rectification.chase").count() == 1
    assert AuditEvent.objects.filter(action="remediation.rectification.chase", object_id=str(item.pk)).count() == 3


def test_the_repeated_cause_report_is_one_group_by(people, decided, django_assert_num_queries):
    cause = RootCause.objects.get(code="process")
    for phone in ("13700000001", "13700000002"):
        item = services.open_for_complaint(people.head_a, _closed(decided, phone=phone))
        services.update_item(people.head_a, item, root_cause=cause)
    once = services.open_for_complaint(people.head_a, _closed(decided, phone="13700000003"))
    services.update_item(people.head_a, once, root_cause=RootCause.objects.get(code="system"))
    today = timezone.localdate()
    with django_assert_num_queries(1):  # the GROUP BY (the user's grants were read before, once per user)
        rows = reports.repeated_causes(people.cp, today - timedelta(days=30), today)
    assert [(row["item__root_cause__name"], row["complaints"], row["items"]) for row in rows] == [
        (cause.name, 2, 2)]
    assert reports.repeated_causes(people.cp_b, today - timedelta(days=30), today) == []


def test_the_trace_to_source_measure(people, decided):
    # mid-morning, so "an hour after the verification" is still today when the suite runs near midnight
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=0), tick=True):
        _trace_to_source_measure(people, decided)


def _trace_to_source_measure(people, decided):
    with_item = _closed(decided)
    _closed(decided, phone="13700000001")  # no item yet
    item = _worked(people, services.open_for_complaint(people.head_a, with_item))
    services.report_done(people.head_a, item)
    services.verify(people.cp, item, accepted=True, note="已核实")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):  # received after the verification
        later = _closed(decided, phone="13700000002")
    services.update_item(people.head_a, services.open_for_complaint(people.head_a, later), root_cause=item.root_cause)
    today = timezone.localdate()
    [figures] = reports.trace_to_source(people.cp, today, today)
    assert (figures.bank_at_fault, figures.with_item, figures.verified_on_time, figures.repeats) == (3, 2, 1, 1)
    assert str(figures.item_share) == "66.7" and str(figures.on_time_share) == "33.3"
