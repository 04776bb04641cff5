"""The quality-monitoring API: scorecards and their versions, evaluations, calibration, trends."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.complaints.models import Complaint
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber, Text
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.scorecards import evaluations, selectors, services
from bankdesk.scorecards.evaluations import Answer
from bankdesk.scorecards.models import AnswerType

router = Router(tags=["quality monitoring"])
Points = Field(..., gt=0, max_digits=7, decimal_places=2)


class QaItemOut(Schema):
    id: int
    position: int
    code: str
    text: str
    guidance: str
    answer_type: str
    max_points: Decimal
    is_fatal: bool
    na_allowed: bool


class QaSectionOut(Schema):
    id: int
    position: int
    title: str
    weight: Decimal
    items: list[QaItemOut]

    @staticmethod
    def resolve_items(section):
        return list(section.items.all())


class QaVersionOut(Schema):
    id: int
    scorecard_id: int
    number: int
    status: str
    pass_mark: Decimal | None
    change_note: str
    published_at: datetime | None


class QaVersionDetailOut(QaVersionOut):
    sections: list[QaSectionOut]

    @staticmethod
    def resolve_sections(version):
        return list(version.sections.prefetch_related("items"))


class QaScorecardOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    unit: str = Field(alias="unit.code")
    description: str
    is_active: bool


class QaScorecardDetailOut(QaScorecardOut):
    versions: list[QaVersionOut]

    @staticmethod
    def resolve_versions(scorecard):
        return list(scorecard.versions.all())


class QaScorecardIn(InputSchema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=100)
    kind: str = Field(..., description="call, complaint, outlet_inspection, mystery_shopping or video_check")
    unit: str = Field(..., description="Code of the unit the scorecard applies to (and below)")
    description: str = ""
    pass_mark: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)


class QaScorecardChangeIn(InputSchema):
    name: str = Field(..., max_length=100)
    description: str = ""
    is_active: bool = True


class QaDraftIn(InputSchema):
    pass_mark: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    change_note: str = Field("", max_length=300)


class QaSectionIn(InputSchema):
    title: str = Field(..., max_length=200)
    weight: Decimal = Points
    position: int | None = Field(None, ge=0, le=32767)


class QaItemIn(InputSchema):
    text: str = Field(..., max_length=300)
    max_points: Decimal = Points
    answer_type: str = Field(AnswerType.YES_NO, description="yes_no or points")
    is_fatal: bool = False
    na_allowed: bool = False
    code: str = Field("", max_length=20)
    guidance: str = ""


class QaItemChangeIn(InputSchema):
    """Only the fields sent change."""

    text: str | None = Field(None, max_length=300)
    max_points: Decimal | None = Field(None, gt=0, max_digits=7, decimal_places=2)
    answer_type: str | None = Field(None, description="yes_no or points")
    is_fatal: bool | None = None
    na_allowed: bool | None = None
    code: str | None = Field(None, max_length=20)
    guidance: str | None = None
    position: int | None = Field(None, ge=0, le=32767)


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed(_("No unit has this code."), field="unit")
    return unit


@router.get("/qa/scorecards", response=list[QaScorecardOut])
def list_scorecards(request, kind: Text = ""):
    """The scorecards that apply to the caller's units or lie inside them (`kind`: one purpose only)."""
    return list(selectors.scorecards(request.user, kind=kind))


@router.post("/qa/scorecards", response={201: QaScorecardDetailOut})
def create_scorecard(request, payload: QaScorecardIn):
    """A new scorecard with an empty draft version 1."""
    data = payload.dict()
    scorecard = services.create_scorecard(request.user, **{**data, "unit": _unit(data["unit"])})
    return Status(201, scorecard)


@router.get("/qa/scorecards/{scorecard_id}", response=QaScorecardDetailOut)
def get_scorecard(request, scorecard_id: Id):
    return selectors.scorecard(request.user, scorecard_id)


@router.put("/qa/scorecards/{scorecard_id}", response=QaScorecardDetailOut)
def change_scorecard(request, scorecard_id: Id, payload: QaScorecardChangeIn):
    """Name, description and whether it is in use; what it scores changes through versions."""
    return services.update_scorecard(request.user, selectors.scorecard(request.user, scorecard_id), **payload.dict())


@router.post("/qa/scorecards/{scorecard_id}/draft", response=QaVersionDetailOut)
def start_draft(request, scorecard_id: Id):
    """The scorecard's draft: the one being edited, or a new one copied from the latest version."""
    return services.start_draft(request.user, selectors.scorecard(request.user, scorecard_id))


@router.get("/qa/versions/{version_id}", response=QaVersionDetailOut)
def get_version(request, version_id: Id):
    return selectors.version(request.user, version_id)


@router.put("/qa/versions/{version_id}", response=QaVersionDetailOut)
def change_draft(request, version_id: Id, payload: QaDraftIn):
    return services.update_draft(request.user, selectors.version(request.user, version_id), **payload.dict())


@router.post("/qa/versions/{version_id}/publish", response=QaVersionDetailOut)
def publish_version(request, version_id: Id):
    """The draft becomes the version scored from now on; it never changes again."""
    return services.publish(request.user, selectors.version(request.user, version_id))


@router.post("/qa/versions/{version_id}/sections", response={201: QaSectionOut})
def add_section(request, version_id: Id, payload: QaSectionIn):
    version = selectors.version(request.user, version_id)
    return Status(201, services.add_section(request.user, version, title=payload.title, weight=payload.weight))


@router.put("/qa/sections/{section_id}", response=QaSectionOut)
def change_section(request, section_id: Id, payload: QaSectionIn):
    section = selectors.section(request.user, section_id)
    position = section.position if payload.position is None else payload.position
    return services.update_section(request.user, section, title=payload.title, weight=payload.weight,
                                   position=position)


@router.delete("/qa/sections/{section_id}", response={204: None})
def remove_section(request, section_id: Id):
    """Only from a draft (never scored); the removal is kept in the audit trail."""
    services.remove_section(request.user, selectors.section(request.user, section_id))
    return Status(204, None)


@router.post("/qa/sections/{section_id}/items", response={201: QaItemOut})
def add_item(request, section_id: Id, payload: QaItemIn):
    return Status(201, services.add_item(request.user, selectors.section(request.user, section_id), **payload.dict()))


@router.patch("/qa/items/{item_id}", response=QaItemOut)
def change_item(request, item_id: Id, payload: QaItemChangeIn):
    return services.update_item(request.user, selectors.item(request.user, item_id),
                                **payload.dict(exclude_none=True))


@router.delete("/qa/items/{item_id}", response={204: None})
def remove_item(request, item_id: Id):
    services.remove_item(request.user, selectors.item(request.user, item_id))
    return Status(204, None)


class QaItemScoreOut(Schema):
    item: int = Field(alias="item_id")
    points: Decimal | None
    is_na: bool
    comment: str


class QaEvaluationOut(Schema):
    id: int
    kind: str
    status: str
    version: int = Field(alias="version_id")
    scorecard: str = Field(alias="version.scorecard.code")
    unit: str = Field(alias="unit.code")
    staff: str | None = None
    evaluator: str = Field(alias="evaluator.username")
    call_id: str
    recording_ref: str
    complaint: str | None = None
    occurred_at: datetime | None
    calibration: int | None = Field(None, alias="calibration_id")
    score: Decimal | None
    raw_score: Decimal | None = Field(None, description="The score before a failed fatal item zeroed it")
    fatal_failed: bool
    passed: bool | None
    comment: str
    created_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_staff(evaluation):
        return evaluation.staff.username if evaluation.staff_id else None

    @staticmethod
    def resolve_complaint(evaluation):
        return evaluation.complaint_number  # annotated by the selectors


class QaEvaluationDetailOut(QaEvaluationOut):
    scores: list[QaItemScoreOut]
    section_scores: list[Decimal | None] = Field(..., description="Per section, out of 100, in the version's order")

    @staticmethod
    def resolve_scores(evaluation):
        return list(evaluation.scores.all())

    @staticmethod
    def resolve_section_scores(evaluation):
        return [section.score for section in selectors.score_sheet(evaluation)]


class QaEvaluationPageOut(Schema):
    items: list[QaEvaluationOut]
    total: int
    page: int
    page_size: int


class QaEvaluationQuery(InputSchema):
    kind: str = ""
    status: str = ""
    scorecard: Id | None = None
    staff: str = Field("", description="User name or staff number")
    mine: bool = Field(False, description="Only those the caller scores")
    call_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    fatal_only: bool = False
    result: str = Field("", description="passed or failed")
    calibration: Id | None = None
    sort: str = Field("-created", description="created, submitted, score, staff, scorecard (- for descending)")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


class QaSubjectIn(InputSchema):
    version: Id = Field(..., description="The published scorecard version to score on")
    staff_id: Id | None = Field(None, description="The staff member evaluated (the agent of a call)")
    call_id: str = Field("", max_length=64)
    recording_ref: str = Field("", max_length=200)
    complaint_id: Id | None = None
    unit: str = Field("", description="Code of the unit evaluated, when neither staff nor complaint names it")
    occurred_at: datetime | None = None


class QaAnswerIn(InputSchema):
    item: Id
    answer: str = Field(..., max_length=12, description='"yes", "no", "na" (not applicable) or a number of points')
    comment: str = Field("", max_length=500)


class QaScoresIn(InputSchema):
    answers: list[QaAnswerIn] = []
    comment: str | None = None


class QaVoidIn(InputSchema):
    reason: str = Field(..., max_length=300)


def _subject(payload: QaSubjectIn) -> dict:
    staff = User.objects.filter(pk=payload.staff_id, is_active=True).select_related("home_unit").first() \
        if payload.staff_id else None
    if payload.staff_id and staff is None:
        raise ValidationFailed(_("Choose a staff member of your units."), field="staff_id")
    complaint = Complaint.objects.filter(pk=payload.complaint_id).select_related("unit").first() \
        if payload.complaint_id else None
    if payload.complaint_id and complaint is None:
        raise ValidationFailed(_("No such complaint in your units."), field="complaint_id")
    return {"staff": staff, "complaint": complaint, "unit": _unit(payload.unit) if payload.unit else None,
            "call_id": payload.call_id, "recording_ref": payload.recording_ref, "occurred_at": payload.occurred_at}


def _answers(payload: QaScoresIn) -> list[Answer]:
    return [Answer(answer.item, answer.answer, answer.comment) for answer in payload.answers]


@router.get("/qa/evaluations", response=QaEvaluationPageOut)
def list_evaluations(request, query: Query[QaEvaluationQuery]):
    """Evaluations in the caller's sight (an agent: their own, once submitted); none of a calibration
    session unless `calibration` names it."""
    filters = selectors.EvaluationFilter(**query.dict(exclude={"page", "page_size"}))
    page = paginate(selectors.evaluation_list(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


@router.post("/qa/evaluations", response={201: QaEvaluationDetailOut})
def start_evaluation(request, payload: QaSubjectIn):
    """Start scoring a call (call ID or recording, and the agent), a complaint's handling or a unit."""
    version = selectors.version(request.user, payload.version)
    evaluation = evaluations.start_evaluation(request.user, version, **_subject(payload))
    return Status(201, selectors.evaluation(request.user, evaluation.pk))


@router.get("/qa/evaluations/{evaluation_id}", response=QaEvaluationDetailOut)
def get_evaluation(request, evaluation_id: Id):
    return selectors.evaluation(request.user, evaluation_id)


@router.put("/qa/evaluations/{evaluation_id}/scores", response=QaEvaluationDetailOut)
def save_scores(request, evaluation_id: Id, payload: QaScoresIn):
    """Keep answers given so far; the evaluation stays a draft."""
    evaluation = selectors.evaluation(request.user, evaluation_id)
    evaluations.save_scores(request.user, evaluation, _answers(payload), payload.comment)
    return selectors.evaluation(request.user, evaluation_id)


@router.post("/qa/evaluations/{evaluation_id}/submit", response=QaEvaluationDetailOut)
def submit_evaluation(request, evaluation_id: Id, payload: QaScoresIn):
    """Every item must be answered; the score is computed now (a failed fatal item makes it 0)."""
    evaluation = selectors.evaluation(request.user, evaluation_id)
    evaluations.submit_evaluation(request.user, evaluation, _answers(payload), payload.comment)
    return selectors.evaluation(request.user, evaluation_id)


@router.post("/qa/evaluations/{evaluation_id}/void", response=QaEvaluationDetailOut)
def void_evaluation(request, evaluation_id: Id, payload: QaVoidIn):
    evaluation = selectors.evaluation(request.user, evaluation_id)
    evaluations.void_evaluation(request.user, evaluation, payload.reason)
    return selectors.evaluation(request.user, evaluation_id)


class QaCalibrationOut(Schema):
    id: int
    title: str
    status: str
    version: int = Field(alias="version_id")
    call_id: str
    recording_ref: str
    staff: str | None = None
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_staff(session):
        return session.staff.username if session.staff_id else None


class QaSpreadRowOut(Schema):
    item: str = Field(alias="label")
    max_points: Decimal
    values: list[Decimal | None] = Field(..., description="Per inspector, in the order of `inspectors`")
    minimum: Decimal | None
    maximum: Decimal | None
    std_dev: Decimal | None
    apart: bool = Field(..., description="The standard deviation exceeds the calibration tolerance")


class QaSpreadOut(Schema):
    inspectors: list[str]
    items: list[QaSpreadRowOut]
    total: QaSpreadRowOut
    tolerance: Decimal


class QaCalibrationDetailOut(QaCalibrationOut):
    spread: QaSpreadOut

    @staticmethod
    def resolve_spread(session):
        spread = selectors.calibration_spread(session)
        return {"inspectors": [inspector.username for inspector in spread.inspectors],
                "items": [row for _section, rows in spread.sections for row in rows], "total": spread.total,
                "tolerance": spread.tolerance}


class QaCalibrationIn(QaSubjectIn):
    title: str = Field(..., max_length=200)


@router.get("/qa/calibrations", response=list[QaCalibrationOut])
def list_calibrations(request, status: Text = "", page: PageNumber = 1):
    return paginate(selectors.calibrations(request.user, status=status).order_by("-created_at", "-id"), page).items


@router.post("/qa/calibrations", response={201: QaCalibrationDetailOut})
def create_calibration(request, payload: QaCalibrationIn):
    """Several inspectors score the same call on the same version; the spread shows how far they agree."""
    version = selectors.version(request.user, payload.version)
    session = evaluations.create_calibration(request.user, version, title=payload.title, **_subject(payload))
    return Status(201, session)


@router.get("/qa/calibrations/{session_id}", response=QaCalibrationDetailOut)
def get_calibration(request, session_id: Id):
    return selectors.calibration(request.user, session_id)


@router.post("/qa/calibrations/{session_id}/join", response=QaEvaluationDetailOut)
def join_calibration(request, session_id: Id):
    """The caller's evaluation in the session (started now if they have none)."""
    session = selectors.calibration(request.user, session_id)
    evaluation = evaluations.start_evaluation(request.user, None, calibration=session)
    return selectors.evaluation(request.user, evaluation.pk)


@router.post("/qa/calibrations/{session_id}/close", response=QaCalibrationOut)
def close_calibration(request, session_id: Id):
    return evaluations.close_calibration(request.user, selectors.calibration(request.user, session_id))


class QaTrendMonthOut(Schema):
    month: date
    average: Decimal | None
    count: int
    fatal: int


class QaTrendQuery(InputSchema):
    staff: str = Field("", description="User name or staff number; an agent always gets their own")
    unit: str = Field("", description="Code of a unit: it and the units below")
    team: Id | None = Field(None, description="A call-center team: its agents' results")
    kind: str = ""
    months: int = Field(12, ge=1, le=60)


@router.get("/qa/trend", response=list[QaTrendMonthOut])
def qa_trend(request, query: Query[QaTrendQuery]):
    """Average score, evaluations and fatal failures per month, the latest month last."""
    filters = selectors.trend_filter(request.user, staff=query.staff, kind=query.kind, months=query.months,
                                     team=query.team, unit_path=_unit(query.unit).path if query.unit else "")
    return selectors.monthly_trend(request.user, filters, timezone.localdate())
