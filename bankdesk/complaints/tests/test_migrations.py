"""Complaints registered before the clocks existed are put on their clocks by the migrations."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bankdesk.complaints.models import Clock
from bankdesk.complaints.models import ClosureCode as CurrentClosureCode
from bankdesk.complaints.tests.conftest import local

BEFORE_CLOCKS = [("complaints", "0003_importjob_inboundemail")]
CLOCKS = [("complaints", "0004_handling")]
BEFORE_DEADLINE_ON_CLOCK = [("complaints", "0005_open_work_index")]
DEADLINE_ON_CLOCK = [("complaints", "0007_acceptance_deadline_from_clock")]


@pytest.fixture
def migrated(committed_db):
    """Migrate back to a state, hand its models to the test, and forward to the latest state afterwards."""
    def to(target):
        return _migrate(target).loader.project_state(target).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _complaint_values(apps, received) -> dict:
    unit = apps.get_model("orgs", "OrgUnit").objects.create(code="X", name="网点", kind="outlet", path="0001", depth=0)
    return dict(complainant_name="李", phone="", unit=unit, unit_path=unit.path, received_at=received,
                channel=apps.get_model("complaints", "Channel").objects.get(code="hotline"),
                business_category=apps.get_model("complaints", "BusinessCategory").objects.get(code="card_fees"),
                cause=apps.get_model("complaints", "Cause").objects.get(code="pricing"), description="年费",
                acceptance_deadline=received + timedelta(days=2))


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor


def test_open_complaints_get_their_clocks(migrated):
    apps = migrated(BEFORE_CLOCKS)
    Complaint = apps.get_model("complaints", "Complaint")
    received = timezone.now() - timedelta(days=1)
    common = _complaint_values(apps, received)
    registered = Complaint.objects.create(tracking_number="TS-1", **common)
    routed = Complaint.objects.create(tracking_number="TS-2", status="routed", accepted_at=received, **common)
    Complaint.objects.create(tracking_number="TS-3", status="not_accepted", **common)

    _migrate(CLOCKS)

    review = Clock.objects.get(complaint_id=registered.pk)
    assert review.kind == "acceptance" and review.next_check_at == review.warn_at
    decision = Clock.objects.get(complaint_id=routed.pk)
    assert decision.kind == "decision" and decision.length.startswith("15")
    assert Clock.objects.count() == 2


def test_every_complaint_keeps_its_acceptance_deadline_on_the_clock(migrated):
    apps = migrated(BEFORE_DEADLINE_ON_CLOCK)
    Complaint, OldClock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    received = timezone.now() - timedelta(days=1)
    common = _complaint_values(apps, received)
    stored_deadline = common["acceptance_deadline"]
    registered = Complaint.objects.create(tracking_number="TS-1", **common)
    OldClock.objects.create(complaint=registered, kind="acceptance", limit_count=2, limit_unit="working_days",
                            started_at=received, due_at=stored_deadline + timedelta(seconds=1))
    closed = Complaint.objects.create(tracking_number="TS-2", status="closed", accepted_at=received,
                                      acceptance_deadline_provisional=True, **common)

    _migrate(DEADLINE_ON_CLOCK)

    kept = Clock.objects.get(complaint_id=registered.pk)  # the clock it had, not a second one
    assert kept.due_at == stored_deadline + timedelta(seconds=1)
    added = Clock.objects.get(complaint_id=closed.pk)
    assert (added.kind, added.state, added.stopped_at, added.next_check_at) == ("acceptance", "stopped", received, None)
    assert added.due_at == stored_deadline + timedelta(seconds=1) and added.provisional


BEFORE_RECEIPT_CLOCK = [("complaints", "0008_complainant_name_index")]
RECEIPT_CLOCK = [("complaints", "0009_decision_clock_from_receipt")]


def test_open_complaints_move_onto_the_decision_clock_from_receipt(migrated):
    """Issue 17 item 1: the statutory clock counts from receipt. Received Friday 26 Sep 2025, accepted Tuesday
    30 Sep: the decision clock started at acceptance (due at the end of 15 Oct) now runs from receipt (the end of
    11 Oct), its extension and its time paused kept; a regulator's deadline stays; a complaint awaiting
    acceptance gets its clock; a finished complaint's clock keeps its history."""
    apps = migrated(BEFORE_RECEIPT_CLOCK)
    Complaint, OldClock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    received, accepted = local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0)
    common = _complaint_values(apps, received)
    del common["acceptance_deadline"]

    def complaint_with_clock(number, status, days=15, **clock_values):
        complaint = Complaint.objects.create(tracking_number=number, status=status, accepted_at=accepted,
                                             **{**common, **clock_values.pop("complaint", {})})
        OldClock.objects.create(**{"complaint": complaint, "kind": "decision", "limit_count": days,
                                   "limit_unit": "calendar_days", "started_at": accepted,
                                   "due_at": accepted + timedelta(days=days or 15), "next_check_at": accepted,
                                   **clock_values})
        return complaint

    routed = complaint_with_clock("TS-1", "routed")
    extended = complaint_with_clock("TS-2", "investigating", 30, state="paused", paused_at=accepted,
                                    paused_seconds=86400, next_check_at=None, complaint={"extension_level": 1})
    deadline = local(2025, 10, 20, 17, 0)
    transferred = complaint_with_clock("TS-3", "routed", None, limit_unit="external", due_at=deadline,
                                       complaint={"external_deadline": deadline, "external_reference": "NFRA-1"})
    closed = complaint_with_clock("TS-4", "closed", state="stopped", stopped_at=accepted, next_check_at=None)
    waiting = Complaint.objects.create(tracking_number="TS-5", **common)

    _migrate(RECEIPT_CLOCK)

    moved = Clock.objects.get(complaint_id=routed.pk, kind="decision")
    assert (moved.started_at, moved.due_at, moved.limit_count) == (received, local(2025, 10, 12), 15)
    assert moved.warn_at == local(2025, 10, 10, 12, 0) and moved.next_check_at == moved.warn_at
    assert Complaint.objects.get(pk=routed.pk).current_deadline == local(2025, 10, 12)
    paused = Clock.objects.get(complaint_id=extended.pk, kind="decision")
    assert paused.due_at == local(2025, 10, 27) + timedelta(days=1) and paused.next_check_at is None
    regulator = Clock.objects.get(complaint_id=transferred.pk, kind="decision")
    assert regulator.started_at == received and regulator.due_at == deadline
    assert Clock.objects.get(complaint_id=closed.pk).started_at == accepted
    new = Clock.objects.get(complaint_id=waiting.pk, kind="decision")
    assert (new.state, new.started_at, new.due_at) == ("running", received, local(2025, 10, 12))


BEFORE_LETTER_REMEDIES = [("complaints", "0009_decision_clock_from_receipt")]
LETTER_REMEDIES = [("complaints", "0010_decision_letter_remedies")]


def test_closure_codes_read_as_a_bank_writes_them(migrated):
    """Issue 17 item 9: a stored 立案撤消 becomes 立案撤销; the default codes get the words the letter tells the
    customer, an administrator's own wording is kept."""
    apps = migrated(BEFORE_LETTER_REMEDIES)
    ClosureCode = apps.get_model("complaints", "ClosureCode")
    ClosureCode.objects.filter(code="case_revoked").update(name="立案撤消")
    ClosureCode.objects.create(id=9999, code="bank_own", name="立案撤消", sort_order=99)  # id: no sequence to trust

    _migrate(LETTER_REMEDIES)

    codes = {code.code: code for code in CurrentClosureCode.objects.all()}
    assert codes["case_revoked"].name == codes["bank_own"].name == "立案撤销"
    assert not CurrentClosureCode.objects.filter(name__contains="撤消").exists()
    assert codes["bank_at_fault"].customer_text.startswith("经核实，您反映的问题属实")
    assert codes["bank_own"].customer_text == ""


def test_complaints_reopened_straight_from_an_unhappy_callback_go_to_the_screening(migrated):
    """Issue 17 item 4: a "not satisfied" callback is screened first (complaints 0017)."""
    apps = migrated([("complaints", "0016_screening")])
    Complaint, Callback = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "CallbackRecord")
    Decision, User = apps.get_model("complaints", "Decision"), apps.get_model("orgs", "User")
    staff = User.objects.create(username="cp_m")
    common = _complaint_values(apps, timezone.now() - timedelta(days=20))
    common.pop("acceptance_deadline", None)
    waiting = Complaint.objects.create(tracking_number="TS-1", status="reopened", reopen_count=1, **common)
    rehandled = Complaint.objects.create(tracking_number="TS-2", status="reopened", reopen_count=1, **common)
    for complaint in (waiting, rehandled):
        Callback.objects.create(complaint=complaint, reached=True, satisfaction="not_satisfied", reason="补偿低",
                                reopen_kind="rehandle", staff=staff)
    Decision.objects.create(complaint=rehandled, finding="重新核实", remedies=["apology"], proposed_by=staff,
                            closure_code=apps.get_model("complaints", "ClosureCode").objects.first())

    _migrate([("complaints", "0017_unhappy_callbacks_to_screening")])

    waiting, rehandled = (Complaint.objects.get(pk=c.pk) for c in (waiting, rehandled))
    assert (waiting.status, waiting.reopen_count) == ("screening", 0)
    assert (rehandled.status, rehandled.reopen_count) == ("reopened", 1)


BEFORE_SIGN_FOR_CLOCK = [("complaints", "0018_sign_for")]
SIGN_FOR_CLOCK = [("complaints", "0019_dispatch_clock_to_sign_for")]


def test_routed_complaints_nobody_signed_for_get_their_dispatch_clock_back(migrated):
    """Issue 17 item 8: the dispatch clock stops at sign-for, not at routing. A complaint routed but not worked on
    runs on its dispatch clock again (the sweep takes it up); one already worked on counts as signed for at its
    routing and keeps its stopped clock."""
    apps = migrated(BEFORE_SIGN_FOR_CLOCK)
    Complaint, OldClock = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Clock")
    accepted = timezone.now() - timedelta(hours=1)
    common = _complaint_values(apps, accepted - timedelta(hours=1))
    del common["acceptance_deadline"]

    def routed_with_clock(number, status, **clock_values):
        complaint = Complaint.objects.create(tracking_number=number, status=status, accepted_at=accepted,
                                             routed_at=accepted + timedelta(minutes=2), **common)
        OldClock.objects.create(**{"complaint": complaint, "kind": "dispatch", "limit_count": 10,
                                   "limit_unit": "minutes", "started_at": accepted, "state": "stopped",
                                   "stopped_at": complaint.routed_at, "due_at": accepted + timedelta(minutes=10),
                                   "warn_at": accepted + timedelta(minutes=9), **clock_values})
        return complaint

    waiting = routed_with_clock("TS-1", "routed")
    late = routed_with_clock("TS-2", "routed", overdue_at=accepted + timedelta(minutes=10),
                             warned_at=accepted + timedelta(minutes=9))
    worked = routed_with_clock("TS-3", "investigating")

    _migrate(SIGN_FOR_CLOCK)

    running = Clock.objects.get(complaint_id=waiting.pk)
    assert (running.state, running.stopped_at, running.next_check_at) == ("running", None, running.warn_at)
    assert Complaint.objects.get(pk=waiting.pk).current_deadline == running.due_at
    assert Clock.objects.get(complaint_id=late.pk).next_check_at == accepted + timedelta(minutes=10)
    assert Complaint.objects.get(pk=late.pk).deadline_state == 2
    signed = Complaint.objects.get(pk=worked.pk)
    assert signed.signed_for_at == worked.routed_at and signed.signed_for_by is None
    assert Clock.objects.get(complaint_id=worked.pk).state == "stopped"
    assert Complaint.objects.get(pk=waiting.pk).signed_for_at is None


BEFORE_REGULATOR_FEEDBACK = [("complaints", "0019_dispatch_clock_to_sign_for")]
REGULATOR_FEEDBACK_CLOCK = [("complaints", "0021_regulator_feedback_clock")]


def test_open_regulator_transfers_get_their_feedback_clock(migrated):
    """Issue 17 item 10: from the schema before it, every open regulator transfer is put on the regulator-feedback
    clock from its receipt (the regulator's deadline, or 10 working days), the sweep taking up a deadline already
    passed; closed transfers and other channels are left alone, and no work list's deadline moves."""
    apps = migrated(BEFORE_REGULATOR_FEEDBACK)
    Complaint, Channel = apps.get_model("complaints", "Complaint"), apps.get_model("complaints", "Channel")
    received = timezone.now() - timedelta(days=20)
    common = _complaint_values(apps, received)
    del common["acceptance_deadline"]
    nfra = Channel.objects.get(code="nfra")
    regulator = {**common, "channel": nfra, "external_reference": "NFRA-1"}
    late = Complaint.objects.create(tracking_number="TS-1", status="investigating", current_deadline=None,
                                    external_deadline=received + timedelta(days=10), **regulator)
    no_deadline = Complaint.objects.create(tracking_number="TS-2", status="screening",
                                           **{**regulator, "received_at": local(2026, 3, 2, 10, 0)})
    closed = Complaint.objects.create(tracking_number="TS-3", status="closed", closed_at=timezone.now(), **regulator)
    hotline = Complaint.objects.create(tracking_number="TS-4", status="investigating", **common)

    _migrate(REGULATOR_FEEDBACK_CLOCK)

    clock = Clock.objects.get(complaint_id=late.pk, kind="regulator_feedback")
    assert (clock.state, clock.started_at, clock.due_at, clock.limit_unit) == (
        "running", received, late.external_deadline, "external")
    assert clock.warn_at == clock.next_check_at == received + (late.external_deadline - received) * 0.9
    counted = Clock.objects.get(complaint_id=no_deadline.pk, kind="regulator_feedback")
    # 10 working days after Monday 2 March 2026: 3-6, 9-13 and 16 March
    assert (counted.due_at, counted.limit_count, counted.limit_unit) == (local(2026, 3, 17), 10, "working_days")
    assert not Clock.objects.filter(complaint_id__in=[closed.pk, hotline.pk]).exists()
    assert Complaint.objects.get(pk=late.pk).current_deadline is None

    from bankdesk.complaints.handling import sweeper
    assert sweeper.sweep(timezone.now()).overdue == 2  # both deadlines have passed: overdue, chased, escalated
    clock.refresh_from_db()
    assert clock.overdue_at is not None and Complaint.objects.get(pk=late.pk).escalation_level == 1
