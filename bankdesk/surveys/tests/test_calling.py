"""The interviewers' queue and the record of each call: claims, outcomes, retries, booked callbacks,
answers, and complaint callbacks recorded through the complaints app."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bankdesk.complaints.models import Status
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.surveys import calling, selectors, services
from bankdesk.surveys.calling import CallResult
from bankdesk.surveys.models import (
    Answer,
    CampaignKind,
    CampaignStatus,
    Outcome,
    Response,
    TargetSource,
    TargetState,
)
from bankdesk.surveys.services import CampaignInput


@pytest.fixture
def active_survey(center, closed, survey_of_closed):
    def make(customers=2):
        for number in range(customers):
            closed(phone=f"1390000{number:04d}")
        campaign = survey_of_closed()
        return services.set_campaign_status(center.cp, campaign, CampaignStatus.ACTIVE)

    return make


def answers_for(campaign, **overrides):
    questions = list(campaign.questionnaire_version.questions.order_by("position"))
    values = {questions[0].pk: "4", questions[1].pk: "yes", questions[2].pk: "效率", questions[3].pk: ""}
    values.update({questions[int(key[1:])].pk: value for key, value in overrides.items()})
    return values


class TestQueue:
    def test_two_interviewers_never_get_the_same_target(self, center, active_survey):
        active_survey(customers=2)
        first = calling.claim_next(center.interviewer1)
        second = calling.claim_next(center.interviewer2)
        assert first and second and first.pk != second.pk
        assert calling.claim_next(center.interviewer1) is None  # nothing else is due
        assert first.state == TargetState.CLAIMED and first.claimed_by == center.interviewer1
        assert AuditEvent.objects.filter(action="surveys.target.claim").count() == 2

    def test_a_stale_candidate_is_skipped_by_its_version(self, center, active_survey, monkeypatch):
        """Where the database has no SKIP LOCKED, two interviewers may read the same candidate: the
        compare-and-set on the version lets one take it and the other moves to the next."""
        campaign = active_survey(customers=2)
        first = campaign.targets.order_by("due_at", "id").first()
        stale = type(first).objects.get(pk=first.pk)
        calling.claim_next(center.interviewer1)
        reads = iter([stale])
        original = calling._candidate
        monkeypatch.setattr(calling, "_candidate", lambda *args: next(reads, None) or original(*args))
        taken = calling.claim_next(center.interviewer2)
        assert taken is not None and taken.pk != first.pk

    def test_a_lapsed_claim_comes_back_to_the_queue(self, center, active_survey, settings):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        assert calling.claim_next(center.interviewer2) is None
        with time_machine.travel(timezone.now() + timedelta(minutes=21)):
            again = calling.claim_next(center.interviewer2)
            assert again.pk == target.pk
            with pytest.raises(Conflict):
                calling.record_call(center.interviewer1, target, CallResult(Outcome.NO_ANSWER))

    def test_a_paused_campaign_gives_nothing_and_outsiders_get_nothing(self, center, active_survey):
        campaign = active_survey(customers=1)
        assert calling.claim_next(center.outsider) is None  # an agent of another unit
        with pytest.raises(PermissionDenied):
            calling.claim_next(center.teller)
        services.set_campaign_status(center.cp, campaign, CampaignStatus.PAUSED)
        assert calling.claim_next(center.interviewer1) is None

    def test_released_targets_are_due_at_once(self, center, active_survey):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        calling.release(center.interviewer1, target)
        assert calling.claim_next(center.interviewer2).pk == target.pk


class TestOutcomes:
    def test_completed_with_answers(self, center, active_survey):
        campaign = active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        attempt = calling.record_call(center.interviewer1, target, CallResult(
            Outcome.COMPLETED, answers=answers_for(campaign)))
        target.refresh_from_db()
        assert target.state == TargetState.COMPLETED and target.attempts == 1 and target.claimed_by is None
        response = Response.objects.get(target=target)
        assert response.attempt == attempt
        assert list(Answer.objects.filter(response=response).order_by("question__position").values_list(
            "score", "text")) == [(4, ""), (1, "yes"), (None, "效率")]
        summary = selectors.campaign_summary(campaign)
        assert summary["completed"] == 1 and summary["completion_rate"] == 100.0

    @pytest.mark.parametrize("overrides, field_index", [({"q0": "6"}, 0), ({"q1": "maybe"}, 1), ({"q2": "价格"}, 2),
                                                        ({"q0": ""}, 0)])
    def test_bad_answers_are_refused_and_nothing_is_saved(self, center, active_survey, overrides, field_index):
        campaign = active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        question = campaign.questionnaire_version.questions.order_by("position")[field_index]
        with pytest.raises(ValidationFailed) as failure:
            calling.record_call(center.interviewer1, target, CallResult(
                Outcome.COMPLETED, answers=answers_for(campaign, **overrides)))
        assert failure.value.field == f"q{question.pk}"
        target.refresh_from_db()
        assert target.attempts == 0 and target.state == TargetState.CLAIMED and not Response.objects.exists()

    def test_no_answer_is_tried_again_later_until_the_limit(self, center, active_survey):
        active_survey(customers=1)
        start = timezone.now()
        for attempt in range(1, 6):
            with time_machine.travel(start + timedelta(hours=3 * attempt)):
                target = calling.claim_next(center.interviewer1)
                assert target is not None, attempt
                calling.record_call(center.interviewer1, target, CallResult(Outcome.NO_ANSWER))
                target.refresh_from_db()
                assert calling.claim_next(center.interviewer2) is None  # due in 120 minutes
        assert target.state == TargetState.CLOSED and target.failed_attempts == 5 == target.attempts

    def test_busy_comes_back_sooner(self, center, active_survey):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        calling.record_call(center.interviewer1, target, CallResult(Outcome.BUSY))
        target.refresh_from_db()
        assert timedelta(minutes=14) < target.due_at - timezone.now() <= timedelta(minutes=15)

    def test_a_booked_callback_comes_back_when_due(self, center, active_survey):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        booked = timezone.now() + timedelta(days=1)
        calling.record_call(center.interviewer1, target, CallResult(
            Outcome.CALL_BACK, callback_at=booked, best_time="工作日晚上七点后"))
        assert calling.claim_next(center.interviewer2) is None
        with time_machine.travel(booked + timedelta(seconds=1)):
            again = calling.claim_next(center.interviewer2)
        assert again.pk == target.pk and again.best_time == "工作日晚上七点后" and again.failed_attempts == 0

    @pytest.mark.parametrize("callback_at, message", [(None, "预约回拨时间"), (-1, "已过"), (31, "最多")])
    def test_a_callback_needs_a_time_ahead_within_the_horizon(self, center, active_survey, callback_at, message):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        when = None if callback_at is None else timezone.now() + timedelta(days=callback_at)
        with pytest.raises(ValidationFailed) as failure:
            calling.record_call(center.interviewer1, target, CallResult(Outcome.CALL_BACK, callback_at=when))
        assert failure.value.field == "callback_at" and message in failure.value.message

    @pytest.mark.parametrize("outcome", [Outcome.WRONG_NUMBER, Outcome.REFUSED])
    def test_final_outcomes_close_the_target(self, center, active_survey, outcome):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        calling.record_call(center.interviewer1, target, CallResult(outcome, note="空号"))
        target.refresh_from_db()
        assert target.state == TargetState.CLOSED and target.last_outcome == outcome

    def test_only_the_claim_holder_records(self, center, active_survey):
        active_survey(customers=1)
        target = calling.claim_next(center.interviewer1)
        with pytest.raises(Conflict):
            calling.record_call(center.interviewer2, target, CallResult(Outcome.BUSY))


@pytest.fixture
def callback_campaign(center, communicated):
    def make():
        complaint = communicated()
        campaign = services.create_campaign(center.cp, CampaignInput(
            name="投诉回访", kind=CampaignKind.COMPLAINT_CALLBACK, source=TargetSource.AWAITING_CALLBACK,
            unit=center.unit, source_unit=center.bank.root))
        services.set_campaign_status(center.cp, campaign, CampaignStatus.ACTIVE)
        return campaign, complaint

    return make


class TestComplaintCallbacks:
    def test_a_completed_call_closes_the_complaint_through_its_own_service(self, center, callback_campaign):
        _campaign, complaint = callback_campaign()
        assert calling.claim_next(center.interviewer1) is None  # agents hold no complaint callback right
        target = calling.claim_next(center.cp)
        calling.record_call(center.cp, target, CallResult(Outcome.COMPLETED, satisfaction="satisfied"))
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED
        assert complaint.callbacks.get().satisfaction == "satisfied"
        assert AuditEvent.objects.filter(action="complaint.callback", object_id=str(complaint.pk)).exists()

    def test_the_complaints_rules_refuse_an_unhappy_answer_without_a_reason(self, center, callback_campaign):
        _campaign, complaint = callback_campaign()
        target = calling.claim_next(center.cp)
        with pytest.raises(ValidationFailed) as failure:
            calling.record_call(center.cp, target, CallResult(Outcome.COMPLETED, satisfaction="not_satisfied"))
        assert failure.value.field == "reason"
        calling.record_call(center.cp, target, CallResult(Outcome.COMPLETED, satisfaction="not_satisfied",
                                                          reason="补偿过低", reopen_kind="rehandle"))
        complaint.refresh_from_db()
        assert complaint.status == Status.SCREENING  # the consumer-protection office screens it first

    def test_the_complaints_attempt_limit_closes_the_target(self, center, callback_campaign):
        _campaign, complaint = callback_campaign()
        start = timezone.now()
        for attempt in range(1, 4):
            with time_machine.travel(start + timedelta(hours=3 * attempt)):
                target = calling.claim_next(center.cp)
                calling.record_call(center.cp, target, CallResult(Outcome.NO_ANSWER))
        target.refresh_from_db()
        complaint.refresh_from_db()
        assert complaint.failed_callbacks == 3 and target.state == TargetState.CLOSED
        assert complaint.status == Status.COMMUNICATED  # closing it unreachable stays the complaint post's step

    def test_a_callback_already_made_on_the_complaint_page_leaves_the_queue(self, center, callback_campaign):
        from bankdesk.complaints.decisions import callback

        _campaign, complaint = callback_campaign()
        callback.record_callback(center.cp, complaint, reached=True, satisfaction="satisfied")
        assert calling.claim_next(center.cp) is None


class TestCallbackSeats:
    def test_an_agent_designated_a_callback_seat_works_the_complaint_callbacks(self, center, callback_campaign):
        from bankdesk.orgs.demo import grant_directly
        from bankdesk.orgs.models import Role

        _campaign, complaint = callback_campaign()
        assert calling.claim_next(center.interviewer1) is None  # a plain agent holds no callback right
        grant_directly(center.bank.admin, center.interviewer1, Role.CALLBACK_SEAT, center.bank.root)
        seat = type(center.interviewer1).objects.get(pk=center.interviewer1.pk)  # rights are read once per user
        target = calling.claim_next(seat)
        assert target is not None and target.complaint_id == complaint.pk
        calling.record_call(seat, target, CallResult(Outcome.COMPLETED, satisfaction="satisfied"))
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.callbacks.get().staff == seat

    def test_the_complaints_handler_never_gets_its_callback(self, center, callback_campaign):
        from bankdesk.orgs.demo import grant_directly
        from bankdesk.orgs.models import Role

        _campaign, complaint = callback_campaign()
        grant_directly(center.bank.admin, complaint.handler, Role.CALLBACK_SEAT, center.bank.root)
        grant_directly(center.bank.admin, complaint.handler, Role.AGENT, center.unit)
        handler = type(complaint.handler).objects.get(pk=complaint.handler_id)
        assert calling.claim_next(handler) is None
