"""The analytics API (operation ids `analytics_<function>`): the same figures as the pages. Thin: the
selectors compute, the schemas say what comes back."""

from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bankdesk.analytics import selectors
from bankdesk.analytics.periods import Period
from bankdesk.core.errors import ValidationFailed
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
