"""Reads of the service-star rounds, limited to the units where the user holds quality.view."""

from django.db.models import Prefetch

from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import require, scope_q
from bankdesk.quality.models import StarEntry, StarRound
from bankdesk.quality.permissions import QualityPermission as P


def rounds(user, unit=None):
    require(user, P.VIEW)
    found = StarRound.objects.filter(scope_q(user, P.VIEW, "unit_path")).select_related("unit")
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("-month", "unit_path")


def star_round(user, pk: int) -> StarRound:
    entries = Prefetch("entries", StarEntry.objects.select_related("staff").order_by("rank", "staff__username"))
    found = rounds(user).prefetch_related(entries).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found

