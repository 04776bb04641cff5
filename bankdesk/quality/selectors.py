"""The outlet and staff pages: everything the quality registers, the ratings and the complaints say about
one unit or one member of staff, month by month (one grouped query per source, never per row)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bankdesk.complaints.models import Complaint
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import rules
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission, require, require_in_scope, scope_q
from bankdesk.orgs.models import OrgUnit, UnitKind, User
from bankdesk.quality.models import (
    CareService,
    Commendation,
    Interception,
    OutletRating,
    RoundStatus,
    StarEntry,
)
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ratings.services import UNCOUNTED_STATUSES, period_end
from bankdesk.quality.registers.selectors import in_subtree

MONTHS_SHOWN = 12
LATEST_ROWS = 8


def window(today: date | None = None, months: int = MONTHS_SHOWN) -> tuple[date, date]:
    """The first day of the month `months - 1` months ago, and today."""
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - (months - 1), 12)
    return date(year, month + 1, 1), today


def month_labels(start: date, months: int = MONTHS_SHOWN) -> list[date]:
    """The first days of `months` months from `start`."""
    labels = [start]
    while len(labels) < months:
        labels.append(period_end(labels[-1], 1) + timedelta(days=1))
    return labels


def counted_complaints(condition: Q):
    """The complaints that count against a unit or a person: not those refused or merged."""
    return Complaint.objects.filter(condition).exclude(status__in=UNCOUNTED_STATUSES)


def _monthly(rows, date_field: str, **aggregates) -> dict:
    """{month: {name: value}} of one source, grouped in the database."""
    grouped = rows.annotate(month=TruncMonth(date_field)).values("month").annotate(**aggregates).order_by("month")
    return {_as_date(row.pop("month")): row for row in grouped}


def _as_date(value) -> date:
    """TruncMonth gives a date-time (in the bank's time zone) on a date-time column, a date on a date column."""
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


@dataclass
class Overview:
    """What a unit's or a person's page shows: monthly series and the totals of the window."""

    start: date
    end: date
    months: list = field(default_factory=list)
    series: dict = field(default_factory=dict)  # name -> [value per month]
    totals: dict = field(default_factory=dict)

    def add(self, name: str, monthly: dict, key: str = "n") -> None:
        values = [monthly.get(month, {}).get(key) or 0 for month in self.months]
        self.series[name] = values
        self.totals[name] = sum(values)


def _sources(condition_of, start: date, end: date) -> dict:
    """The register and complaint rows in the window, each filtered by `condition_of(model)`."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    return {
        "complaints": counted_complaints(condition_of(Complaint)).filter(received_at__gte=first),
        "commendations": Commendation.objects.filter(condition_of(Commendation), is_void=False,
                                                     received_on__gte=start, received_on__lte=end),
        "interceptions": Interception.objects.filter(condition_of(Interception), is_void=False,
                                                     occurred_on__gte=start, occurred_on__lte=end),
        "care": CareService.objects.filter(condition_of(CareService), is_void=False, service_on__gte=start,
                                           service_on__lte=end),
    }


def _overview(condition_of, today: date | None = None) -> Overview:
    start, end = window(today)
    overview = Overview(start, end, month_labels(start))
    sources = _sources(condition_of, start, end)
    overview.add("complaints", _monthly(sources["complaints"], "received_at", n=Count("id")))
    overview.add("commendations", _monthly(sources["commendations"], "received_on", n=Count("id")))
    interceptions = _monthly(sources["interceptions"], "occurred_on", n=Count("id"), amount=Sum("amount_protected"))
    overview.add("interceptions", interceptions)
    overview.add("amount_protected", interceptions, key="amount")
    overview.add("care", _monthly(sources["care"], "service_on", n=Count("id")))
    return overview


def visible_unit(user, pk: int) -> OrgUnit:
    unit = OrgUnit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    require_in_scope(user, P.VIEW, unit)
    return unit


def unit_overview(user, unit: OrgUnit, today: date | None = None) -> Overview:
    require_in_scope(user, P.VIEW, unit)
    return _overview(lambda model: in_subtree("unit_path", unit), today)


def visible_staff(user, pk: int) -> User:
    staff = User.objects.select_related("home_unit").filter(pk=pk).first()
    if staff is None or staff.home_unit is None or not has_permission(user, P.VIEW, staff.home_unit):
        require(user, P.VIEW)
        raise NotFound()
    return staff


def staff_overview(user, staff: User, today: date | None = None) -> Overview:
    require_in_scope(user, P.VIEW, staff.home_unit)
    return _overview(lambda model: Q(staff_concerned=staff) if model is Complaint else Q(staff=staff), today)


def latest(user, model, condition: Q, order: str, limit: int = LATEST_ROWS) -> list:
    """The latest rows of a register (not voided) meeting `condition`, inside the user's scope."""
    require(user, P.VIEW)
    return list(model.objects.filter(scope_q(user, P.VIEW, "unit_path"), condition, is_void=False)
                .select_related("unit", "staff").order_by(order, "-id")[:limit])


def latest_complaints(user, condition: Q, limit: int = LATEST_ROWS) -> list | None:
    """The latest complaints meeting `condition` for a user who may read complaints (None for one who may not)."""
    if not has_permission(user, ComplaintPermission.VIEW_COMPLAINTS):
        return None
    return list(counted_complaints(condition).filter(scope_q(user, ComplaintPermission.VIEW_COMPLAINTS, "unit_path"))
                .select_related("business_category", "unit").order_by("-received_at", "-id")[:limit])


def outlets_of(user, unit: OrgUnit, today: date | None = None) -> list[dict]:
    """The open outlets under `unit` with their counts in the window and latest stars."""
    require_in_scope(user, P.VIEW, unit)
    start, end = window(today)
    outlets = list(OrgUnit.objects.subtree(unit).filter(kind=UnitKind.OUTLET, is_active=True).order_by("path"))
    sources = _sources(lambda model: in_subtree("unit_path", unit), start, end)
    counts = {name: dict(rows.values_list("unit_id").annotate(n=Count("id")).order_by())
              for name, rows in sources.items()}
    ratings = {rating.unit_id: rating for rating in OutletRating.objects.filter(
        in_subtree("unit_path", unit), is_current=True).order_by("period_end", "period_start")}  # the latest wins
    return [{"unit": outlet, "rating": ratings.get(outlet.pk),
             **{name: counts[name].get(outlet.pk, 0) for name in sources}} for outlet in outlets]


def latest_rating(unit: OrgUnit) -> OutletRating | None:
    return OutletRating.objects.filter(unit=unit, is_current=True).order_by("-period_end", "-period_start").first()


def star_awards(user, condition: Q, limit: int = LATEST_ROWS) -> list:
    """The published service-star places (rank within the rule's number) meeting `condition`, newest first."""
    require(user, P.VIEW)
    return list(StarEntry.objects.filter(scope_q(user, P.VIEW, "round__unit_path"), condition,
                                         round__status=RoundStatus.PUBLISHED,
                                         rank__lte=rules.get("quality.service_star.published_places"))
                .select_related("round__unit", "staff").order_by("-round__month", "rank")[:limit])
