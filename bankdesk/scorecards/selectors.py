"""Reads of quality monitoring, always limited to what the user may see.

A scorecard is seen by the holders of its kind's rights at its unit, above it (it applies to them)
or inside it. An evaluation is seen by holders of its kind's view right over its unit, by the
inspector who scores it, and, once submitted, by the staff member evaluated (qa.view_own);
calibration evaluations count in no one's results and show only inside their session.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.permissions import has_permission, scope_paths, scope_q
from bankdesk.core.tree import PATH_SEGMENT_WIDTH, next_path
from bankdesk.scorecards import scoring
from bankdesk.scorecards.models import Evaluation, EvaluationStatus, Scorecard, ScorecardVersion
from bankdesk.scorecards.permissions import KIND_RIGHTS, QaPermission, kinds_by_permission

NOTHING = Q(pk__in=[])


def _ancestors(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)]


def _applying_q(user, permission: str) -> Q:
    """Scorecards whose unit is at, above or inside a unit where the user holds `permission`."""
    condition = NOTHING
    for root in scope_paths(user, permission):
        condition |= Q(unit_path__in=_ancestors(root)) | Q(unit_path__gte=root, unit_path__lt=next_path(root))
    return condition


def scorecards_q(user) -> Q:
    condition = NOTHING
    for attribute in ("view", "evaluate", "manage"):
        for permission, kinds in kinds_by_permission(attribute).items():
            condition |= Q(kind__in=kinds) & _applying_q(user, permission)
    return condition


def may_see_scorecards(user) -> bool:
    return any(has_permission(user, getattr(rights, attribute)) for rights in set(KIND_RIGHTS.values())
               for attribute in ("view", "evaluate", "manage"))


def scorecards(user, *, kind: str = "", active_only: bool = False):
    if not may_see_scorecards(user):
        raise PermissionDenied
    found = Scorecard.objects.filter(scorecards_q(user)).select_related("unit")
    if kind:
        found = found.filter(kind=kind)
    if active_only:
        found = found.filter(is_active=True)
    return found


def scorecard(user, pk: int) -> Scorecard:
    found = scorecards(user).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def version(user, pk: int) -> ScorecardVersion:
    found = (ScorecardVersion.objects.filter(pk=pk, scorecard__in=scorecards(user))
             .select_related("scorecard__unit").first())
    if found is None:
        raise NotFound
    return found


def evaluations_q(user) -> Q:
    condition = Q(evaluator=user)
    for permission, kinds in kinds_by_permission("view").items():
        condition |= Q(kind__in=kinds) & scope_q(user, permission, "unit_path")
    if has_permission(user, QaPermission.VIEW_OWN):
        condition |= Q(staff=user, status=EvaluationStatus.SUBMITTED, calibration__isnull=True)
    return condition


def evaluations(user):
    """Every evaluation the user may see (filter and sort them with `evaluation_list`)."""
    return Evaluation.objects.filter(evaluations_q(user))


def evaluation(user, pk: int) -> Evaluation:
    found = (evaluations(user).filter(pk=pk)
             .select_related("version__scorecard", "unit", "staff", "evaluator", "complaint", "calibration").first())
    if found is None:
        raise NotFound
    return found


@dataclass(frozen=True)
class SheetLine:
    item: object
    score: object  # the ItemScore, None while unanswered


@dataclass(frozen=True)
class SheetSection:
    section: object
    lines: list[SheetLine]
    score: Decimal | None  # out of 100


def score_sheet(evaluation: Evaluation) -> list[SheetSection]:
    """The version's sections and items with this evaluation's answers and section scores."""
    sections = list(evaluation.version.sections.prefetch_related("items"))
    scores = {score.item_id: score for score in evaluation.scores.all()}
    result = scoring.compute(scoring.answers_of(sections, scores))
    return [SheetSection(section, [SheetLine(item, scores.get(item.pk)) for item in section.items.all()], score)
            for section, score in zip(sections, result.section_scores)]
