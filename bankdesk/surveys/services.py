"""Writes of the surveys app before the calling starts: questionnaires and campaigns with their targets.
The calling itself (the queue, attempts, answers) is in `calling`; imported lists in `list_import`."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import require, require_in_scope
from bankdesk.surveys import complaint_calls
from bankdesk.surveys.audit_actions import SurveyAction
from bankdesk.surveys.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Target,
    TargetSource,
)
from bankdesk.surveys.permissions import SurveyPermission

COMPLAINT_SOURCES = (TargetSource.CLOSED_COMPLAINTS, TargetSource.AWAITING_CALLBACK)
FILE_SOURCES = (TargetSource.LIST, TargetSource.CALLS)


@dataclass
class QuestionInput:
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    required: bool = True


def _clean_questions(questions: list[QuestionInput]) -> list[QuestionInput]:
    if not questions:
        raise ValidationFailed(_("A questionnaire needs at least one question."), field="questions")
    cleaned = []
    for number, question in enumerate(questions, start=1):
        if question.kind not in QuestionKind.values:
            raise ValidationFailed(_("Question %(number)d: choose its kind.") % {"number": number}, field="questions")
        if not question.text.strip():
            raise ValidationFailed(_("Question %(number)d: write the question.") % {"number": number},
                                   field="questions")
        choices = [choice.strip() for choice in question.choices if choice.strip()]
        if question.kind == QuestionKind.CHOICE and len(set(choices)) < 2:
            raise ValidationFailed(_("Question %(number)d: give at least two different answers to choose from.")
                                   % {"number": number}, field="questions")
        cleaned.append(QuestionInput(question.kind, question.text.strip(),
                                     choices if question.kind == QuestionKind.CHOICE else [], question.required))
    return cleaned


def _save_version(actor, questionnaire: Questionnaire, number: int, introduction: str,
                  questions: list[QuestionInput]) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=number,
                                                  introduction=introduction.strip(), created_by=actor)
    Question.objects.bulk_create(Question(version=version, position=position, kind=q.kind, text=q.text,
                                          choices=q.choices, required=q.required)
                                 for position, q in enumerate(questions, start=1))
    return version


def _version_snapshot(version: QuestionnaireVersion, questions: list[QuestionInput]) -> dict:
    return {"version": version.number, "questions": [[q.kind, q.text, q.choices, q.required] for q in questions]}


@transaction.atomic
def create_questionnaire(actor, *, code: str, name: str, introduction: str = "",
                         questions: list[QuestionInput]) -> Questionnaire:
    require(actor, SurveyPermission.MANAGE_SURVEYS)
    if not code.strip():
        raise ValidationFailed(_("Enter a code."), field="code")
    if not name.strip():
        raise ValidationFailed(_("Enter a name."), field="name")
    if Questionnaire.objects.filter(code=code.strip()).exists():
        raise ValidationFailed(_("Another questionnaire has this code."), field="code")
    questions = _clean_questions(questions)
    questionnaire = Questionnaire.objects.create(code=code.strip(), name=name.strip(), created_by=actor)
    version = _save_version(actor, questionnaire, 1, introduction, questions)
    audit.record(SurveyAction.QUESTIONNAIRE_CREATE, questionnaire, actor=actor,
                 after={"code": questionnaire.code, "name": questionnaire.name, **_version_snapshot(version, questions)})
    return questionnaire


@transaction.atomic
def revise_questionnaire(actor, questionnaire: Questionnaire, *, name: str, introduction: str = "",
                         questions: list[QuestionInput], expected_version: int | None = None) -> QuestionnaireVersion:
    """A new version; campaigns already running keep asking the version they started with."""
    require(actor, SurveyPermission.MANAGE_SURVEYS)
    if not name.strip():
        raise ValidationFailed(_("Enter a name."), field="name")
    questions = _clean_questions(questions)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if expected_version is not None and questionnaire.current_version != expected_version:
        raise Conflict(_("Someone else revised this questionnaire meanwhile; reload it and try again."))
    before = {"name": questionnaire.name, "version": questionnaire.current_version}
    questionnaire.name, questionnaire.current_version = name.strip(), questionnaire.current_version + 1
    questionnaire.save(update_fields=["name", "current_version"])
    version = _save_version(actor, questionnaire, questionnaire.current_version, introduction, questions)
    audit.record(SurveyAction.QUESTIONNAIRE_REVISE, questionnaire, actor=actor, before=before,
                 after={"name": questionnaire.name, **_version_snapshot(version, questions)})
    return version


@dataclass
class CampaignInput:
    name: str
    kind: str
    source: str
    unit: object  # OrgUnit owning the campaign
    questionnaire: Questionnaire | None = None
    source_unit: object = None  # OrgUnit whose complaints are drawn
    period_start: date | None = None
    period_end: date | None = None


def _check_source(actor, data: CampaignInput) -> None:
    callback = data.kind == CampaignKind.COMPLAINT_CALLBACK
    if callback != (data.source == TargetSource.AWAITING_CALLBACK):
        raise ValidationFailed(_("Complaint callbacks are drawn from the complaints awaiting their callback, and "
                                 "only they are."), field="source")
    if data.source in COMPLAINT_SOURCES:
        if data.source_unit is None:
            raise ValidationFailed(_("Choose the unit whose complaints are drawn."), field="source_unit")
        require_in_scope(actor, SurveyPermission.MANAGE_SURVEYS, data.source_unit)
    if data.source == TargetSource.CLOSED_COMPLAINTS:
        if data.period_start is None or data.period_end is None:
            raise ValidationFailed(_("Enter the period in which the complaints were closed."), field="period_start")
        if data.period_start > data.period_end:
            raise ValidationFailed(_("The period ends before it starts."), field="period_end")
        if data.period_start > timezone.localdate():
            raise ValidationFailed(_("The period lies in the future: no complaint was closed in it yet."),
                                   field="period_start")


def _check_campaign(actor, data: CampaignInput) -> None:
    require_in_scope(actor, SurveyPermission.MANAGE_SURVEYS, data.unit)
    if not data.name.strip():
        raise ValidationFailed(_("Enter a name."), field="name")
    if data.kind not in CampaignKind.values:
        raise ValidationFailed(_("Choose the kind of campaign."), field="kind")
    if data.source not in TargetSource.values:
        raise ValidationFailed(_("Choose where the people to call come from."), field="source")
    _check_source(actor, data)
    if data.kind != CampaignKind.COMPLAINT_CALLBACK and data.questionnaire is None:
        raise ValidationFailed(_("Choose the questionnaire."), field="questionnaire")
    if data.questionnaire is not None and not data.questionnaire.is_active:
        raise ValidationFailed(_("This questionnaire is retired."), field="questionnaire")


@transaction.atomic
def create_campaign(actor, data: CampaignInput) -> Campaign:
    """A campaign in preparation; one drawn from complaints gets its targets at once."""
    _check_campaign(actor, data)
    version = None
    if data.questionnaire is not None:
        version = QuestionnaireVersion.objects.get(questionnaire=data.questionnaire,
                                                   number=data.questionnaire.current_version)
    campaign = Campaign.objects.create(
        name=data.name.strip(), kind=data.kind, source=data.source, questionnaire_version=version, unit=data.unit,
        unit_path=data.unit.path, source_unit=data.source_unit if data.source in COMPLAINT_SOURCES else None,
        period_start=data.period_start if data.source == TargetSource.CLOSED_COMPLAINTS else None,
        period_end=data.period_end if data.source == TargetSource.CLOSED_COMPLAINTS else None, created_by=actor)
    audit.record(SurveyAction.CAMPAIGN_CREATE, campaign, actor=actor, after={
        "name": campaign.name, "kind": campaign.kind, "source": campaign.source, "unit": data.unit.code,
        "questionnaire": str(version) if version else "", "source_unit": getattr(campaign.source_unit, "code", ""),
        "period": [str(campaign.period_start or ""), str(campaign.period_end or "")]})
    if data.source in COMPLAINT_SOURCES:
        draw_targets(actor, campaign)
        campaign.refresh_from_db()
    return campaign


def _lock_campaign(actor, campaign: Campaign, expected_version: int | None = None) -> Campaign:
    require_in_scope(actor, SurveyPermission.MANAGE_SURVEYS, campaign.unit)
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(_("Someone else changed this campaign meanwhile; reload it and try again."))
    return current


def add_targets(campaign: Campaign, count: int) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(target_count=F("target_count") + count, version=F("version") + 1)


@transaction.atomic
def draw_targets(actor, campaign: Campaign) -> int:
    """Add the complaints of the campaign's source not yet in it (a callback campaign is drawn again as
    decisions reach customers); one INSERT … SELECT, whatever the number."""
    campaign = _lock_campaign(actor, campaign)
    if campaign.source not in COMPLAINT_SOURCES:
        raise ValidationFailed(_("Only a campaign drawn from complaints is drawn again; import a list instead."),
                               field="source")
    if campaign.status == CampaignStatus.FINISHED:
        raise ValidationFailed(_("The campaign is finished."), field="status", code="invalid_state")
    if campaign.source == TargetSource.CLOSED_COMPLAINTS:
        count = complaint_calls.draw_closed(campaign, campaign.source_unit, campaign.period_start,
                                            campaign.period_end)
    else:
        count = complaint_calls.draw_awaiting_callback(campaign, campaign.source_unit)
    add_targets(campaign, count)
    audit.record(SurveyAction.TARGETS_DRAW, campaign, actor=actor,
                 after={"drawn": count, "source": campaign.source})
    return count


ALLOWED_STATUS_CHANGES = {
    CampaignStatus.DRAFT: {CampaignStatus.ACTIVE, CampaignStatus.FINISHED},
    CampaignStatus.ACTIVE: {CampaignStatus.PAUSED, CampaignStatus.FINISHED},
    CampaignStatus.PAUSED: {CampaignStatus.ACTIVE, CampaignStatus.FINISHED},
    CampaignStatus.FINISHED: set(),
}


@transaction.atomic
def set_campaign_status(actor, campaign: Campaign, status: str, expected_version: int | None = None) -> Campaign:
    """Start, pause, resume or finish the calling; a finished campaign stays as it is, for its results."""
    campaign = _lock_campaign(actor, campaign, expected_version)
    if status not in ALLOWED_STATUS_CHANGES[campaign.status]:
        raise ValidationFailed(_("A campaign that is “%(status)s” cannot change to that.")
                               % {"status": campaign.get_status_display()}, field="status", code="invalid_state")
    if status == CampaignStatus.ACTIVE and not Target.objects.filter(campaign=campaign).exists():
        raise ValidationFailed(_("The campaign has nobody to call yet."), field="status", code="invalid_state")
    before = {"status": campaign.status}
    campaign.status, campaign.version = status, campaign.version + 1
    campaign.save(update_fields=["status", "version"])
    audit.record(SurveyAction.CAMPAIGN_STATUS, campaign, actor=actor, before=before,
                 after={"status": status})
    return campaign
