"""Properties of the complaint clocks (complaints/handling/clocks.py, docs/complaint-lifecycle.md "Clocks").

- A clock of N days ends at the close of the N-th (working or calendar) day after its start day and
  warns when the warning share of those days has passed, a working-day clock on a working day.
- Longer limits, later starts and larger warning shares never give an earlier deadline or warning.
- An extension (15 -> 30 -> 60 calendar days, 5 -> 15 working days) never gives an earlier deadline,
  whatever values within the rule catalog's bounds an administrator sets.
- Pauses at increasing times move a pausable clock's deadline and warning by exactly the time it stood
  still (what `paused_seconds` records), never earlier; other clocks do not move; an extension keeps it.
- A clock reads ok before its warning, warned from it, overdue from its deadline; the sweep warns once
  at the warning and marks overdue once at the deadline, never before.

Each example that writes runs in a savepoint rolled back at its end, with the caches cleared.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bankdesk.complaints.handling import clocks, dispatch, investigation, sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    Channel,
    Clock,
    ClockKind,
    ClockState,
    Complaint,
    PauseReason,
    Severity,
)
from bankdesk.complaints.review import acceptance
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import calendar, rules
from bankdesk.core.rule_catalog import definition
from bankdesk.core.services import seed_calendar_from_package

FIXTURES_OK = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DAY = timedelta(days=1)


def moments(first=datetime(2020, 1, 1), last=datetime(2028, 12, 31)):
    """Aware moments in Beijing time, to the microsecond; 2027-2028 have no official calendar."""
    return st.datetimes(min_value=first, max_value=last).map(timezone.make_aware)


def rule_values(*keys):
    """Values an administrator may set for these rules (the catalog's bounds)."""
    return st.fixed_dictionaries({key: st.integers(int(definition(key).minimum), int(definition(key).maximum))
                                  for key in keys})


@contextmanager
def rules_set_to(values: dict):
    """`rules.get` answers with these values, the catalog defaults for the others (no database row)."""
    with mock.patch.object(rules, "get", lambda key: values.get(key, definition(key).default)):
        yield


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        cache.clear()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@pytest.fixture
def seeded(db) -> calendar.WorkingCalendar:
    seed_calendar_from_package()
    return calendar.load()


def complaint_at(severity=Severity.MINOR, extension_level=0, external_deadline=None) -> Complaint:
    return Complaint(severity=severity, extension_level=extension_level, external_deadline=external_deadline)


class TestShape:
    @FIXTURES_OK
    @given(start=moments(), days=st.integers(1, 90), percent=st.integers(1, 99))
    @example(start=local(2025, 9, 26, 10, 0), days=15, percent=90)  # lifecycle doc: due 12 Oct, warns noon 10 Oct
    def test_calendar_day_clock(self, seeded, start, days, percent):
        with rules_set_to({"clock.warning_percent": percent}):
            found = clocks.calendar_days(start, days)
        first = timezone.localdate(start)
        assert found.due_at == day_start(first + timedelta(days=days + 1))
        assert start < found.warn_at < found.due_at
        expected_warning = day_start(first + DAY) + DAY * (days * percent / 100)
        assert abs(found.warn_at - expected_warning) < timedelta(milliseconds=1)
        assert (found.limit_count, found.provisional) == (days, False)

    @FIXTURES_OK
    @given(start=moments(), days=st.integers(1, 60), percent=st.integers(1, 99))
    @example(start=local(2025, 9, 26, 10, 0), days=5, percent=90)  # lifecycle doc: due 11 Oct 0:00, warns noon 10 Oct
    def test_working_day_clock_warns_on_the_working_day_the_share_passes(self, seeded, start, days, percent):
        with rules_set_to({"clock.warning_percent": percent}):
            found = clocks.working_days(start, days)
        first = timezone.localdate(start)
        last = seeded.add_working_days(first, days)
        assert found.due_at == day_start(last.date + DAY) and found.provisional == last.provisional
        assert start < found.warn_at < found.due_at
        warning_day = timezone.localdate(found.warn_at)
        assert seeded.is_working_day(warning_day)
        counted = seeded.working_days_between(first, warning_day).days  # the warning day is the counted-th
        assert counted - 1 <= days * percent / 100 < counted

    @FIXTURES_OK
    @given(start=moments(), later_by=st.timedeltas(timedelta(0), timedelta(days=400)), days=st.integers(0, 60),
           more=st.integers(1, 30), kind=st.sampled_from(["calendar", "working"]))
    def test_never_earlier_for_a_longer_limit_or_a_later_start(self, seeded, start, later_by, days, more, kind):
        clock_of = clocks.calendar_days if kind == "calendar" else clocks.working_days
        base, longer, later = clock_of(start, days), clock_of(start, days + more), clock_of(start + later_by, days)
        assert base.due_at < longer.due_at and base.warn_at <= longer.warn_at
        assert base.due_at <= later.due_at and base.warn_at <= later.warn_at

    @FIXTURES_OK
    @given(start=moments(), days=st.integers(1, 60), low=st.integers(1, 98), raise_by=st.integers(1, 98),
           kind=st.sampled_from(["calendar", "working"]))
    def test_a_larger_warning_share_never_warns_earlier(self, seeded, start, days, low, raise_by, kind):
        clock_of = clocks.calendar_days if kind == "calendar" else clocks.working_days
        with rules_set_to({"clock.warning_percent": low}):
            early = clock_of(start, days)
        with rules_set_to({"clock.warning_percent": min(99, low + raise_by)}):
            late = clock_of(start, days)
        assert early.warn_at <= late.warn_at and early.due_at == late.due_at

    @FIXTURES_OK
    @given(start=moments(), minutes=st.integers(1, 1440), until=st.timedeltas(timedelta(minutes=1), timedelta(days=90)))
    def test_wall_time_clocks_warn_at_the_share_of_their_time(self, seeded, start, minutes, until):
        dispatch = clocks.minutes(start, minutes)
        external = clocks.regulator_deadline(start, start + until)
        for found, length in ((dispatch, timedelta(minutes=minutes)), (external, until)):
            assert found.due_at == start + length
            assert abs(found.warn_at - (start + length * 0.9)) < timedelta(milliseconds=1)


    @FIXTURES_OK
    @given(start=moments(), late_by=st.timedeltas(timedelta(0), timedelta(days=30)))
    def test_a_regulators_deadline_past_at_the_start_warns_with_it(self, seeded, start, late_by):
        found = clocks.regulator_deadline(start, start - late_by)
        assert found.warn_at == found.due_at == start - late_by

    def test_a_regulators_transfer_accepted_after_its_deadline_is_overdue_at_the_next_sweep(self, desk,
                                                                                             registration):
        """Accepted 23 hours after the regulator's deadline: the decision clock has run since receipt, so the
        next sweep marks it overdue (a regression once warned after the deadline, from the acceptance)."""
        received = local(2025, 9, 26, 9, 55)
        deadline = local(2025, 10, 8, 10, 0)
        with time_machine.travel(received, tick=False):
            complaint = register_complaint(desk.cp, registration(
                channel=Channel.objects.get(code="nfra"), external_reference="NFRA-2025-1",
                external_deadline=deadline, received_at=received))
        with time_machine.travel(local(2025, 10, 9, 9, 0), tick=False):
            acceptance.accept_complaint(desk.cp, complaint)
        decision = complaint.clocks.get(kind=ClockKind.DECISION)
        assert decision.started_at == received and decision.due_at == deadline
        assert decision.warn_at == decision.next_check_at == received + (deadline - received) * 0.9
        assert sweeper.sweep(local(2025, 10, 9, 9, 1)).overdue >= 1
        decision.refresh_from_db()
        assert decision.overdue_at == local(2025, 10, 9, 9, 1)


class TestExtensions:
    EXTENSION_RULES = ("complaint.decision_calendar_days", "complaint.extension_total_calendar_days",
                       "complaint.further_extension_calendar_days", "complaint.internal_soft_target_working_days",
                       "complaint.internal_max_working_days")

    @FIXTURES_OK
    @given(start=moments())
    def test_15_then_30_then_60_calendar_days_by_default(self, seeded, start):
        first = timezone.localdate(start)
        for level, days in ((0, 15), (1, 30), (2, 60)):
            found = clocks.deadline(ClockKind.DECISION, complaint_at(extension_level=level), start)
            assert found.due_at == day_start(first + timedelta(days=days + 1)) and found.limit_count == days

    @FIXTURES_OK
    @given(start=moments(), values=rule_values(*EXTENSION_RULES),
           severity=st.sampled_from(Severity.values))
    @example(start=local(2025, 9, 1, 9, 0), values={  # regression: a bank's ordinary limit above its extended one
        "complaint.decision_calendar_days": 15, "complaint.extension_total_calendar_days": 12,
        "complaint.further_extension_calendar_days": 0, "complaint.internal_soft_target_working_days": 10,
        "complaint.internal_max_working_days": 8}, severity=Severity.MINOR)
    def test_an_extension_never_gives_an_earlier_deadline(self, seeded, start, values, severity):
        with rules_set_to(values):
            for kind, levels in ((ClockKind.DECISION, (0, 1, 2)), (ClockKind.INTERNAL, (0, 1, 2))):
                dues = [clocks.deadline(kind, complaint_at(severity, level), start).due_at for level in levels]
                assert dues == sorted(dues), (kind, dues)

    def test_an_approved_extension_does_not_shorten_the_running_clock(self, desk, routed):
        """Regression through the rules admin: ordinary 15 days, 'extended' 12 days must not cut three days."""
        admin = desk.bank.admin
        rules.set_value(admin, "complaint.extension_total_calendar_days", "12", "录入")
        complaint = routed(local(2025, 9, 1, 9, 0))
        decision = complaint.clocks.get(kind=ClockKind.DECISION)
        complaint.extension_level = 1
        clocks.extend(complaint, [ClockKind.DECISION])
        decision.refresh_from_db()
        assert decision.due_at == local(2025, 9, 17) and decision.limit_count == 15


    def test_an_extension_lifts_the_overdue_mark_of_a_clock_it_gives_time_again(self, desk, routed):
        """Regression (found by the workflow machine's invariant): the internal clock overdue after 5 working
        days kept reading overdue, and was chased daily, after the extension to 15 had moved it to 23 September."""
        complaint = routed(local(2025, 9, 1, 9, 0))
        with time_machine.travel(local(2025, 9, 1, 9, 5), tick=False):  # signed for in time (issue 17 item 8)
            complaint = dispatch.sign_for(complaint.handler, complaint)
        now = local(2025, 9, 10, 9, 0)
        assert sweeper.sweep(now).overdue == 2  # the internal target and the minor resolution target
        with time_machine.travel(now, tick=False):
            request = investigation.request_extension(desk.handler_a1, complaint, reason="需外部鉴定", notice_channel="sms",
                                                      notice_text="您的投诉处理期限延长。")
            investigation.decide_extension(desk.head_a, request, approve=True)
        internal = complaint.clocks.get(kind=ClockKind.INTERNAL)
        assert internal.due_at == local(2025, 9, 23) and internal.overdue_at is None
        assert clocks.clock_state(internal, now) == "ok" and internal.next_check_at == internal.warn_at
        assert sweeper.sweep(now + timedelta(hours=24)).chased == 1  # the resolution target only
        assert sweeper.sweep(internal.due_at).overdue == 1


class TestPauses:
    pauses = st.lists(st.tuples(st.timedeltas(timedelta(0), timedelta(days=5)),
                                st.timedeltas(timedelta(microseconds=1), timedelta(days=10))), max_size=4)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=moments(datetime(2024, 1, 1), datetime(2026, 6, 30)), pauses=pauses,
           stop_after=st.none() | st.timedeltas(timedelta(0), timedelta(days=3)), extend=st.booleans())
    @example(start=local(2025, 9, 1, 9, 0), pauses=[(timedelta(days=1), timedelta(seconds=1, microseconds=500_000))],
             stop_after=None, extend=True)  # regression: half a second lost when the extension recomputed
    def test_pauses_move_the_deadline_by_exactly_the_time_stood(self, desk, routed, start, pauses, stop_after,
                                                                 extend):
        reason = PauseReason.objects.get(code="customer_material")
        with rolled_back():
            complaint = routed(start)
            before = {clock.kind: clock for clock in complaint.clocks.all()}
            at, stood, actor = start, timedelta(0), desk.handler_a1
            for gap, length in pauses:
                at += gap
                clocks.pause(complaint, at, reason=reason, note="", actor=actor)
                at += length
                clocks.resume(complaint, at, actor)
                stood += length
            if extend:
                complaint.extension_level = 1
                clocks.extend(complaint, [ClockKind.DECISION, ClockKind.INTERNAL])
            if stop_after is not None:
                clocks.pause(complaint, at, reason=reason, note="", actor=actor)
                at += stop_after
                stood += stop_after
                clocks.stop(complaint, at=at)  # stopped while paused: the time it stood counts too

            for clock in complaint.clocks.filter(kind__in=before):
                original = before[clock.kind]
                if clock.kind not in clocks.PAUSABLE:
                    assert (clock.due_at, clock.paused_seconds) == (original.due_at, 0)
                    continue
                moved = timedelta(seconds=clock.paused_seconds)
                assert timedelta(0) <= stood - moved < timedelta(seconds=len(pauses) + 1)  # whole seconds kept
                expected = clocks.deadline(clock.kind, complaint, clock.started_at)
                assert clock.due_at == expected.due_at + moved >= original.due_at
                assert clock.warn_at == expected.warn_at + moved
                assert clock.state == (ClockState.STOPPED if stop_after is not None else ClockState.RUNNING)
                if stop_after is not None:
                    assert clock.met == (at - moved <= expected.due_at)


class TestWarnAndOverdue:
    @FIXTURES_OK
    @given(start=moments(), kind=st.sampled_from([k for k in ClockKind.values if k != ClockKind.BECOMES_MAJOR]),
           offset=st.timedeltas(timedelta(0), timedelta(days=90)), severity=st.sampled_from(Severity.values))
    def test_a_clock_reads_ok_then_warned_then_overdue(self, seeded, start, kind, offset, severity):
        clock = clocks.new_clock(complaint_at(severity), kind, at=start)
        assert start < clock.warn_at < clock.due_at and clock.next_check_at == clock.warn_at
        now = start + offset
        expected = "ok" if now < clock.warn_at else "warned" if now < clock.due_at else "overdue"
        assert clocks.clock_state(clock, now) == expected

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=moments(datetime(2024, 1, 1), datetime(2026, 6, 30)),
           steps=st.lists(st.timedeltas(timedelta(minutes=1), timedelta(days=4)), min_size=1, max_size=12))
    def test_the_sweep_warns_once_at_the_warning_and_marks_overdue_once_at_the_deadline(self, desk, routed, start,
                                                                                       steps):
        with rolled_back():
            complaint = routed(start)
            live = list(complaint.clocks.filter(state=ClockState.RUNNING))
            now = start
            for step in steps:
                now += step
                sweeper.sweep(now)
                for clock in Clock.objects.filter(pk__in=[c.pk for c in live]):
                    assert (clock.warned_at is not None) == (clock.warn_at is not None and now >= clock.warn_at) \
                        or clock.overdue_at is not None
                    assert (clock.overdue_at is not None) == (now >= clock.due_at)
                    if clock.overdue_at is not None:
                        assert clock.due_at <= clock.overdue_at <= now and clock.warned_at <= clock.overdue_at
            with time_machine.travel(now, tick=False):
                acceptance.withdraw_complaint(desk.cp, complaint, "客户撤诉")
            assert sweeper.sweep(now + timedelta(days=400)) == sweeper.SweepResult()  # stopped: never reported
