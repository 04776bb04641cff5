"""The daily early-warning check on synthetic series: a planted spike is flagged, seeded Poisson noise is not,
clusters by customer and by cause, the rising overdue share; stored once a day, audited, delivered to the
nearest consumer-protection office's inbox."""

import copy
import math
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bankdesk.analytics.demo import poisson
from bankdesk.analytics.warnings import check, detection
from bankdesk.analytics.warnings.models import EarlyWarning, WarningKind
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Clock,
    ClockKind,
    Complaint,
    LimitUnit,
)
from bankdesk.core import calendar
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.core.rules import set_value
from bankdesk.core.services import seed_calendar_from_package

CHINA = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CHINA)


@pytest.fixture
def day() -> date:
    """The day checked: far enough back that the template complaints (received now) and their clocks lie after it."""
    return timezone.localdate() - timedelta(days=10)


class Series:
    """Complaints copied from one registered through the pipeline (so every column is as registration makes
    it), received at chosen moments: hundreds in one INSERT."""

    def __init__(self, desk, registration):
        self.desk = desk
        self.registration = registration
        self.templates = {}
        self.made = 0

    def template(self, unit, category, cause, phone):
        key = (unit.pk, category, cause, phone)
        if key not in self.templates:
            self.templates[key] = register_complaint(self.desk.agent, self.registration(
                unit=unit, business_category=BusinessCategory.objects.get(code=category),
                cause=Cause.objects.get(code=cause), phone=phone))
        return self.templates[key]

    def add(self, moments, unit=None, category="counter_waiting", cause="attitude", phone=""):
        """Each complaint by another customer unless `phone` is given."""
        template = self.template(unit or self.desk.bank.outlet_a, category, cause, phone or "13912345678")
        rows = []
        for moment in moments:
            self.made += 1
            row = copy.copy(template)
            row.pk = row.id = None
            row.tracking_number = f"S{self.made:09d}"
            row.received_at = moment
            row.phone = phone or f"138{self.made:08d}"
            rows.append(row)
        return Complaint.objects.bulk_create(rows)

    def daily(self, counts: dict, **where):
        """counts: {day: number received that day} spread over the day's hours."""
        return self.add([at(day, 8 + index % 10) for day, count in counts.items() for index in range(count)], **where)


@pytest.fixture
def series(desk, registration):
    return Series(desk, registration)


def history(day: date, days: int = 56) -> list[date]:
    return [day - timedelta(days=offset) for offset in range(days, 0, -1)]


def kinds(warnings) -> list[str]:
    return sorted(warning.kind for warning in warnings)


def test_poisson_tail_and_critical_count_match_hand_computed_values():
    assert detection.poisson_tail(1, 1.0) == pytest.approx(1 - math.exp(-1))
    assert detection.poisson_tail(3, 2.0) == pytest.approx(1 - math.exp(-2) * (1 + 2 + 2))
    assert detection.poisson_tail(0, 5.0) == 1.0
    # P(X ≥ 4 | 1) = 0.0190 > 1 %, P(X ≥ 5 | 1) = 0.00366 ≤ 1 %
    assert detection.critical_count(1.0, 0.01) == 5
    assert detection.critical_count(1.0, 0.05) == 4
    assert detection.poisson_tail(400, 300.0) < 1e-6  # no underflow with a large mean


def test_a_planted_spike_is_flagged_and_delivered(series, desk, day):
    series.daily({past: 1 for past in history(day)})  # one a day for eight weeks
    spike = series.daily({day: 8})
    series.daily({day: 2}, category="debit_loss")  # a quiet category on the same day

    warnings = check.run(day)

    assert kinds(warnings) == [WarningKind.CAUSE_CLUSTER, WarningKind.RISE]  # eight of one cause in a week, too
    rise = next(warning for warning in warnings if warning.kind == WarningKind.RISE)
    assert (rise.unit, rise.business_category.code, rise.day) == (desk.bank.outlet_a, "counter_waiting", day)
    assert (rise.figure, rise.threshold, float(rise.baseline)) == (8, 5, 1.0)  # 56 in 56 days: λ = 1, P(X≥5) < 1 %
    assert set(rise.complaints.values_list("pk", flat=True)) == {complaint.pk for complaint in spike}
    # the nearest consumer-protection office over outlet A is the head office's (branch B's officer is not told)
    told = Notification.objects.filter(kind="analytics.warning", object_id=str(rise.pk))
    assert list(told.values_list("recipient_id", "link")) == [(desk.cp.pk, f"/analytics/warnings/{rise.pk}/")]
    assert told.get().text.startswith("投诉预警，人民路网点：异常上升 排队与等候，数值 8，阈值 5")
    assert AuditEvent.objects.filter(action="analytics.warning.raise", object_id=str(rise.pk)).exists()


def test_the_same_day_checked_twice_raises_nothing_twice(series, day):
    series.daily({past: 1 for past in history(day)})
    series.daily({day: 8})
    assert len(check.run(day)) == 2
    assert check.run(day) == []
    assert EarlyWarning.objects.count() == 2


def test_a_rise_within_the_units_usual_noise_is_not_flagged(series, desk, day):
    rng = random.Random(20261205)
    for unit in (desk.bank.outlet_a, desk.bank.outlet_b):
        for category, cause, mean in (("counter_waiting", "attitude", 3.0), ("debit_loss", "pricing", 1.5),
                                      ("card_fees", "disclosure", 0.5)):
            series.daily({past: poisson(rng, mean) for past in [*history(day), day]}, unit=unit, category=category,
                         cause=cause)
    assert Complaint.objects.count() > 400
    found = detection.rises(day)
    assert found == []
    assert WarningKind.RISE not in kinds(check.run(day))


def test_the_usual_level_is_that_of_days_of_the_same_kind_on_the_official_calendar(db):
    seed_calendar_from_package()
    calendar.invalidate()
    # 1–7 Oct 2026 off, Thu 8 and Fri 9 worked, Sat 10 Oct a make-up day; 25–27 Sep off (Mid-Autumn, weekend)
    assert detection.alike_days(date(2026, 10, 9), 14) == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30),
                                                            date(2026, 10, 8)]
    assert detection.alike_days(date(2026, 10, 10), 7) == [date(2026, 10, 8), date(2026, 10, 9)]
    assert detection.alike_days(date(2026, 10, 5), 7) == [date(2026, 10, day) for day in (1, 2, 3, 4)]
    # the first working day after the holiday has no working day in one week before it: all seven count
    assert detection.alike_days(date(2026, 10, 8), 7) == [date(2026, 10, day) for day in range(1, 8)]


def test_a_busy_monday_after_quiet_weekends_is_not_flagged_and_a_spike_is(series, desk, day):
    """Busy working days (about 8 complaints), quiet weekends (about 1): a Monday of 13 is within the working
    days' noise; against the mean of all days (about 6) it would be flagged. 22 on a Monday is found, and so
    are 6 on a quiet Saturday (under the mean of all days 6 a Saturday would never be)."""
    official = calendar.load()
    monday = day - timedelta(days=day.weekday())
    while not official.is_working_day(monday):
        monday -= timedelta(days=7)
    saturday = monday - timedelta(days=2)
    rng = random.Random(20261206)
    for unit in (desk.bank.outlet_a, desk.bank.outlet_b):
        series.daily({past: poisson(rng, 8.0 if official.is_working_day(past) else 1.0)
                      for past in history(monday, 63) if past != saturday}, unit=unit)
    series.daily({monday: 13})
    series.daily({monday: 22}, unit=desk.bank.outlet_b)
    received = Complaint.objects.filter(unit=desk.bank.outlet_a, received_at__gte=at(monday - timedelta(days=56), 0),
                                        received_at__lt=at(monday, 0))
    assert detection.critical_count(received.count() / 56, 0.01) <= 13  # the mean of all days would flag it

    found = detection.rises(monday)

    assert [(finding.unit_id, finding.figure) for finding in found] == [(desk.bank.outlet_b.pk, 22)]
    assert 7 <= found[0].baseline <= 9  # the working days' mean
    series.daily({saturday: 6})
    assert official.is_working_day(saturday) or [(finding.unit_id, finding.figure) for finding in
                                                  detection.rises(saturday)] == [(desk.bank.outlet_a.pk, 6)]


def test_the_thresholds_are_rule_settings(series, desk, day):
    series.daily({past: 1 for past in history(day)})
    series.daily({day: 4})  # P(X ≥ 4 | 1) = 1.9 %: not at 1 %, flagged at 5 %
    assert detection.rises(day) == []
    set_value(desk.bank.admin, "warning.rise.significance_percent", "5", "test")
    assert [finding.figure for finding in detection.rises(day)] == [4]
    set_value(desk.bank.admin, "warning.rise.min_count", "5", "test")
    assert detection.rises(day) == []


def test_a_unit_without_history_needs_the_minimum_count(series, day):
    series.daily({day: 2})
    assert detection.rises(day) == []  # below warning.rise.min_count (3)
    series.daily({day: 1})
    assert [finding.figure for finding in detection.rises(day)] == [3]


def test_repeat_complaints_by_one_customer_at_one_unit(series, desk, day):
    three = series.add([at(day - timedelta(days=20)), at(day - timedelta(days=3)), at(day)], phone="13700000001")
    series.add([at(day - timedelta(days=5)), at(day)], phone="13700000002")  # two: below the minimum
    series.add([at(day - timedelta(days=40)), at(day - timedelta(days=2)), at(day)],
               phone="13700000003")  # the first is outside the 30-day window
    series.add([at(day - timedelta(days=6)), at(day - timedelta(days=4)), at(day - timedelta(days=1))],
               phone="13700000004")  # nothing new on the day checked
    series.add([at(day - timedelta(days=6)), at(day)], phone="13700000001", unit=desk.bank.outlet_b,
               category="debit_loss")  # the same customer at another unit

    found = detection.clusters(day, WarningKind.CUSTOMER_CLUSTER)

    assert len(found) == 1
    assert (found[0].unit_id, found[0].figure, found[0].threshold) == (desk.bank.outlet_a.pk, 3, 3)
    warning = next(warning for warning in check.run(day) if warning.kind == WarningKind.CUSTOMER_CLUSTER)
    assert set(warning.complaints.values_list("pk", flat=True)) == {complaint.pk for complaint in three}
    assert warning.subject == f"customer:{three[0].phone_index}"
    assert "13700000001" not in warning.subject


def test_repeat_complaints_of_one_cause_at_one_unit(series, desk, day):
    week = [day - timedelta(days=offset) for offset in range(6, -1, -1)]
    fees = series.add([at(moment) for moment in week[2:]], cause="pricing", phone="13600000001")  # five in the week
    series.add([at(moment) for moment in week[3:]], cause="disclosure", phone="13600000002")  # four
    series.add([at(day - timedelta(days=8)), *[at(moment) for moment in week[3:]]], cause="attitude",
               phone="13600000003", unit=desk.bank.outlet_b)  # four in the window, one before it

    found = detection.clusters(day, WarningKind.CAUSE_CLUSTER)

    assert [(finding.unit_id, finding.cause_id, finding.figure) for finding in found] == [
        (desk.bank.outlet_a.pk, Cause.objects.get(code="pricing").pk, 5)]
    warning = next(warning for warning in check.run(day) if warning.kind == WarningKind.CAUSE_CLUSTER)
    assert set(warning.complaints.values_list("pk", flat=True)) == {complaint.pk for complaint in fees}
    assert (warning.period_start, warning.period_end) == (week[0], day)


def test_a_cause_usual_at_a_busy_unit_is_no_cluster(series, desk, day):
    series.daily({past: 2 for past in history(day)}, cause="pricing")  # two a day for eight weeks
    series.daily({day: 3}, cause="pricing")  # 15 in the week: the 100 of the 50 days before make 12.5 usual
    assert detection.cause_clusters(day) == []
    series.daily({day: 12}, cause="pricing", category="debit_loss")  # 27 in the week: P(X ≥ 27 | 12.5) < 1 %
    threshold = detection.critical_count(12.5, 0.01)
    assert 15 < threshold <= 27
    assert [(finding.figure, finding.threshold, finding.baseline) for finding in detection.cause_clusters(day)] == [
        (27, threshold, 12.5)]


def test_a_cluster_is_raised_once_per_window(series, desk, day):
    series.add([at(day - timedelta(days=3)), at(day - timedelta(days=1)), at(day)], phone="13700000009")
    assert kinds(check.run(day)) == [WarningKind.CUSTOMER_CLUSTER]
    series.add([at(day + timedelta(days=1))], phone="13700000009")  # it grows the next day
    assert len(detection.customer_clusters(day + timedelta(days=1))) == 1
    assert check.run(day + timedelta(days=1)) == []  # the open warning covers its 30 days
    assert kinds(check.run(day + timedelta(days=30))) == []  # nothing new on that day
    series.add([at(day + timedelta(days=30))], phone="13700000009")
    assert kinds(check.run(day + timedelta(days=30))) == [WarningKind.CUSTOMER_CLUSTER]


def clocks(complaints, due: datetime, overdue: int):
    """One decision clock per complaint due at `due`, the first `overdue` of them run out."""
    Clock.objects.bulk_create([
        Clock(complaint=complaint, kind=ClockKind.DECISION, limit_count=15, limit_unit=LimitUnit.CALENDAR_DAYS,
              started_at=due - timedelta(days=15), due_at=due, overdue_at=due if index < overdue else None,
              stopped_at=None if index < overdue else due - timedelta(days=1), state="stopped")
        for index, complaint in enumerate(complaints)])


def test_a_rising_share_of_overdue_items(series, desk, day):
    a_earlier = series.add([at(day - timedelta(days=30))] * 10, phone="13500000001")
    a_recent = series.add([at(day - timedelta(days=12))] * 10, phone="13500000002")
    clocks(a_earlier, at(day - timedelta(days=20)), overdue=1)  # 10 % in the earlier 28 days
    clocks(a_recent, at(day - timedelta(days=2)), overdue=4)  # 40 % in the last 7 days
    b_earlier = series.add([at(day - timedelta(days=30))] * 10, phone="13500000003", unit=desk.bank.outlet_b)
    b_recent = series.add([at(day - timedelta(days=12))] * 10, phone="13500000004", unit=desk.bank.outlet_b)
    clocks(b_earlier, at(day - timedelta(days=20)), overdue=4)  # 40 % before: no rise
    clocks(b_recent, at(day - timedelta(days=2)), overdue=4)

    found = detection.overdue_shares(day)

    assert [(finding.unit_id, finding.figure, finding.baseline, finding.threshold) for finding in found] == [
        (desk.bank.outlet_a.pk, 40, 10, 20)]
    warning = check.run(day)[0]
    assert warning.kind == WarningKind.OVERDUE_SHARE
    assert set(warning.complaints.values_list("pk", flat=True)) == {complaint.pk for complaint in a_recent[:4]}
    # the share stays high the next day: one warning covers the recent window
    assert check.run(day + timedelta(days=1)) == []


def test_the_periodic_job_is_registered():
    from bankdesk.core.scheduler import PERIODIC_JOBS

    job = next(job for job in PERIODIC_JOBS if job.name == "analytics.early_warning_check")
    assert job.every == timedelta(days=1)


def test_the_task_checks_yesterday_by_default(series, day, monkeypatch):
    from bankdesk.analytics.warnings import tasks

    series.daily({past: 1 for past in history(day)})
    series.daily({day: 8})
    monkeypatch.setattr(check, "default_day", lambda: day)
    assert tasks.early_warning_check.call() == 2
    assert tasks.early_warning_check.call(day.isoformat()) == 0
