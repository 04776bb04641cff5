"""The surveys API: campaigns, questionnaires, the interviewer's queue and the results (thin)."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit
from bankdesk.surveys import calling, list_import, selectors, services
from bankdesk.surveys.calling import CallResult
from bankdesk.surveys.models import Questionnaire
from bankdesk.surveys.permissions import SurveyPermission
from bankdesk.surveys.services import CampaignInput, QuestionInput

router = Router(tags=["surveys"])


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    source: str
    status: str
    unit: str = Field(..., alias="unit.code")
    questionnaire: str | None = None
    target_count: int
    version: int
    created_at: datetime

    @staticmethod
    def resolve_questionnaire(campaign):
        return str(campaign.questionnaire_version) if campaign.questionnaire_version_id else None


class CampaignPageOut(Schema):
    items: list[CampaignOut]
    total: int
    page: int
    page_size: int


class CampaignQuery(InputSchema):
    status: str = ""
    kind: str = ""
    text: str = ""
    sort: str = "-created"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


@router.get("/surveys/campaigns", response=CampaignPageOut)
def list_campaigns(request, query: Query[CampaignQuery]):
    filters = selectors.CampaignFilter(status=query.status, kind=query.kind, text=query.text, sort=query.sort)
    page = paginate(selectors.campaign_list(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


class SummaryOut(Schema):
    total: int
    waiting: int
    claimed: int
    completed: int
    closed: int
    called: int
    reached: int
    reach_rate: float | None
    completion_rate: float | None


class CampaignDetailOut(CampaignOut):
    summary: SummaryOut


@router.get("/surveys/campaigns/{campaign_id}", response=CampaignDetailOut)
def get_campaign(request, campaign_id: Id):
    campaign = selectors.campaign_detail(request.user, campaign_id)
    campaign.summary = selectors.campaign_summary(campaign)
    return campaign


class CampaignIn(InputSchema):
    name: str = Field(..., max_length=200)
    kind: str
    source: str
    unit: Id
    questionnaire: Id | None = None
    source_unit: Id | None = None
    period_start: date | None = None
    period_end: date | None = None


def _unit(unit_id: int | None, field: str):
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationFailed(_("No such unit."), field=field)
    return unit


@router.post("/surveys/campaigns", response={201: CampaignDetailOut})
def create_campaign(request, payload: CampaignIn):
    """A campaign; one drawn from complaints gets its targets at once (one INSERT … SELECT)."""
    questionnaire = payload.questionnaire and Questionnaire.objects.filter(pk=payload.questionnaire).first()
    if payload.questionnaire and questionnaire is None:
            raise ValidationFailed(_("No such questionnaire."), field="questionnaire")
    campaign = services.create_campaign(request.user, CampaignInput(
        name=payload.name, kind=payload.kind, source=payload.source, unit=_unit(payload.unit, "unit"),
        questionnaire=questionnaire or None, source_unit=_unit(payload.source_unit, "source_unit"),
        period_start=payload.period_start, period_end=payload.period_end))
    return Status(201, get_campaign(request, campaign.pk))


class StatusIn(InputSchema):
    status: str
    version: int | None = None


@router.post("/surveys/campaigns/{campaign_id}/status", response=CampaignDetailOut)
def set_campaign_status(request, campaign_id: Id, payload: StatusIn):
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)
    services.set_campaign_status(request.user, campaign, payload.status, payload.version)
    return get_campaign(request, campaign_id)


class DrawOut(Schema):
    drawn: int


@router.post("/surveys/campaigns/{campaign_id}/draw", response=DrawOut)
def draw_targets(request, campaign_id: Id):
    """Add the complaints of the campaign's source not yet in it."""
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)
    return {"drawn": services.draw_targets(request.user, campaign)}


class ImportOut(Schema):
    id: int
    campaign: int = Field(..., alias="campaign_id")
    original_name: str
    status: str
    total_rows: int
    processed_rows: int
    imported_rows: int
    error_count: int
    progress_percent: int
    errors: list[dict]


@router.post("/surveys/campaigns/{campaign_id}/lists", response={202: ImportOut})
def import_list(request, campaign_id: Id, file: File[UploadedFile]):
    """Upload a call list (CSV or XLSX: 姓名, 电话, 编号, 最佳联系时间); it is read in the background."""
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)
    return Status(202, list_import.start_import(request.user, campaign, file))


@router.get("/surveys/imports/{job_id}", response=ImportOut)
def get_import(request, job_id: Id):
    """An imported list's progress and the rows it refused."""
    return selectors.list_import(request.user, job_id)


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    choices: list[str]
    required: bool


class QuestionnaireOut(Schema):
    id: int
    code: str
    name: str
    current_version: int
    is_active: bool


class QuestionnaireDetailOut(QuestionnaireOut):
    introduction: str
    questions: list[QuestionOut]


@router.get("/surveys/questionnaires", response=list[QuestionnaireOut])
def list_questionnaires(request):
    return list(selectors.questionnaires(request.user)[:500])


def _questionnaire_out(questionnaire) -> dict:
    version = selectors.questionnaire_versions(questionnaire).first()
    return {"id": questionnaire.pk, "code": questionnaire.code, "name": questionnaire.name,
            "current_version": questionnaire.current_version, "is_active": questionnaire.is_active,
            "introduction": version.introduction, "questions": list(version.questions.all())}


@router.get("/surveys/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut)
def get_questionnaire(request, questionnaire_id: Id):
    """The questionnaire with the questions of its current version."""
    return _questionnaire_out(selectors.questionnaire_detail(request.user, questionnaire_id))


class QuestionIn(InputSchema):
    kind: str = Field(..., description="scale (1–5), yes_no, choice, text")
    text: str = Field(..., max_length=500)
    choices: list[str] = Field(default_factory=list, max_length=30)
    required: bool = True


class QuestionnaireIn(InputSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    introduction: str = Field("", max_length=2000)
    questions: list[QuestionIn] = Field(..., max_length=100)


def _questions(payload) -> list[QuestionInput]:
    return [QuestionInput(q.kind, q.text, q.choices, q.required) for q in payload.questions]


@router.post("/surveys/questionnaires", response={201: QuestionnaireDetailOut})
def create_questionnaire(request, payload: QuestionnaireIn):
    questionnaire = services.create_questionnaire(request.user, code=payload.code, name=payload.name,
                                                  introduction=payload.introduction, questions=_questions(payload))
    return Status(201, _questionnaire_out(questionnaire))


class RevisionIn(InputSchema):
    name: str = Field(..., max_length=200)
    introduction: str = Field("", max_length=2000)
    questions: list[QuestionIn] = Field(..., max_length=100)
    expected_version: int | None = None


@router.post("/surveys/questionnaires/{questionnaire_id}/versions", response={201: QuestionnaireDetailOut})
def revise_questionnaire(request, questionnaire_id: Id, payload: RevisionIn):
    """A new version of the questionnaire; running campaigns keep theirs."""
    questionnaire = selectors.questionnaire_detail(request.user, questionnaire_id)
    services.revise_questionnaire(request.user, questionnaire, name=payload.name, introduction=payload.introduction,
                                  questions=_questions(payload), expected_version=payload.expected_version)
    questionnaire.refresh_from_db()
    return Status(201, _questionnaire_out(questionnaire))


class TargetOut(Schema):
    id: int
    campaign: int = Field(..., alias="campaign_id")
    name: str
    phone: str = Field(..., description="In full for the interviewer holding the call")
    complaint_tracking_number: str | None = None
    source_reference: str
    attempts: int
    best_time: str
    claim_expires_at: datetime | None

    @staticmethod
    def resolve_complaint_tracking_number(target):
        return target.complaint.tracking_number if target.complaint_id else None


@router.post("/surveys/queue/next", response={200: TargetOut, 204: None})
def claim_next(request, campaign: Id | None = None):
    """Take the next call due in your campaigns (or in `campaign`): it is yours for surveys.claim_minutes;
    204 when nobody is due."""
    campaign = campaign and selectors.campaign_detail(request.user, campaign, SurveyPermission.INTERVIEW)
    target = calling.claim_next(request.user, campaign or None)
    if target is None:
        return Status(204, None)
    return selectors.claimed_target(request.user, target.pk)


class CallIn(InputSchema):
    outcome: str = Field(..., description="completed, no_answer, busy, wrong_number, refused, call_back")
    note: str = Field("", max_length=2000)
    callback_at: datetime | None = Field(None, description="For call_back: when to call again")
    best_time: str = Field("", max_length=100)
    answers: dict[str, str] = Field(default_factory=dict, description="Question id → answer (1–5, yes/no, a choice, "
                                                                        "text)")
    satisfaction: str = Field("", description="Complaint callback: satisfied, basically_satisfied, not_satisfied")
    reason: str = Field("", max_length=2000)
    reopen_kind: str = Field("", description="Complaint callback, not satisfied: rehandle or review")


class AttemptOut(Schema):
    id: int
    number: int
    outcome: str
    created_at: datetime
    target_state: str = Field(..., alias="target.state")
    next_call_at: datetime | None = Field(None, alias="target.due_at")


@router.post("/surveys/targets/{target_id}/attempts", response={201: AttemptOut})
def record_call(request, target_id: Id, payload: CallIn):
    """Record how the call you hold went (with the answers when completed)."""
    target = selectors.claimed_target(request.user, target_id)
    attempt = calling.record_call(request.user, target, CallResult(
        outcome=payload.outcome, note=payload.note, callback_at=payload.callback_at, best_time=payload.best_time,
        answers=payload.answers, satisfaction=payload.satisfaction, reason=payload.reason,
        reopen_kind=payload.reopen_kind))
    attempt.target.refresh_from_db(fields=["state", "due_at"])
    return Status(201, attempt)


@router.post("/surveys/targets/{target_id}/release", response={204: None})
def release_target(request, target_id: Id):
    """Give the call you hold back to the queue without calling."""
    calling.release(request.user, selectors.claimed_target(request.user, target_id))
    return Status(204, None)


class ResultQuery(InputSchema):
    start: date
    end: date
    grain: str = Field("day", description="day, week or month")
    campaign: Id | None = None


class ResultRowOut(Schema):
    period: date
    team: str | None = Field(None, alias="team__name")
    calls: int
    reached: int
    completed: int
    reach_rate: float | None
    completion_rate: float | None


class ScoreOut(Schema):
    period: date
    question: str = Field(..., alias="question__text")
    average: float
    answers: int


class ResultsOut(Schema):
    rows: list[ResultRowOut]
    scores: list[ScoreOut]


@router.get("/surveys/results", response=ResultsOut)
def results(request, query: Query[ResultQuery]):
    """Calls, reached and completed by team and period, with the rates and the average scale scores."""
    if query.start > query.end:
            raise ValidationFailed(_("The period ends before it starts."), field="end")
    filters = selectors.ResultFilter(start=query.start, end=query.end, grain=query.grain, campaign_id=query.campaign)
    return {"rows": selectors.results(request.user, filters), "scores": selectors.scores(request.user, filters)}

