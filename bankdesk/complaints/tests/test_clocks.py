"""The clocks of docs/domain-rules.md §2 across the PRC calendar, and the sweep that warns, chases and escalates."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bankdesk.complaints.handling import clocks, investigation, sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    Clock,
    ClockKind,
    ClockState,
    Complaint,
    DeadlineState,
    PauseReason,
    Severity,
    Status,
)
from bankdesk.complaints.review import acceptance
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import SmsOutbox
from bankdesk.core.models import AuditEvent, Notification

NATIONAL_DAY_2025 = local(2025, 9, 26, 10, 0)  # a Friday; 28 Sep and 11 Oct are make-up working days


def clock_of(complaint, kind) -> Clock:
    return Clock.objects.get(complaint=complaint, kind=kind)


class TestDeadlines:
    def test_statutory_15_days_are_calendar_days_across_national_day(self, routed):
        clock = clock_of(routed(NATIONAL_DAY_2025), ClockKind.DECISION)
        assert clock.due_at == local(2025, 10, 12, 0, 0)  # the end of 11 Oct, holidays included
        assert clock.warn_at == local(2025, 10, 10, 12, 0)  # 90% of 15 days: half-way through day 14
        assert clock.length == "15 个自然日"

    def test_internal_five_working_days_skip_the_holiday(self, routed):
        clock = clock_of(routed(NATIONAL_DAY_2025), ClockKind.INTERNAL)
        # 28 Sep (make-up Sunday), 29 and 30 Sep, then 9 and 10 Oct: ends with 10 Oct, not on 3 Oct.
        assert clock.due_at == local(2025, 10, 11, 0, 0)
        assert clock.warn_at == local(2025, 10, 10, 12, 0)
        assert not clock.provisional

    def test_registered_just_before_the_long_holiday(self, desk, registration):
        """Registered on the eve of National Day: the 2-working-day review runs 9 and 10 Oct, after the
        eight days off, so the warning comes on 10 Oct and the review is overdue from 11 Oct, not on 2 Oct."""
        at = local(2025, 9, 30, 16, 30)
        complaint = register_complaint(desk.agent, registration(received_at=at))
        found = clocks.deadline(ClockKind.ACCEPTANCE, complaint, at)
        assert found.due_at == local(2025, 10, 11, 0, 0)
        assert found.warn_at == local(2025, 10, 10, 19, 12)  # 1.8 of 2 working days
        assert sweeper.sweep(local(2025, 10, 2)) == sweeper.SweepResult()
        assert sweeper.sweep(found.warn_at).warned == 1
        assert sweeper.sweep(found.due_at).overdue == 1

    def test_extensions_reach_30_and_then_60_days(self, routed):
        complaint = routed(NATIONAL_DAY_2025)
        complaint.extension_level = 1
        assert clocks.deadline(ClockKind.DECISION, complaint, NATIONAL_DAY_2025).due_at == local(2025, 10, 27)
        assert clocks.deadline(ClockKind.INTERNAL, complaint, NATIONAL_DAY_2025).due_at == local(2025, 10, 24)
        complaint.extension_level = 2
        assert clocks.deadline(ClockKind.DECISION, complaint, NATIONAL_DAY_2025).due_at == local(2025, 11, 26)

    def test_the_regulators_deadline_wins(self, routed):
        deadline = local(2025, 10, 5, 17, 0)
        clock = clock_of(routed(NATIONAL_DAY_2025, external_reference="NFRA-1", external_deadline=deadline),
                         ClockKind.DECISION)
        assert clock.is_external and clock.due_at == deadline
        assert clock.warn_at == NATIONAL_DAY_2025 + (deadline - NATIONAL_DAY_2025) * 0.9

    def test_resolution_target_follows_severity(self, routed):
        minor = clock_of(routed(NATIONAL_DAY_2025), ClockKind.RESOLUTION)
        assert minor.due_at == local(2025, 9, 29)  # 2 calendar days
        major = routed(NATIONAL_DAY_2025, phone="13700000001", is_group=True, group_size=12)
        assert major.severity == Severity.MAJOR
        assert clock_of(major, ClockKind.RESOLUTION).due_at == local(2025, 10, 7)
        assert clock_of(major, ClockKind.MAJOR_REPLY).due_at == local(2025, 9, 29)

    def test_a_year_without_calendar_is_provisional(self, routed):
        clock = clock_of(routed(local(2027, 3, 1, 9, 0)), ClockKind.INTERNAL)
        assert clock.provisional
        assert clock.due_at == local(2027, 3, 9)  # weekends only: 2-5 and 8 March

    def test_the_warning_share_is_a_rule(self, desk, routed):
        rules.set_value(desk.bank.admin, "clock.warning_percent", "80", "stricter warnings")
        clock = clock_of(routed(NATIONAL_DAY_2025), ClockKind.DECISION)
        assert clock.warn_at == local(2025, 10, 9, 0, 0)  # 12 of 15 days


class TestProcessClocks:
    def test_acceptance_stops_the_review_clock_and_starts_the_handling_clocks(self, routed):
        complaint = routed(NATIONAL_DAY_2025)
        states = dict(Clock.objects.filter(complaint=complaint).values_list("kind", "state"))
        # the dispatch clock runs until the department signs for the complaint (issue 17 item 8)
        assert states == {ClockKind.ACCEPTANCE: ClockState.STOPPED, ClockKind.DISPATCH: ClockState.RUNNING,
                          ClockKind.RESOLUTION: ClockState.RUNNING, ClockKind.INTERNAL: ClockState.RUNNING,
                          ClockKind.DECISION: ClockState.RUNNING, ClockKind.BECOMES_MAJOR: ClockState.RUNNING}
        assert clock_of(complaint, ClockKind.ACCEPTANCE).met
        complaint.refresh_from_db()
        assert complaint.current_deadline == clock_of(complaint, ClockKind.DISPATCH).due_at  # the nearest: sign-for

    def test_withdrawal_stops_every_clock(self, desk, routed):
        complaint = acceptance.withdraw_complaint(desk.cp, routed(), "客户来电撤诉")
        assert not Clock.objects.filter(complaint=complaint).exclude(state=ClockState.STOPPED).exists()
        assert complaint.current_deadline is None

    def test_a_pause_moves_the_deadline_by_the_time_paused(self, desk, routed):
        import time_machine

        complaint = routed(NATIONAL_DAY_2025)
        due = clock_of(complaint, ClockKind.DECISION).due_at
        reason = PauseReason.objects.get(code="customer_material")
        with time_machine.travel(local(2025, 9, 29, 9, 0), tick=False):
            investigation.pause_clock(desk.handler_a1, complaint, reason=reason, note="等客户提供流水")
        assert clock_of(complaint, ClockKind.DECISION).state == ClockState.PAUSED
        assert clock_of(complaint, ClockKind.DECISION).next_check_at is None
        with time_machine.travel(local(2025, 10, 2, 9, 0), tick=False):
            investigation.resume_clock(desk.handler_a1, complaint)
        clock = clock_of(complaint, ClockKind.DECISION)
        assert clock.due_at == due + timedelta(days=3) and clock.paused_seconds == 3 * 86400
        assert AuditEvent.objects.filter(action__in=["complaint.pause", "complaint.resume"]).count() == 2

    def test_communicating_while_paused_ends_the_pause_and_counts_the_time_stood(self, desk, routed):
        import time_machine

        from bankdesk.complaints.decisions import approval, communication
        from bankdesk.complaints.models import ClockPause, ClosureCode

        complaint = routed(local(2025, 9, 1, 9, 0))  # the decision is due at the end of 16 September
        with time_machine.travel(local(2025, 9, 10, 9, 0), tick=False):
            investigation.pause_clock(desk.handler_a1, complaint,
                                      reason=PauseReason.objects.get(code="customer_material"))
        with time_machine.travel(local(2025, 9, 20, 9, 0), tick=False):
            approval.propose_decision(desk.handler_a1, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                                      closure_code=ClosureCode.objects.get(code="bank_at_fault"))
            approval.approve_decision(desk.head_a, complaint)
            communication.communicate_decision(desk.handler_a1, complaint, channel="letter", text="处理结果告知")
        complaint.refresh_from_db()
        assert complaint.paused_since is None
        assert ClockPause.objects.get().ended_at == local(2025, 9, 20, 9, 0)
        decision_clock = clock_of(complaint, ClockKind.DECISION)
        assert decision_clock.paused_seconds == 10 * 86400 and decision_clock.met  # due moved to 26 September

    def test_only_a_reason_the_rules_allow_pauses(self, desk, routed):
        complaint = routed()
        retired = PauseReason.objects.create(code="other", name="其他", is_active=False)
        with pytest.raises(ValidationFailed) as failure:
            investigation.pause_clock(desk.handler_a1, complaint, reason=retired)
        assert failure.value.field == "reason"
        with pytest.raises(ValidationFailed) as failure:
            investigation.resume_clock(desk.handler_a1, complaint)
        assert failure.value.code == "invalid_state"  # nothing was paused


class TestSweep:
    def test_warning_then_overdue_then_chase_each_once(self, desk, routed):
        complaint = routed(NATIONAL_DAY_2025)
        clock = clock_of(complaint, ClockKind.DECISION)
        Clock.objects.filter(complaint=complaint).exclude(pk=clock.pk).update(
            state=ClockState.STOPPED, next_check_at=None)

        assert sweeper.sweep(clock.warn_at - timedelta(seconds=1)).warned == 0
        assert sweeper.sweep(clock.warn_at).warned == 1
        assert sweeper.sweep(clock.warn_at + timedelta(minutes=1)).warned == 0  # idempotent
        warnings = Notification.objects.filter(kind="complaint.clock_warning")
        assert list(warnings.values_list("recipient", flat=True)) == [complaint.handler_id]
        complaint.refresh_from_db()
        assert complaint.deadline_state == DeadlineState.WARNED

        result = sweeper.sweep(clock.due_at)
        assert (result.overdue, sweeper.sweep(clock.due_at).overdue) == (1, 0)
        chase = Notification.objects.get(kind="complaint.clock_chase")
        assert chase.recipient_id == complaint.handler_id and "催办" in chase.text
        escalated = set(Notification.objects.filter(kind="complaint.escalated").values_list("recipient", flat=True))
        assert desk.head_a.pk in escalated and desk.cp.pk in escalated
        assert SmsOutbox.objects.filter(kind="complaint.clock_chase").count() in (0, 1)  # staff without a mobile
        complaint.refresh_from_db()
        assert complaint.deadline_state == DeadlineState.OVERDUE and complaint.escalation_level == 1
        assert AuditEvent.objects.filter(action="complaint.overdue", object_id=str(complaint.pk)).count() == 1

        assert sweeper.sweep(clock.due_at + timedelta(hours=23)).chased == 0
        assert sweeper.sweep(clock.due_at + timedelta(hours=24)).chased == 1
        assert Notification.objects.filter(kind="complaint.clock_chase").count() == 2

    def test_a_clock_stopped_in_time_is_never_reported(self, desk, routed):
        complaint = routed(NATIONAL_DAY_2025)
        acceptance.withdraw_complaint(desk.cp, complaint, "客户撤诉")
        assert sweeper.sweep(local(2026, 1, 1)) == sweeper.SweepResult()

    def test_unresolved_for_a_month_becomes_major(self, desk, routed):
        complaint = routed(NATIONAL_DAY_2025)
        result = sweeper.sweep(local(2025, 10, 27, 0, 1))
        assert result.became_major == 1
        complaint.refresh_from_db()
        assert complaint.severity == Severity.MAJOR
        assert Notification.objects.filter(kind="complaint.major", recipient=desk.cp).exists()
        assert clock_of(complaint, ClockKind.MAJOR_REPLY).state == ClockState.RUNNING
        assert sweeper.sweep(local(2025, 10, 27, 0, 2)).became_major == 0

    def test_the_review_clock_warns_the_consumer_protection_office(self, desk, registration):
        complaint = register_complaint(desk.agent, registration())
        clock = clock_of(complaint, ClockKind.ACCEPTANCE)
        sweeper.sweep(clock.due_at)
        assert Notification.objects.filter(kind="complaint.clock_chase", recipient=desk.cp).exists()
        assert not Notification.objects.filter(kind="complaint.clock_chase", recipient=desk.cp_b).exists()

    def test_the_nearest_office_is_chased_and_the_one_above_told(self, desk, registration):
        from bankdesk.orgs.models import Role

        cp_a = desk.bank.user("cp_a", Role.CONSUMER_PROTECTION, desk.bank.branch_a)
        complaint = register_complaint(desk.agent, registration())
        sweeper.sweep(clock_of(complaint, ClockKind.ACCEPTANCE).due_at)
        chased = set(Notification.objects.filter(kind="complaint.clock_chase").values_list("recipient", flat=True))
        told = set(Notification.objects.filter(kind="complaint.escalated").values_list("recipient", flat=True))
        assert chased == {cp_a.pk} and told == {desk.cp.pk, desk.head_a.pk}  # the office above, the heads

    def test_cost_follows_the_items_due_not_the_open_complaints(self, desk, routed):
        """10,000 open complaints, 10 of them due: the sweep reads and writes only those 10."""
        template = routed(NATIONAL_DAY_2025)
        now = local(2025, 11, 1)
        Clock.objects.filter(complaint=template).update(state=ClockState.STOPPED, next_check_at=None)
        fields = {f.attname: getattr(template, f.attname) for f in Complaint._meta.concrete_fields
                  if f.attname not in ("id", "tracking_number")}
        Complaint.objects.bulk_create([Complaint(**fields, tracking_number=f"TS-BULK-{n:06d}")
                                       for n in range(10_000)], batch_size=1000)
        bulk = list(Complaint.objects.filter(tracking_number__startswith="TS-BULK-").values_list("pk", flat=True))
        far = now + timedelta(days=30)
        Clock.objects.bulk_create([
            Clock(complaint_id=pk, kind=ClockKind.DECISION, limit_count=15, limit_unit="calendar_days", started_at=now,
                  due_at=now if n < 10 else far, warn_at=now, warned_at=now,
                  next_check_at=now if n < 10 else far)
            for n, pk in enumerate(bulk)], batch_size=1000)

        def queries_for_sweep():
            with CaptureQueriesContext(connection) as captured:
                result = sweeper.sweep(now)
            return result, len(captured)

        result, queries = queries_for_sweep()
        assert result.overdue == 10
        assert queries <= 15, f"{queries} queries for 10 due items"  # written in bulk: the same for 1 or 200
        _again, idle_queries = queries_for_sweep()
        assert idle_queries <= 3  # nothing due: one indexed read
        assert Complaint.objects.filter(deadline_state=DeadlineState.OVERDUE).count() == 10
        assert Status.ROUTED in set(Complaint.objects.values_list("status", flat=True))
