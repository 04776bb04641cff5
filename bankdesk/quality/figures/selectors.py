"""Reads of the monthly outlet figures and their imports, limited to the user's units."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import require, scope_q
from bankdesk.orgs.models import CustomerCount
from bankdesk.quality.models import EvaluatorTally, FiguresImport
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.registers.selectors import in_subtree


@dataclass
class FiguresFilter:
    unit: object = None
    month_from: date | None = None
    month_to: date | None = None


def _figures(user, model, filters: FiguresFilter):
    require(user, P.VIEW)
    rows = model.objects.filter(scope_q(user, P.VIEW, "unit_path"))
    if filters.unit is not None:
        rows = rows.filter(in_subtree("unit_path", filters.unit))
    if filters.month_from:
        rows = rows.filter(month__gte=filters.month_from.replace(day=1))
    if filters.month_to:
        rows = rows.filter(month__lte=filters.month_to)
    return rows.select_related("unit", "updated_by").order_by("-month", "unit_path")


def customer_counts(user, filters: FiguresFilter):
    return _figures(user, CustomerCount, filters)


def evaluator_tallies(user, filters: FiguresFilter):
    return _figures(user, EvaluatorTally, filters)


def imports(user):
    """The imports the user uploaded, and those of uploaders whose home unit lies in the user's scope."""
    require(user, P.MANAGE_FIGURES)
    return FiguresImport.objects.select_related("created_by").filter(
        Q(created_by=user) | scope_q(user, P.MANAGE_FIGURES, "created_by__home_unit__path"))


def figures_import(user, job_id: int) -> FiguresImport:
    job = imports(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job
