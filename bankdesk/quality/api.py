"""The outlet service-quality API: commendations, fraud interceptions, care services, star ratings
(and inspection visits, inspections/api.py). Thin: selectors read, services write."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.quality.inspections.api import router as inspections_router
from bankdesk.quality.models import CareOutcome, InterceptionOutcome, ScamType
from bankdesk.quality.ratings import reasons
from bankdesk.quality.ratings import selectors as rating_selectors
from bankdesk.quality.ratings import services as rating_services
from bankdesk.quality.registers import selectors, services
from bankdesk.quality.registers.selectors import (
    CARE_SERVICES,
    COMMENDATIONS,
    INTERCEPTIONS,
    RegisterFilter,
)
from bankdesk.quality.selectors import visible_unit

router = Router(tags=["quality"])
router.add_router("", inspections_router)


def _unit(code: str, field: str = "unit") -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code.strip()).first() if code.strip() else None
    if unit is None:
        raise ValidationFailed(_("No unit with this code."), field=field)
    return unit


def _staff(staff_id: int | None) -> User | None:
    if staff_id is None:
        return None
    staff = User.objects.select_related("home_unit").filter(pk=staff_id).first()
    if staff is None:
        raise ValidationFailed(_("Choose a staff member of this outlet."), field="staff_id")
    return staff


class QualityRecordOut(Schema):
    id: int
    unit: str = Field(alias="unit.code")
    staff_id: int | None
    recorded_by: str = Field(alias="recorded_by.username")
    is_void: bool
    void_reason: str


class QualityRegisterQuery(InputSchema):
    unit: str = Field("", description="Code of a unit: its records and those of the units under it")
    staff_id: Id | None = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str = Field("", description="Commendations: channel; interceptions: scam type id; care: service kind")
    include_void: bool = False
    sort: str = ""
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)

    def filters(self) -> RegisterFilter:
        return RegisterFilter(unit=_unit(self.unit) if self.unit else None, staff=_staff(self.staff_id),
                              date_from=self.date_from, date_to=self.date_to, kind=self.kind,
                              include_void=self.include_void, sort=self.sort)


def _page(rows, query: QualityRegisterQuery) -> dict:
    page = paginate(rows, query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


class QualityVoidIn(InputSchema):
    reason: str = Field(..., max_length=300)


# --- Commendations ------------------------------------------------------------------------------------------------

class QualityCommendationIn(InputSchema):
    channel: str = Field(..., description="letter, banner, online, call, comments_book or other")
    received_on: date
    unit: str = Field(..., description="Code of the outlet praised")
    staff_id: Id | None = None
    staff_name: str = Field("", max_length=100)
    praised_by: str = Field("", max_length=100)
    summary: str


class QualityCommendationOut(QualityRecordOut):
    channel: str
    received_on: date
    staff_name: str
    praised_by: str
    summary: str


class QualityCommendationPageOut(Schema):
    items: list[QualityCommendationOut]
    total: int
    page: int
    page_size: int


@router.get("/quality/commendations", response=QualityCommendationPageOut)
def list_commendations(request, query: Query[QualityRegisterQuery]):
    return _page(selectors.register_list(request.user, COMMENDATIONS, query.filters()), query)


@router.post("/quality/commendations", response={201: QualityCommendationOut})
def record_commendation(request, payload: QualityCommendationIn):
    data = payload.dict(exclude={"unit", "staff_id"})
    return Status(201, services.record_commendation(request.user, unit=_unit(payload.unit),
                                                    staff=_staff(payload.staff_id), **data))


@router.get("/quality/commendations/{record_id}", response=QualityCommendationOut)
def get_commendation(request, record_id: Id):
    return selectors.record(request.user, COMMENDATIONS, record_id)


@router.post("/quality/commendations/{record_id}/void", response=QualityCommendationOut)
def void_commendation(request, record_id: Id, payload: QualityVoidIn):
    found = selectors.record(request.user, COMMENDATIONS, record_id)
    return services.void_commendation(request.user, found, payload.reason)


# --- Fraud interceptions ------------------------------------------------------------------------------------------

class QualityInterceptionIn(InputSchema):
    occurred_on: date
    unit: str = Field(..., description="Code of the outlet (or call center) that stopped the fraud")
    staff_id: Id | None = None
    setting: str = Field(..., description="counter, lobby or phone")
    trigger: str = Field(..., description="How it was spotted: nervous, on_the_phone, unusual_transfer, …")
    scam_type: str = Field(..., description="Code of the scam type (the scam-types table)")
    description: str
    amount_protected: Decimal = Field(..., max_digits=14, decimal_places=2)
    customer_age_group: str = Field(..., description="under_18, 18_34, 35_59, 60_69 or 70_plus")
    police_involved: bool = False
    outcome: str = InterceptionOutcome.STOPPED


class QualityInterceptionOut(QualityRecordOut):
    occurred_on: date
    setting: str
    trigger: str
    scam_type: str = Field(alias="scam_type.code")
    description: str
    amount_protected: Decimal
    customer_age_group: str
    police_involved: bool
    outcome: str


class QualityInterceptionPageOut(Schema):
    items: list[QualityInterceptionOut]
    total: int
    page: int
    page_size: int


@router.get("/quality/interceptions", response=QualityInterceptionPageOut)
def list_interceptions(request, query: Query[QualityRegisterQuery]):
    return _page(selectors.register_list(request.user, INTERCEPTIONS, query.filters()), query)


@router.post("/quality/interceptions", response={201: QualityInterceptionOut})
def record_interception(request, payload: QualityInterceptionIn):
    data = payload.dict(exclude={"unit", "staff_id", "scam_type"})
    scam_type = ScamType.objects.filter(code=payload.scam_type).first()
    return Status(201, services.record_interception(request.user, unit=_unit(payload.unit),
                                                    staff=_staff(payload.staff_id), scam_type=scam_type, **data))


class QualityTotalOut(Schema):
    unit: str = Field(alias="unit__code")
    count: int
    amount: Decimal
    police: int


class QualityHonourOut(Schema):
    staff_id: int
    username: str = Field(alias="staff__username")
    count: int
    amount: Decimal


class QualityTotalsOut(Schema):
    by_outlet: list[QualityTotalOut]
    honour_list: list[QualityHonourOut]


@router.get("/quality/interceptions/totals", response=QualityTotalsOut)
def interception_totals(request, query: Query[QualityRegisterQuery]):
    """Interceptions, amount protected and police involvement by outlet, and the staff honour list."""
    filters = query.filters()
    return {"by_outlet": selectors.interception_totals_by_outlet(request.user, filters),
            "honour_list": selectors.honour_list(request.user, filters)}


@router.get("/quality/interceptions/{record_id}", response=QualityInterceptionOut)
def get_interception(request, record_id: Id):
    return selectors.record(request.user, INTERCEPTIONS, record_id)


@router.post("/quality/interceptions/{record_id}/void", response=QualityInterceptionOut)
def void_interception(request, record_id: Id, payload: QualityVoidIn):
    found = selectors.record(request.user, INTERCEPTIONS, record_id)
    return services.void_interception(request.user, found, payload.reason)


# --- Care services ------------------------------------------------------------------------------------------------

class QualityCareIn(InputSchema):
    kind: str = Field(..., description="home_visit, near_home, accompanied, appointment or cross_region")
    customer_group: str = Field(..., description="elderly, disabled, bedridden, military, minor or other")
    customer_label: str = Field(..., max_length=50, description="How staff refer to the customer; no ID numbers")
    service_on: date
    unit: str
    staff_id: Id | None = None
    description: str
    outcome: str = Field(CareOutcome.COMPLETED, description="scheduled for an appointment still ahead")
    outcome_note: str = ""


class QualityCareOut(QualityRecordOut):
    kind: str
    customer_group: str
    customer_label: str
    service_on: date
    description: str
    outcome: str
    outcome_note: str


class QualityCarePageOut(Schema):
    items: list[QualityCareOut]
    total: int
    page: int
    page_size: int


class QualityCareOutcomeIn(InputSchema):
    outcome: str = Field(..., description="completed, partly, cancelled or no_show")
    outcome_note: str = ""


@router.get("/quality/care-services", response=QualityCarePageOut)
def list_care_services(request, query: Query[QualityRegisterQuery]):
    return _page(selectors.register_list(request.user, CARE_SERVICES, query.filters()), query)


@router.post("/quality/care-services", response={201: QualityCareOut})
def record_care_service(request, payload: QualityCareIn):
    data = payload.dict(exclude={"unit", "staff_id"})
    return Status(201, services.record_care_service(request.user, unit=_unit(payload.unit),
                                                    staff=_staff(payload.staff_id), **data))


@router.get("/quality/care-services/{record_id}", response=QualityCareOut)
def get_care_service(request, record_id: Id):
    return selectors.record(request.user, CARE_SERVICES, record_id)


@router.post("/quality/care-services/{record_id}/outcome", response=QualityCareOut)
def record_care_outcome(request, record_id: Id, payload: QualityCareOutcomeIn):
    found = selectors.record(request.user, CARE_SERVICES, record_id)
    return services.record_care_outcome(request.user, found, **payload.dict())


@router.post("/quality/care-services/{record_id}/void", response=QualityCareOut)
def void_care_service(request, record_id: Id, payload: QualityVoidIn):
    found = selectors.record(request.user, CARE_SERVICES, record_id)
    return services.void_care_service(request.user, found, payload.reason)


# --- Star ratings -------------------------------------------------------------------------------------------------

class QualityComponentOut(Schema):
    code: str
    label: str
    score: str | None
    weight: str
    counted: bool
    explanation: str
    figures: dict


class QualityRatingOut(Schema):
    id: int
    unit: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    period_start: date
    period_end: date
    score: Decimal | None
    stars: int
    rank: int | None
    components: list[QualityComponentOut]

    @staticmethod
    def resolve_components(rating):
        return reasons.explained(rating.components)


class QualityRatingQuery(InputSchema):
    period_start: date | None = Field(None, description="With period_end: that period; without: the latest")
    period_end: date | None = None


@router.get("/quality/ratings", response=list[QualityRatingOut])
def list_ratings(request, query: Query[QualityRatingQuery]):
    """The current ratings of a period across the caller's units, the best first, with their reasons."""
    period = (query.period_start, query.period_end) if query.period_start and query.period_end else None
    return list(rating_selectors.ranking(request.user, period))


@router.get("/quality/units/{unit_id}/ratings", response=list[QualityRatingOut])
def rating_history(request, unit_id: Id):
    """An outlet's rating of every period, oldest first."""
    return list(rating_selectors.history(request.user, visible_unit(request.user, unit_id)))


class QualityComputeIn(InputSchema):
    unit: str = Field(..., description="Code of the unit whose outlets are rated")
    period_start: date = Field(..., description="A day of the first month of the period")
    months: int = Field(..., description="1, 3, 6 or 12")


class QualityRunOut(Schema):
    id: int
    period_start: date
    period_end: date
    outlets: int
    rated: int


@router.post("/quality/ratings/compute", response={201: QualityRunOut})
def compute_ratings(request, payload: QualityComputeIn):
    run = rating_services.compute_ratings(request.user, unit=_unit(payload.unit), period_start=payload.period_start,
                                          months=payload.months)
    ratings = list(run.ratings.all())
    return Status(201, {"id": run.pk, "period_start": run.period_start, "period_end": run.period_end,
                        "outlets": len(ratings), "rated": sum(1 for rating in ratings if rating.score is not None)})
