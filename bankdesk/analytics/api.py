"""The analytics API (operation ids `analytics_<function>`): the same figures as the pages. Thin: the
selectors compute, the schemas say what comes back."""

from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bankdesk.analytics import figures, selectors
from bankdesk.analytics.indicators import BY_KEY
from bankdesk.analytics.periods import Period
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.inputs import InputSchema

router = Router(tags=["analytics"])


class VolumeBy(StrEnum):
    CHANNEL = "channel"
    BUSINESS_CATEGORY = "business_category"
    CAUSE = "cause"
    UNIT = "unit"
    SEVERITY = "severity"
    CLOSURE_CODE = "closure_code"


class PeriodQuery(InputSchema):
    from_: date = Field(..., alias="from", description="First day, China time (YYYY-MM-DD)")
    to: date = Field(..., description="Last day, inclusive, China time (YYYY-MM-DD)")

    def period(self) -> Period:
        if self.to < self.from_:
            raise ValidationFailed(_("The last day comes before the first."), field="to")
        return Period(self.from_, self.to)


class VolumeQuery(PeriodQuery):
    by: VolumeBy = Field(VolumeBy.CHANNEL, description="The dimension to break the volume down by")


class VolumeRowOut(Schema):
    key: str = Field(description="The stable code of the value (taxonomy or unit code, severity number)")
    label: str
    count: int


class VolumeOut(Schema):
    rows: list[VolumeRowOut]
    total: int = Field(description="Complaints received in the period in your scope (the sum of the rows)")


@router.get("/analytics/volume", response=VolumeOut)
def volume(request, query: Query[VolumeQuery]):
    """Complaints received from `from` to `to` inclusive (China time) in your scope, per channel, business
    category, cause, unit concerned, severity or closure code. `total` equals the `total` of
    `GET /api/complaints?received_from=…&received_to=…` for the same days."""
    return selectors.volume(request.user, query.period(), query.by)


class IndicatorsQuery(PeriodQuery):
    unit: str = Field("", max_length=32, description="Code of a unit: its subtree only (default: your whole scope)")


class BreakdownBy(StrEnum):
    CHANNEL = "channel"
    BUSINESS_CATEGORY = "business_category"
    CAUSE = "cause"
    UNIT = "unit"
    SEVERITY = "severity"
    CLOSURE_CODE = "closure_code"
    UNIT_TREE = "unit_tree"
    MONTH = "month"


class BreakdownQuery(IndicatorsQuery):
    by: BreakdownBy = Field(BreakdownBy.UNIT_TREE, description=(
        "unit_tree: the units one level under `unit`, each with its subtree; month: the month received"))


class FigureOut(Schema):
    key: str
    label: str
    kind: str = Field(description="count, percent, days or per_10k")
    formula: str
    value: float | None
    numerator: float | None
    denominator: float | None
    reference: float | None
    reference_is_maximum: bool
    meets_reference: bool | None


class IndicatorsOut(Schema):
    unit: str | None
    figures: list[FigureOut]


class BreakdownRowOut(Schema):
    key: str
    label: str
    figure: FigureOut


class BreakdownOut(Schema):
    rows: list[BreakdownRowOut]


def _figure(figure) -> dict:
    indicator = figure.indicator
    return {"key": indicator.key, "label": str(indicator.label), "kind": str(indicator.kind),
            "formula": str(indicator.formula), "value": figure.value, "numerator": figure.numerator,
            "denominator": figure.denominator,
            "reference": None if figure.reference is None else float(figure.reference),
            "reference_is_maximum": indicator.reference_is_maximum, "meets_reference": figure.meets_reference}


@router.get("/analytics/indicators", response=IndicatorsOut)
def indicators(request, query: Query[IndicatorsQuery]):
    """Every indicator for the complaints received from `from` to `to` (China time) in your scope, with its
    reference value and formula (docs/analytics.md)."""
    period, under = query.period(), selectors.unit_in_scope(request.user, query.unit)
    whole = figures.compute(request.user, period, under=under).get(figures.WHOLE, {})
    return {"unit": under.code if under else None, "figures": [_figure(figure) for figure in whole.values()]}


@router.get("/analytics/indicators/{key}", response=BreakdownOut)
def indicator_breakdown(request, key: str, query: Query[BreakdownQuery]):
    """One indicator broken down by a dimension, by the units under `unit` (roll-up) or by month."""
    if key not in BY_KEY:
        raise NotFound()
    period, under = query.period(), selectors.unit_in_scope(request.user, query.unit)
    grouped = figures.compute(request.user, period, [key], by=str(query.by), under=under)
    names = figures.labels(str(query.by), [group[0] for group in grouped])
    return {"rows": [{"key": "" if group[0] is None else str(group[0]), "label": names.get(group[0]) or "—",
                      "figure": _figure(row[key])} for group, row in grouped.items()]}


router.add_router("", "bankdesk.analytics.warnings.api.router")
