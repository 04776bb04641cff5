"""The API of inspection visits and their follow-up actions (mounted by quality/api.py)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.quality.inspections import selectors, services
from bankdesk.scorecards.evaluations import Answer
from bankdesk.scorecards.models import ScorecardVersion

router = Router(tags=["quality"])


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code.strip()).first() if code.strip() else None
    if unit is None:
        raise ValidationFailed(_("No unit with this code."), field="unit")
    return unit


class QualityVisitOut(Schema):
    id: int
    method: str
    unit: str = Field(alias="unit.code")
    scheduled_for: date
    inspector: str = Field(alias="inspector.username")
    checklist: str = Field(alias="version.scorecard.code")
    checklist_version: int = Field(alias="version.number")
    evaluation_id: int | None
    status: str
    score: Decimal | None
    passed: bool | None
    fatal_failed: bool
    completed_at: datetime | None


class QualityVisitPageOut(Schema):
    items: list[QualityVisitOut]
    total: int
    page: int
    page_size: int


class QualityVisitQuery(InputSchema):
    unit: str = ""
    method: str = ""
    status: str = ""
    mine: bool = False
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-scheduled_for"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


@router.get("/quality/visits", response=QualityVisitPageOut)
def list_visits(request, query: Query[QualityVisitQuery]):
    filters = selectors.VisitFilter(unit=_unit(query.unit) if query.unit else None, method=query.method,
                                    status=query.status, inspector=request.user if query.mine else None,
                                    date_from=query.date_from, date_to=query.date_to, sort=query.sort)
    page = paginate(selectors.visits(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


class QualityVisitIn(InputSchema):
    method: str = Field(..., description="onsite, video, journey or mystery")
    unit: str = Field(..., description="Code of the outlet")
    scheduled_for: date
    checklist_version_id: Id = Field(..., description="A published version of an outlet checklist")
    inspector_id: Id | None = Field(None, description="Empty: the caller inspects")
    plan_note: str = ""


@router.post("/quality/visits", response={201: QualityVisitOut})
def schedule_visit(request, payload: QualityVisitIn):
    inspector = User.objects.filter(pk=payload.inspector_id).first() if payload.inspector_id else None
    if payload.inspector_id and inspector is None:
        raise ValidationFailed(_("The inspector must be allowed to inspect this outlet."), field="inspector_id")
    version = ScorecardVersion.objects.filter(pk=payload.checklist_version_id).first()
    return Status(201, services.schedule_visit(
        request.user, method=payload.method, unit=_unit(payload.unit), scheduled_for=payload.scheduled_for,
        version=version, inspector=inspector, plan_note=payload.plan_note))


@router.get("/quality/visits/{visit_id}", response=QualityVisitOut)
def get_visit(request, visit_id: Id):
    return selectors.visit(request.user, visit_id)


class QualityAnswerIn(InputSchema):
    item_id: Id
    value: str = Field(..., max_length=12, description="yes, no, na, or the points of a points item")
    comment: str = Field("", max_length=500)


class QualityScoresIn(InputSchema):
    answers: list[QualityAnswerIn]
    comment: str | None = None
    submit: bool = Field(False, description="true: every item must be answered; completes the visit")


@router.post("/quality/visits/{visit_id}/scores", response=QualityVisitOut)
def score_visit(request, visit_id: Id, payload: QualityScoresIn):
    """The inspector's answers; with `submit` the visit is completed and its failed items become follow-ups."""
    visit = selectors.visit(request.user, visit_id)
    answers = [Answer(answer.item_id, answer.value, answer.comment) for answer in payload.answers]
    service = services.submit_visit if payload.submit else services.save_visit_scores
    return service(request.user, visit, answers, payload.comment)


class QualityFollowUpOut(Schema):
    id: int
    visit_id: int
    unit: str = Field(alias="unit.code")
    problem: str
    owner: str = Field(alias="owner.username")
    due_on: date
    status: str
    is_overdue: bool
    chase_count: int
    fix_note: str
    verification_note: str
    closed_at: datetime | None


class QualityFollowUpPageOut(Schema):
    items: list[QualityFollowUpOut]
    total: int
    page: int
    page_size: int


class QualityFollowUpQuery(InputSchema):
    unit: str = ""
    status: str = Field("", description="open, reported or closed; empty: those not closed")
    overdue: bool = False
    mine: bool = False
    sort: str = "due_on"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


@router.get("/quality/follow-ups", response=QualityFollowUpPageOut)
def list_follow_ups(request, query: Query[QualityFollowUpQuery]):
    filters = selectors.FollowUpFilter(unit=_unit(query.unit) if query.unit else None, status=query.status,
                                       overdue=query.overdue, owner=request.user if query.mine else None,
                                       sort=query.sort)
    page = paginate(selectors.follow_ups(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


class QualityFixIn(InputSchema):
    note: str


class QualityVerifyIn(InputSchema):
    accepted: bool
    note: str = ""


@router.post("/quality/follow-ups/{action_id}/report", response=QualityFollowUpOut)
def report_follow_up(request, action_id: Id, payload: QualityFixIn):
    return services.report_fixed(request.user, selectors.follow_up(request.user, action_id), payload.note)


@router.post("/quality/follow-ups/{action_id}/verify", response=QualityFollowUpOut)
def verify_follow_up(request, action_id: Id, payload: QualityVerifyIn):
    return services.verify(request.user, selectors.follow_up(request.user, action_id), accepted=payload.accepted,
                           note=payload.note)
