"""Reports of rectification, scoped to the user: the repeated root causes per unit and period (one GROUP BY),
and the regulation's "trace to the source" measure per unit and period (a selector the analytics app can
reuse): the share of bank-at-fault complaints with a rectification item, the share verified on time, and
the repeat complaints after a rectification (a later complaint of the same root cause at the same unit within
`remediation.rectification.repeat_window_days` of the earlier item's verification)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.fields import DateTimeField

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core import calendar, rules
from bankdesk.core.permissions import require, scope_q
from bankdesk.remediation.models import RectificationItem, RectificationLink, RectificationStatus
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.rectification.services import BANK_AT_FAULT


def _period(start: date, end: date) -> tuple:
    return calendar.day_start(start), calendar.day_start(end + timedelta(days=1))


def repeated_causes(user, start: date, end: date, at_least: int = 2) -> list[dict]:
    """Per unit and root cause: complaints closed in the period that the cause lay behind, and the items,
    for causes behind `at_least` complaints; most complaints first."""
    require(user, P.VIEW)
    since, until = _period(start, end)
    return list(RectificationLink.objects
                .filter(scope_q(user, P.VIEW, "item__unit_path"), item__root_cause__isnull=False,
                        complaint__closed_at__gte=since, complaint__closed_at__lt=until)
                .values("item__unit_id", "item__unit__name", "item__root_cause_id", "item__root_cause__name")
                .annotate(complaints=Count("id"), items=Count("item_id", distinct=True))
                .filter(complaints__gte=at_least).order_by("-complaints", "item__unit__name"))


@dataclass(frozen=True)
class TraceFigures:
    unit_id: int
    unit_name: str
    bank_at_fault: int
    with_item: int
    verified_on_time: int
    repeats: int

    def share(self, part: int) -> Decimal | None:
        return None if not self.bank_at_fault else (Decimal(100) * part / self.bank_at_fault).quantize(Decimal("0.1"))

    @property
    def item_share(self) -> Decimal | None:
        return self.share(self.with_item)

    @property
    def on_time_share(self) -> Decimal | None:
        return self.share(self.verified_on_time)


def _repeats(user, since, until, under) -> dict[int, int]:
    """Complaints received in the period at a unit whose earlier item of the same cause was verified
    within the window before them."""
    window = timedelta(days=rules.get("remediation.rectification.repeat_window_days"))
    earlier = (RectificationItem.objects.filter(status=RectificationStatus.VERIFIED)
               .annotate(until=ExpressionWrapper(F("verified_at") + window, output_field=DateTimeField()))
               .filter(unit_id=OuterRef("item__unit_id"), root_cause_id=OuterRef("item__root_cause_id"),
                       verified_at__lt=OuterRef("complaint__received_at"), until__gte=OuterRef("complaint__received_at")))
    rows = (RectificationLink.objects.filter(scope_q(user, P.VIEW, "item__unit_path"), item__root_cause__isnull=False,
                                             complaint__received_at__gte=since, complaint__received_at__lt=until)
            .filter(_under(under, "item__unit_path"), Exists(earlier)).values("item__unit_id")
            .annotate(repeats=Count("id")))
    return {row["item__unit_id"]: row["repeats"] for row in rows}


def _under(under, field: str) -> Q:
    """Rows of `under`'s subtree (a dashboard's unit filter); all rows without one."""
    return Q(**{f"{field}__startswith": under.path}) if under is not None else Q()


def trace_to_source(user, start: date, end: date, under=None) -> list[TraceFigures]:
    """Per unit complained about, for bank-at-fault complaints closed in the period (within `under`'s subtree
    when given)."""
    require(user, P.VIEW)
    since, until = _period(start, end)
    on_time = Q(rectification_link__item__status=RectificationStatus.VERIFIED,
                rectification_link__item__verified_at__date__lte=F("rectification_link__item__due_on"))
    rows = (Complaint.objects.filter(scope_q(user, P.VIEW, "unit_path"), _under(under, "unit_path"),
                                     status=Status.CLOSED, closure_code__code=BANK_AT_FAULT, closed_at__gte=since,
                                     closed_at__lt=until)
            .values("unit_id", "unit__name")
            .annotate(total=Count("id"), with_item=Count("rectification_link"),
                      on_time=Count("rectification_link", filter=on_time)).order_by("unit__name"))
    repeats = _repeats(user, since, until, under)
    return [TraceFigures(row["unit_id"], row["unit__name"], row["total"], row["with_item"], row["on_time"],
                         repeats.get(row["unit_id"], 0)) for row in rows]
