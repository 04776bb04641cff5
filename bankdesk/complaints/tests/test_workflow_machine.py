"""The complaint state machine driven by Hypothesis through the real services (hypothesis.stateful).

A machine registers a complaint (ordinary, group/major or a regulator's transfer) and then takes random
sequences of the steps the complaint page offers (`step_panel.offered_steps`: the workflow table narrowed by
the record) to the user who would take them, with valid input, while time passes and the sweep runs.
Every offered step must succeed, except the refusals the panel cannot foresee, which the model predicts
exactly (an extension after the limit ran out, a compensation above the approver's limit). After every
step the invariants below are checked. Each example runs in a savepoint rolled back at its end.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from bankdesk.complaints import state_machine
from bankdesk.complaints.decisions import approval, communication, regulator_feedback
from bankdesk.complaints.decisions.callback import (
    close_unreachable,
    record_callback,
    reopen_complaint,
    screen_dissatisfaction,
)
from bankdesk.complaints.handling import investigation, sweeper
from bankdesk.complaints.handling.clocks import OWNER_CLOCKS, next_check
from bankdesk.complaints.intake import registration
from bankdesk.complaints.models import (
    OPEN_STATUSES,
    CallbackRecord,
    Channel,
    ClockKind,
    ClockPause,
    ClockState,
    ClosureCode,
    Complaint,
    DeadlineState,
    Decision,
    DecisionStatus,
    ExtensionRequest,
    NonAcceptanceReason,
    PauseReason,
    RequestStatus,
    Satisfaction,
    Status,
)
from bankdesk.complaints.review import acceptance, routing
from bankdesk.complaints.tests.conftest import local
from bankdesk.complaints.web import step_panel
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent

STARTS = [local(2025, 9, 26, 10, 0), local(2026, 2, 13, 9, 30), local(2026, 12, 28, 9, 0)]  # holidays, 2027
KNOWN_STATUSES = {state for step in state_machine.STEPS.values() for state in step.from_states}
ENDED = {Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED}  # no step leads anywhere from these
LIVE = [ClockState.RUNNING, ClockState.PAUSED]
ANSWERED = [ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION, ClockKind.REVIEW, ClockKind.BECOMES_MAJOR]
HAPPY = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
TAKEN, REFUSED, ENDINGS = Counter(), Counter(), Counter()  # what the walks covered, printed with -s


class ComplaintMachine(RuleBasedStateMachine):
    desk = None  # set by the test: the bank of the `desk` fixture
    registration = None

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.complaint = None
        self.travel = None
        self.dues: dict[int, object] = {}  # clock id -> the latest deadline seen
        self._offered: dict[tuple, set] = {}
        self.done = Counter()  # steps taken by this walk

    def teardown(self):
        if self.complaint is not None:
            ENDINGS[self.complaint.status] += 1
        try:
            if self.travel is not None:
                self.travel.stop()
        finally:
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)
            cache.clear()

    # -- set-up -------------------------------------------------------------------------------------
    @initialize(start=st.sampled_from(STARTS), kind=st.sampled_from(["ordinary", "group", "regulator"]),
                side_exits=st.booleans())
    def register(self, start, kind, side_exits):
        # Half the walks may leave by refusal, merger or withdrawal; the others follow the main path to closure.
        self.side_exits = side_exits
        self.travel = time_machine.travel(start, tick=False)
        self.traveller = self.travel.start()
        desk, now = self.desk, timezone.now()
        changes = {"received_at": now - timedelta(minutes=5)}
        registrar = desk.agent
        if kind == "group":
            changes.update(is_group=True, group_size=8)
        elif kind == "regulator":
            registrar = desk.cp
            changes.update(channel=Channel.objects.get(code="nfra"), external_reference="NFRA-2025-1",
                           external_deadline=now + timedelta(days=12))
        # an earlier complaint this one may be merged into as a duplicate
        self.other = registration.register_complaint(registrar, self.registration(phone="13800000000", **changes))
        self.complaint = registration.register_complaint(registrar, self.registration(**changes))
        assert AuditEvent.objects.filter(**self._events_of()).filter(action="complaint.register").count() == 1
        self.complaint_kind = kind

    # -- helpers ------------------------------------------------------------------------------------
    def _events_of(self):
        return {"object_type": "complaints.complaint", "object_id": str(self.complaint.pk)}

    def _last_event_id(self):
        return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def _reload(self):
        self.complaint = Complaint.objects.get(pk=self.complaint.pk)
        return self.complaint

    @property
    def handler(self):
        return self.complaint.handler or self.desk.cp

    def repeatable(self, step, times=2) -> bool:
        """Notes, contacts and the like may repeat, but not crowd out the steps that move the complaint on."""
        return self.done[step] < times

    def offered(self, step, user):
        """Whether the complaint page offers `step` to `user` (asked once per user and version)."""
        if self.complaint is None:
            return False
        key = (user.pk, self.complaint.version)
        if key not in self._offered:
            self._offered[key] = set(step_panel.offered_steps(user, self.complaint))
        return step in self._offered[key]

    def perform(self, step, actor, call, actions, refusal: str | None = None):
        """Take an offered step; it succeeds and writes its event, or is refused exactly as predicted."""
        assert self.offered(step, actor), (step, self.complaint.status)
        last_event, version = self._last_event_id(), self.complaint.version
        try:
            with transaction.atomic():
                call()
        except ValidationFailed as failure:
            assert failure.code == refusal, f"{step} refused: {failure.code} {failure.field} {failure.message}"
            assert self._last_event_id() == last_event and self._reload().version == version
            REFUSED[step] += 1
            return
        assert refusal is None, f"{step} should have been refused ({refusal})"
        written = list(AuditEvent.objects.filter(id__gt=last_event, **self._events_of()).values_list("action",
                                                                                                     flat=True))
        assert set(actions) & set(written), (step, actions, written)
        assert self._reload().version > version
        TAKEN[step] += 1
        self.done[step] += 1

    def _decision_too_late(self) -> bool:
        clock = self.complaint.clocks.filter(kind=ClockKind.DECISION).exclude(state=ClockState.STOPPED).first()
        return clock is None or timezone.now() >= clock.due_at

    # -- intake -------------------------------------------------------------------------------------
    @precondition(lambda self: self.offered("accept", self.desk.cp))
    @rule()
    def accept(self):
        self.perform("accept", self.desk.cp, lambda: acceptance.accept_complaint(self.desk.cp, self.complaint),
                     ["complaint.accept"])

    @precondition(lambda self: self.side_exits and self.offered("refuse", self.desk.cp))
    @rule()
    def refuse(self):
        reason = NonAcceptanceReason.objects.filter(is_active=True).first()
        self.perform("refuse", self.desk.cp, lambda: acceptance.refuse_complaint(
            self.desk.cp, self.complaint, reason=reason, notice_channel="sms",
            notice_text=acceptance.non_acceptance_notice(self.complaint, reason)), ["complaint.refuse"])

    @precondition(lambda self: self.offered("route", self.desk.cp))
    @rule(lead=st.sampled_from(["branch_a", "branch_b", "card_department"]))
    def route(self, lead):
        unit = self.desk.card_department if lead == "card_department" else getattr(self.desk.bank, lead)
        self.perform("route", self.desk.cp, lambda: routing.route_complaint(
            self.desk.cp, self.complaint, lead_department=unit), ["complaint.route"])

    @precondition(lambda self: self.side_exits and self.offered("merge", self.desk.cp))
    @rule()
    def merge(self):
        self.perform("merge", self.desk.cp, lambda: acceptance.merge_complaint(
            self.desk.cp, self.complaint, self.other, "同一事项重复来电"), ["complaint.merge"])

    @precondition(lambda self: self.side_exits and self.offered("withdraw", self.desk.cp))
    @rule()
    def withdraw(self):
        self.perform("withdraw", self.desk.cp, lambda: acceptance.withdraw_complaint(
            self.desk.cp, self.complaint, "客户来电撤诉"), ["complaint.withdraw"])

    # -- handling -----------------------------------------------------------------------------------
    @precondition(lambda self: self.offered("start", self.handler))
    @rule()
    def start(self):
        self.perform("start", self.handler, lambda: investigation.start_handling(self.handler, self.complaint),
                     ["complaint.start"])

    @precondition(lambda self: self.repeatable("note") and self.offered("note", self.handler))
    @rule()
    def note(self):
        self.perform("note", self.handler, lambda: investigation.add_note(self.handler, self.complaint, "调取监控核实"),
                     ["complaint.note"])

    @precondition(lambda self: self.repeatable("contact") and self.offered("contact", self.handler))
    @rule()
    def contact(self):
        self.perform("contact", self.handler, lambda: investigation.log_contact(
            self.handler, self.complaint, channel="call", summary="致电客户说明进展"), ["complaint.contact"])

    @precondition(lambda self: self.repeatable("assist") and self.offered("assist", self.handler))
    @rule()
    def assist(self):
        department = self.desk.bank.branch_b if self.complaint.lead_department_id == self.desk.card_department.pk \
            else self.desk.card_department
        self.perform("assist", self.handler, lambda: investigation.request_assistance(
            self.handler, self.complaint, department=department, question="请核查系统记录"),
            ["complaint.assist_request"])

    @precondition(lambda self: self.complaint is not None and not self.complaint.is_closed
                  and self.complaint.assist_requests.filter(answered_at__isnull=True).exists())
    @rule()
    def answer_assistance(self):
        request = self.complaint.assist_requests.filter(answered_at__isnull=True).first()
        staff = self.desk.handler_card if request.department == self.desk.card_department else self.desk.handler_b
        last_event = self._last_event_id()
        investigation.answer_assistance(staff, request, findings="系统当日故障")
        assert AuditEvent.objects.filter(id__gt=last_event, action="complaint.assist_answer").exists()
        assert not request.clocks.exclude(state=ClockState.STOPPED).exists()

    @precondition(lambda self: self.repeatable("pause", 3) and self.offered("pause", self.handler))
    @rule()
    def pause(self):
        reason = PauseReason.objects.get(code="customer_material")
        self.perform("pause", self.handler, lambda: investigation.pause_clock(
            self.handler, self.complaint, reason=reason, note="等客户补充材料"), ["complaint.pause"])

    @precondition(lambda self: self.offered("resume", self.handler))
    @rule()
    def resume(self):
        self.perform("resume", self.handler, lambda: investigation.resume_clock(self.handler, self.complaint),
                     ["complaint.resume"])

    @precondition(lambda self: self.offered("extend", self.handler))
    @rule()
    def extend(self):
        refusal = "too_late" if self._decision_too_late() else None
        self.perform("extend", self.handler, lambda: investigation.request_extension(
            self.handler, self.complaint, reason="需调取外部鉴定", notice_channel="sms",
            notice_text="您的投诉处理期限延长，原因：需外部鉴定。"), ["complaint.extension_request"], refusal)

    @precondition(lambda self: self.offered("decide_extension", self.desk.head_a)
                  or self.offered("decide_extension", self.desk.cp))
    @rule(by_head=st.booleans(), approve=st.booleans())
    def decide_extension(self, by_head, approve):
        actor = self.desk.head_a if by_head and self.offered("decide_extension", self.desk.head_a) else self.desk.cp
        request = self.complaint.extension_requests.get(status=RequestStatus.PENDING)
        refusal = "too_late" if approve and self._decision_too_late() else None
        level = self.complaint.extension_level
        self.perform("decide_extension", actor, lambda: investigation.decide_extension(
            actor, request, approve=approve, note="" if approve else "材料已齐，无需延期"),
            ["complaint.extension_approved", "complaint.extension_refused"], refusal)
        assert self._reload().extension_level == level + (approve and refusal is None)

    @precondition(lambda self: self.offered("propose", self.handler))
    @rule(amount=st.sampled_from([None, None, Decimal(200), Decimal(8000), Decimal(80000)]),  # 80,000: above all
          closure=st.sampled_from(["bank_at_fault", "customer_cause", "handled_properly"]))
    def propose(self, amount, closure):
        code = ClosureCode.objects.filter(code=closure).first() or ClosureCode.objects.filter(is_active=True).first()
        remedies = ["apology", "compensation"] if amount else ["explanation"]
        self.perform("propose", self.handler, lambda: approval.propose_decision(
            self.handler, self.complaint, finding="核查属实", remedies=remedies, compensation_amount=amount,
            basis="依据服务规范。", closure_code=code), ["complaint.decision_propose"])

    def _approver(self, by_head, step):
        head = self.desk.head_a
        return head if by_head and self.offered(step, head) else self.desk.cp

    @precondition(lambda self: self.offered("approve", self.desk.head_a) or self.offered("approve", self.desk.cp))
    @rule(by_head=st.booleans())
    def approve(self, by_head):
        actor = self._approver(by_head, "approve")
        decision = Decision.objects.get(complaint=self.complaint, status=DecisionStatus.PROPOSED)
        over = decision.compensation_amount and decision.compensation_amount > state_machine.approval_limit(
            actor, self.complaint)
        self.perform("approve", actor, lambda: approval.approve_decision(actor, self.complaint, note="同意"),
                     ["complaint.decision_approve"], "over_limit" if over else None)

    @precondition(lambda self: self.repeatable("return") and (
        self.offered("return", self.desk.head_a) or self.offered("return", self.desk.cp)))
    @rule(by_head=st.booleans())
    def return_decision(self, by_head):
        actor = self._approver(by_head, "return")
        self.perform("return", actor, lambda: approval.return_decision(actor, self.complaint, note="补充证据"),
                     ["complaint.decision_return"])

    @precondition(lambda self: self.offered("communicate", self.handler))
    @rule()
    def communicate(self):
        self.perform("communicate", self.handler, lambda: communication.communicate_decision(
            self.handler, self.complaint, channel="sms", text="您的投诉已处理完毕，详见告知书。"), ["complaint.communicate"])

    @precondition(lambda self: self.offered("callback", self.desk.cp))
    @rule(outcome=st.sampled_from(["unreached", "unreached", *Satisfaction.values]),
          reopen_kind=st.sampled_from(["rehandle", "review"]))
    def callback(self, outcome, reopen_kind):
        reached = outcome != "unreached"
        self.perform("callback", self.desk.cp, lambda: record_callback(
            self.desk.cp, self.complaint, reached=reached, satisfaction=outcome if reached else "",
            reason="对赔偿金额不满意" if outcome == Satisfaction.NOT_SATISFIED else "", reopen_kind=reopen_kind),
            ["complaint.callback", "complaint.callback_failed"])

    @precondition(lambda self: self.offered("screen", self.desk.cp))
    @rule(outcome=st.sampled_from(["reopen", "uphold"]), reopen_kind=st.sampled_from(["rehandle", "review"]))
    def screen(self, outcome, reopen_kind):
        self.perform("screen", self.desk.cp, lambda: screen_dissatisfaction(
            self.desk.cp, self.complaint, outcome=outcome, reason="复核意见", reopen_kind=reopen_kind,
            notice_channel="phone"), ["complaint.screening_reopen", "complaint.screening_close"])

    @precondition(lambda self: self.offered("close_unreachable", self.desk.cp))
    @rule()
    def close_unreachable(self):
        self.perform("close_unreachable", self.desk.cp, lambda: close_unreachable(
            self.desk.cp, self.complaint, note="三次未接通"), ["complaint.close_unreachable"])

    @precondition(lambda self: self.offered("reopen", self.desk.cp))
    @rule(kind=st.sampled_from(["rehandle", "review"]))
    def reopen(self, kind):
        self.perform("reopen", self.desk.cp, lambda: reopen_complaint(
            self.desk.cp, self.complaint, kind=kind, reason="客户申请核查"), ["complaint.reopen"])

    @precondition(lambda self: self.repeatable("regulator_feedback") and self.offered("regulator_feedback", self.desk.cp))
    @rule()
    def regulator_feedback(self):
        """申诉反馈, at any stage (also after the complaint ended): the first stops the regulator-feedback clock."""
        self.perform("regulator_feedback", self.desk.cp, lambda: regulator_feedback.record_regulator_feedback(
            self.desk.cp, self.complaint, content="已向金融监管总局反馈处理进展"), ["complaint.regulator_feedback"])
        assert not self.complaint.clocks.filter(kind=ClockKind.REGULATOR_FEEDBACK, state__in=LIVE).exists()

    @precondition(lambda self: self.repeatable("escalate") and self.offered("escalate", self.handler))
    @rule()
    def escalate(self):
        level = self.complaint.escalation_level
        self.perform("escalate", self.handler, lambda: investigation.escalate(
            self.handler, self.complaint, reason="客户情绪激动"), ["complaint.escalate"])
        assert self.complaint.escalation_level == level + 1

    # -- the main path ----------------------------------------------------------------------------
    # Hypothesis enables a random subset of the rules in each example (swarm testing); this rule moves the
    # complaint one step along the main path whenever it is enabled, so that walks reach closure and reopening.
    MAIN_PATH = (("accept", "cp"), ("start", "handler"), ("propose", "handler"), ("approve", "cp"),
                 ("communicate", "handler"), ("callback", "cp"), ("screen", "cp"), ("close_unreachable", "cp"))

    def _next_on_main_path(self):
        return next((step for step, who in self.MAIN_PATH
                     if self.offered(step, self.desk.cp if who == "cp" else self.handler)), None)

    @precondition(lambda self: self._next_on_main_path() is not None)
    @rule(outcome=st.sampled_from(["unreached", *Satisfaction.values]))
    def advance(self, outcome):
        step = self._next_on_main_path()
        if step == "propose":
            self.propose(None, "bank_at_fault")
        elif step == "approve":
            self.approve(by_head=False)
        elif step == "callback":
            self.callback(outcome, "rehandle")
        elif step == "screen":
            self.screen("uphold" if outcome == Satisfaction.NOT_SATISFIED else "reopen", "rehandle")
        else:
            getattr(self, step)()

    # -- time ---------------------------------------------------------------------------------------
    @precondition(lambda self: self.complaint is not None)
    @rule(hours=st.integers(1, 24 * 8))
    def time_passes(self, hours):
        self.traveller.shift(timedelta(hours=hours))
        sweeper.sweep(timezone.now())
        self._reload()

    # -- invariants ---------------------------------------------------------------------------------
    @invariant()
    def status_is_known_and_ended_complaints_offer_nothing(self):
        if self.complaint is None:
            return
        status = self._reload().status
        assert status in KNOWN_STATUSES | ENDED
        offered = set(step_panel.offered_steps(self.desk.cp, self.complaint))
        # the feedback to the regulator is offered on a regulator's transfer at every stage, and only there
        assert ("regulator_feedback" in offered) == (self.complaint_kind == "regulator")
        offered.discard("regulator_feedback")
        if status in ENDED:
            assert offered == set()
        elif status == Status.CLOSED:
            assert offered == {"reopen", "reclassify"}  # the statistics may still be corrected

    @invariant()
    def clocks_agree_with_the_status(self):
        if self.complaint is None:
            return
        complaint, now = self.complaint, timezone.now()
        clocks = list(complaint.clocks.all())
        live = {clock.kind for clock in clocks if clock.state in LIVE}
        # The feedback owed to a regulator runs from receipt, through and after the handling, until it is recorded.
        owed = self.complaint_kind == "regulator" and not complaint.regulator_feedback.exists()
        assert (ClockKind.REGULATOR_FEEDBACK in live) == owed
        live.discard(ClockKind.REGULATOR_FEEDBACK)
        for clock in clocks:
            assert clock.warn_at is None or clock.warn_at < clock.due_at or clock.warn_at == clock.due_at <= (
                clock.started_at)  # only a deadline past at the start warns with it
            if clock.pk in self.dues:  # no step ever makes a deadline earlier
                assert clock.due_at >= self.dues[clock.pk], (clock.kind, self.dues[clock.pk], clock.due_at)
            self.dues[clock.pk] = clock.due_at
            assert (clock.state == ClockState.PAUSED) == (clock.paused_at is not None)
            assert clock.next_check_at == next_check(clock)  # the sweep finds every running clock when due
            if clock.state == ClockState.RUNNING:  # marked warned or overdue only once its time has come
                assert clock.warned_at is None or clock.warn_at is None or clock.warn_at <= now, clock.kind
                assert clock.overdue_at is None or clock.due_at <= now, (clock.kind, clock.due_at, now)
            assert (clock.state == ClockState.STOPPED) == (clock.stopped_at is not None)
        paused = [clock for clock in clocks if clock.state == ClockState.PAUSED]
        open_pauses = ClockPause.objects.filter(complaint=complaint, ended_at__isnull=True).count()
        assert open_pauses == (complaint.paused_since is not None)
        assert not paused or complaint.paused_since is not None
        assert {clock.kind for clock in paused} <= {ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION,
                                                    ClockKind.REVIEW}
        if complaint.status not in OPEN_STATUSES:
            assert live == set() and complaint.paused_since is None and complaint.current_deadline is None
            return
        owners = [clock for clock in clocks if clock.state in LIVE and clock.kind in OWNER_CLOCKS]
        assert complaint.current_deadline == min((clock.due_at for clock in owners), default=None)
        assert complaint.deadline_state == (
            DeadlineState.OVERDUE if any(clock.overdue_at for clock in owners) else
            DeadlineState.WARNED if any(clock.warned_at for clock in owners) else DeadlineState.ON_TIME)
        if complaint.status == Status.REGISTERED:
            assert live == {ClockKind.ACCEPTANCE, ClockKind.DECISION}  # the statutory clock runs from receipt
        elif complaint.status == Status.COMMUNICATED:
            assert ClockKind.CALLBACK in live and not live & set(ANSWERED)
            assert complaint.paused_since is None
        elif complaint.status == Status.SCREENING:  # the re-handling clock runs through the screening
            assert ClockKind.REVIEW in live and ClockKind.DECISION not in live and ClockKind.CALLBACK not in live
        elif complaint.reopen_count:
            assert ClockKind.REVIEW in live and ClockKind.DECISION not in live
        else:
            assert {ClockKind.DECISION, ClockKind.INTERNAL, ClockKind.RESOLUTION} <= live
            assert ClockKind.ACCEPTANCE not in live
        assert now >= complaint.received_at

    @invariant()
    def decisions_follow_maker_checker_and_closure_rules(self):
        if self.complaint is None:
            return
        complaint = self.complaint
        for decision in complaint.decisions.all():
            if decision.status in (DecisionStatus.APPROVED, DecisionStatus.COMMUNICATED):
                assert decision.reviewed_by_id not in (None, decision.proposed_by_id)
                assert not decision.compensation_amount or decision.compensation_amount <= state_machine.approval_limit(
                    decision.reviewed_by, complaint)
        if not complaint.is_closed:  # a withdrawn or merged complaint keeps its pending decision on the record
            assert complaint.decisions.filter(status=DecisionStatus.PROPOSED).count() == (
                complaint.status == Status.DECISION_PROPOSED)
            assert complaint.decisions.filter(status=DecisionStatus.APPROVED).count() == (
                complaint.status == Status.DECISION_APPROVED)
        assert complaint.extension_level <= 2
        assert complaint.extension_requests.filter(status=RequestStatus.PENDING).count() <= 1
        assert complaint.extension_requests.filter(status=RequestStatus.APPROVED).count() == complaint.extension_level
        if complaint.external_deadline:
            assert not ExtensionRequest.objects.filter(complaint=complaint).exists()
        if complaint.status == Status.CLOSED:
            last = complaint.decisions.order_by("-proposed_at", "-id").first()
            assert last.status == DecisionStatus.COMMUNICATED and complaint.closure_code_id == last.closure_code_id
            callback = CallbackRecord.objects.filter(complaint=complaint).order_by("-id").first()
            assert callback is not None
            screening = complaint.screenings.order_by("-id").first()
            upheld = screening is not None and screening.callback_id == callback.pk and screening.outcome == "uphold"
            assert (callback.reached and callback.satisfaction in HAPPY) or upheld or (
                complaint.failed_callbacks >= rules.get("complaint.callback_max_attempts"))
            if upheld:  # closed dissatisfied: the reason on record, the customer told where to turn
                assert screening.reason and screening.notice.kind == "dissatisfaction_closed"
            assert complaint.closed_at is not None
        elif complaint.status == Status.NOT_ACCEPTED:
            assert complaint.non_acceptance_reason_id and complaint.notices.filter(kind="non_acceptance").exists()
        elif complaint.status == Status.MERGED:
            assert complaint.merged_into_id == self.other.pk
        if complaint.status == Status.COMMUNICATED:
            assert complaint.decisions.filter(status=DecisionStatus.COMMUNICATED).exists()


def test_random_walks_through_the_workflow_keep_every_invariant(desk, registration):
    ComplaintMachine.desk, ComplaintMachine.registration = desk, staticmethod(registration)
    run_state_machine_as_test(ComplaintMachine, settings=settings(
        max_examples=25, stateful_step_count=40, deadline=None))
    print(f"\nsteps taken {dict(TAKEN)}\nrefused as predicted {dict(REFUSED)}\nlast states {dict(ENDINGS)}")
