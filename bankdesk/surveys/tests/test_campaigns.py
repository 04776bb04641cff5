"""Questionnaires and campaigns: versions, drawing targets from complaints in one statement, rights and scope."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.core.pii import blind_index
from bankdesk.surveys import selectors, services
from bankdesk.surveys.models import (
    CampaignKind,
    CampaignStatus,
    QuestionKind,
    Target,
    TargetSource,
    TargetState,
)
from bankdesk.surveys.services import CampaignInput, QuestionInput
from bankdesk.surveys.tests.conftest import QUESTIONS


class TestQuestionnaires:
    def test_a_revision_is_a_new_version_and_the_old_wording_stays(self, center, questionnaire):
        first = questionnaire.versions.get()
        revised = services.revise_questionnaire(center.cp, questionnaire, name="满意度回访（修订）",
                                                questions=QUESTIONS[:2], expected_version=1)
        assert revised.number == 2 and revised.questions.count() == 2
        assert first.questions.count() == 4
        questionnaire.refresh_from_db()
        assert questionnaire.current_version == 2
        with pytest.raises(Conflict):
            services.revise_questionnaire(center.cp, questionnaire, name="x", questions=QUESTIONS, expected_version=1)
        assert AuditEvent.objects.filter(action="surveys.questionnaire.revise").count() == 1

    @pytest.mark.parametrize("questions, message", [
        ([], "至少需要一个问题"),
        ([QuestionInput(QuestionKind.CHOICE, "哪一项？", ["效率", "效率"])], "两个不同的选项"),
        ([QuestionInput("stars", "几颗星？")], "题型"),
        ([QuestionInput(QuestionKind.SCALE, "  ")], "填写问题"),
    ])
    def test_bad_questions_are_refused_with_the_field(self, center, questions, message):
        with pytest.raises(ValidationFailed) as failure:
            services.create_questionnaire(center.cp, code="Q1", name="问卷", questions=questions)
        assert failure.value.field == "questions" and message in failure.value.message

    def test_agents_do_not_write_questionnaires(self, center):
        with pytest.raises(PermissionDenied):
            services.create_questionnaire(center.interviewer1, code="Q1", name="问卷", questions=QUESTIONS)


class TestDrawingFromComplaints:
    def test_closed_complaints_of_the_unit_and_period_become_targets(self, center, closed, communicated,
                                                                     survey_of_closed):
        kept = [closed(), closed(complainant_name="王先生", phone="13800001111")]
        communicated()  # not closed yet: not drawn
        campaign = survey_of_closed()
        targets = Target.objects.filter(campaign=campaign).order_by("complaint_id")
        assert [t.complaint_id for t in targets] == [c.pk for c in kept]
        first = targets[0]
        assert first.phone == "13912345678" and first.phone_index == blind_index("13912345678", "phone")
        assert first.name == "李女士" and first.source_reference == kept[0].tracking_number
        assert first.state == TargetState.WAITING and first.due_at <= timezone.now()
        campaign.refresh_from_db()
        assert campaign.target_count == 2
        assert AuditEvent.objects.get(action="surveys.targets.draw").after["drawn"] == 2
        assert survey_of_closed(unit=center.bank.branch_b).target_count == 0  # another branch's
        yesterday = timezone.localdate() - timedelta(days=1)
        assert survey_of_closed(start=yesterday, end=yesterday).target_count == 0  # another period

    def test_drawing_is_one_insert_select_whatever_the_number(self, center, closed, survey_of_closed):
        for _n in range(3):
            closed()
        with CaptureQueriesContext(connection) as queries:
            survey_of_closed()
        inserts = [q["sql"] for q in queries if 'INSERT INTO "surveys_target"' in q["sql"]]
        assert len(inserts) == 1 and "SELECT" in inserts[0]

    def test_drawing_again_adds_only_the_new_ones(self, center, communicated, questionnaire):
        communicated()
        campaign = services.create_campaign(center.cp, CampaignInput(
            name="回访", kind=CampaignKind.COMPLAINT_CALLBACK, source=TargetSource.AWAITING_CALLBACK,
            unit=center.unit, source_unit=center.bank.root))
        assert campaign.target_count == 1
        communicated(phone="13800002222")
        assert services.draw_targets(center.cp, campaign) == 1
        assert services.draw_targets(center.cp, campaign) == 0
        campaign.refresh_from_db()
        assert campaign.target_count == 2 == campaign.targets.count()

    @pytest.mark.parametrize("changes, field", [
        ({"kind": CampaignKind.COMPLAINT_CALLBACK}, "source"),
        ({"source_unit": None}, "source_unit"),
        ({"period_start": None}, "period_start"),
        ({"period_end": timezone.localdate() - timedelta(days=3)}, "period_end"),
        ({"period_start": timezone.localdate() + timedelta(days=3),
          "period_end": timezone.localdate() + timedelta(days=4)}, "period_start"),
        ({"questionnaire": None}, "questionnaire"),
        ({"name": " "}, "name"),
    ])
    def test_bad_campaigns_are_refused_with_the_field(self, center, questionnaire, changes, field):
        values = dict(name="调查", kind=CampaignKind.SURVEY, source=TargetSource.CLOSED_COMPLAINTS, unit=center.unit,
                      questionnaire=questionnaire, source_unit=center.bank.branch_a,
                      period_start=timezone.localdate(), period_end=timezone.localdate())
        values.update(changes)
        with pytest.raises(ValidationFailed) as failure:
            services.create_campaign(center.cp, CampaignInput(**values))
        assert failure.value.field == field

    def test_a_campaign_draws_only_complaints_in_the_creators_scope(self, center, questionnaire):
        """The call-center head runs campaigns of the call center but cannot draw branch A's customers."""
        with pytest.raises(NotFound):
            services.create_campaign(center.head, CampaignInput(
                name="调查", kind=CampaignKind.SURVEY, source=TargetSource.CLOSED_COMPLAINTS, unit=center.unit,
                questionnaire=questionnaire, source_unit=center.bank.branch_a,
                period_start=timezone.localdate(), period_end=timezone.localdate()))
        with pytest.raises(PermissionDenied):
            services.create_campaign(center.interviewer1, CampaignInput(
                name="调查", kind=CampaignKind.OUTBOUND, source=TargetSource.LIST, unit=center.unit,
                questionnaire=questionnaire))
        services.create_campaign(center.head, CampaignInput(
            name="外呼", kind=CampaignKind.OUTBOUND, source=TargetSource.LIST, unit=center.unit,
            questionnaire=questionnaire))


class TestCampaignStatus:
    def test_start_pause_finish(self, center, closed, survey_of_closed):
        closed()
        campaign = survey_of_closed()
        campaign = services.set_campaign_status(center.head, campaign, CampaignStatus.ACTIVE, campaign.version)
        campaign = services.set_campaign_status(center.head, campaign, CampaignStatus.PAUSED)
        campaign = services.set_campaign_status(center.head, campaign, CampaignStatus.FINISHED)
        with pytest.raises(ValidationFailed):
            services.set_campaign_status(center.head, campaign, CampaignStatus.ACTIVE)
        assert AuditEvent.objects.filter(action="surveys.campaign.status").count() == 3

    def test_an_empty_campaign_does_not_start(self, center, survey_of_closed):
        campaign = survey_of_closed()
        with pytest.raises(ValidationFailed) as failure:
            services.set_campaign_status(center.head, campaign, CampaignStatus.ACTIVE)
        assert failure.value.code == "invalid_state"

    def test_a_stale_version_changes_nothing(self, center, closed, survey_of_closed):
        closed()
        campaign = survey_of_closed()
        with pytest.raises(Conflict):
            services.set_campaign_status(center.head, campaign, CampaignStatus.ACTIVE, campaign.version - 1)


def test_campaigns_are_seen_in_scope_only(center, closed, survey_of_closed):
    closed()
    campaign = survey_of_closed()
    assert selectors.campaign_detail(center.interviewer1, campaign.pk) == campaign
    with pytest.raises(NotFound):
        selectors.campaign_detail(center.outsider, campaign.pk)
    with pytest.raises(PermissionDenied):
        selectors.campaign_detail(center.teller, campaign.pk)
    summary = selectors.campaign_summary(campaign)
    assert summary["total"] == 1 and summary["waiting"] == 1 and summary["reach_rate"] == 0.0
