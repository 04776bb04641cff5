"""Reads of outlet star ratings: the ranking of a period, an outlet's history, one rating's reasons."""

from datetime import date

from django.db.models import F

from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import require, scope_q
from bankdesk.quality.models import OutletRating, RatingRun
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.registers.selectors import in_subtree


def current_ratings(user):
    require(user, P.VIEW)
    return OutletRating.objects.filter(scope_q(user, P.VIEW, "unit_path"), is_current=True)


def periods(user) -> list[tuple[date, date]]:
    """The periods with current ratings the user may see, the latest first."""
    rows = current_ratings(user).values_list("period_start", "period_end").distinct()
    return sorted(set(rows), reverse=True)


def ranking(user, period: tuple[date, date] | None = None, unit=None):
    """The current ratings of a period (the latest when none is given), the best first, unrated last."""
    if period is None:
        known = periods(user)
        if not known:
            return OutletRating.objects.none()
        period = known[0]
    ratings = current_ratings(user).filter(period_start=period[0], period_end=period[1])
    if unit is not None:
        ratings = ratings.filter(in_subtree("unit_path", unit))
    return ratings.select_related("unit", "unit__parent").order_by(F("rank").asc(nulls_last=True), "unit_path")


def history(user, outlet):
    """The outlet's current rating of every period, oldest first (the chart of its stars over time)."""
    return current_ratings(user).filter(unit=outlet).order_by("period_start", "period_end")


def rating(user, pk: int) -> OutletRating:
    require(user, P.VIEW)
    found = OutletRating.objects.filter(scope_q(user, P.VIEW, "unit_path"), pk=pk).select_related(
        "unit", "run__computed_by").first()
    if found is None:
        raise NotFound()
    return found


def runs(user):
    require(user, P.RATE)
    return RatingRun.objects.filter(scope_q(user, P.RATE, "unit_path")).select_related("unit", "computed_by")
