from datetime import date, datetime

from django.db import connection
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bankdesk.core import calendar
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.pagination import paginate
from bankdesk.core.selectors import AuditFilter, audit_events

router = Router(tags=["core"])
MAX_RANGE_DAYS = 366 * 20


class HealthOut(Schema):
    status: str
    database: str


@router.get("/health", auth=None, response=HealthOut)
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


class DateOut(Schema):
    date: date
    provisional: bool = Field(description="True when a year in the range has no official holiday data yet")


class DaysOut(Schema):
    days: int
    provisional: bool


@router.get("/calendar/add-working-days", response=DateOut, tags=["calendar"])
def add_working_days(request, start: date, days: int = Query(..., ge=0, le=3650)):
    try:
        answer = calendar.add_working_days(start, days)
    except OverflowError:  # the answer would lie past 9999-12-31, the last date the calendar can hold
        raise ValidationFailed(_("The answer lies past the last date the calendar can hold; enter an earlier "
                                 "start."), field="start")
    return {"date": answer.date, "provisional": answer.provisional}


@router.get("/calendar/working-days-between", response=DaysOut, tags=["calendar"])
def working_days_between(request, start: date, end: date):
    if abs((end - start).days) > MAX_RANGE_DAYS:
        raise ValidationFailed(_("The range may span at most 20 years."), field="end")
    answer = calendar.working_days_between(start, end)
    return {"days": answer.days, "provisional": answer.provisional}


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor: str = Field(alias="actor_label")
    source: str
    request_id: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    total: int
    page: int
    page_size: int


class AuditQuery(Schema):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-occurred_at"
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/audit/events", response=AuditPageOut, tags=["audit"])
def list_audit_events(request, query: Query[AuditQuery]):
    filters = AuditFilter(**query.dict(exclude={"page", "page_size"}))
    page = paginate(audit_events(request.user, filters), query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}
