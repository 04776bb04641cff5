"""Reads of quality monitoring, always limited to what the user may see.

A scorecard is seen by the holders of its kind's rights at its unit, above it (it applies to them)
or inside it. An evaluation is seen by holders of its kind's view right over its unit, by the
inspector who scores it, and, once submitted, by the staff member evaluated (qa.view_own);
calibration evaluations count in no one's results and show only inside their session.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth

from bankdesk.callcenter.models import Team
from bankdesk.complaints.models import Complaint
from bankdesk.core import rules
from bankdesk.core.calendar import day_start
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import has_permission, scope_paths, scope_q
from bankdesk.core.tree import PATH_SEGMENT_WIDTH, next_path
from bankdesk.orgs.models import User
from bankdesk.scorecards import scoring
from bankdesk.scorecards.models import (
    CalibrationSession, Evaluation, EvaluationStatus, Item, ItemScore, Scorecard, ScorecardVersion, Section,
    VersionStatus)
from bankdesk.scorecards.permissions import KIND_RIGHTS, QaPermission, kinds_by_permission

NOTHING = Q(pk__in=[])


def _ancestors(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)]


def _applying_q(user, permission: str, path_field: str = "unit_path") -> Q:
    """Scorecards whose unit is at, above or inside a unit where the user holds `permission`."""
    condition = NOTHING
    for root in scope_paths(user, permission):
        condition |= (Q(**{f"{path_field}__in": _ancestors(root)})
                      | Q(**{f"{path_field}__gte": root, f"{path_field}__lt": next_path(root)}))
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


def section(user, pk: int) -> Section:
    found = Section.objects.filter(pk=pk, version__scorecard__in=scorecards(user)).select_related(
        "version__scorecard__unit").first()
    if found is None:
        raise NotFound
    return found


def item(user, pk: int) -> Item:
    found = Item.objects.filter(pk=pk, section__version__scorecard__in=scorecards(user)).select_related(
        "section__version__scorecard__unit").first()
    if found is None:
        raise NotFound
    return found


def find_staff(text: str) -> User | None:
    """A member of staff by user name or staff number (the services check they are in the user's units)."""
    return User.objects.filter(is_active=True).filter(staff_q(text.strip(), prefix="")).select_related(
        "home_unit").first() if text.strip() else None


def find_complaint(text: str) -> Complaint | None:
    """A complaint by its tracking number (the services check it is in the user's units)."""
    return Complaint.objects.filter(tracking_number=text.strip()).select_related("unit").first() \
        if text.strip() else None


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
    found = (evaluations(user).filter(pk=pk).select_related("version__scorecard", "unit", "staff", "evaluator", "calibration")
             .annotate(complaint_number=F("complaint__tracking_number")).first())
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


EVALUATION_SORTS = {"created": ("created_at", "id"), "submitted": ("submitted_at", "id"), "score": ("score", "id"),
                    "staff": ("staff__username", "id"), "scorecard": ("version__scorecard__code", "id")}


@dataclass
class EvaluationFilter:
    kind: str = ""
    status: str = ""
    scorecard: int | None = None
    staff: str = ""  # user name or staff number
    mine: bool = False  # scored by the user
    call_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    fatal_only: bool = False
    result: str = ""  # "passed" / "failed"
    calibration: int | None = None  # a session's evaluations; otherwise none of any session
    sort: str = "-created"


def staff_q(text: str, prefix: str = "staff__") -> Q:
    return Q(**{f"{prefix}username": text}) | Q(**{f"{prefix}staff_number": text})


def evaluation_list(user, filters: EvaluationFilter):
    found = evaluations(user).filter(calibration_id=filters.calibration) if filters.calibration \
        else evaluations(user).filter(calibration__isnull=True)
    exact = {"kind": filters.kind, "status": filters.status, "version__scorecard_id": filters.scorecard,
             "call_id": filters.call_id.strip(), "evaluator": user if filters.mine else None,
             "fatal_failed": True if filters.fatal_only else None,
             "passed": {"passed": True, "failed": False}.get(filters.result)}
    found = found.filter(**{key: value for key, value in exact.items() if value not in ("", None)})
    if filters.staff.strip():
        found = found.filter(staff_q(filters.staff.strip()))
    if filters.date_from:
        found = found.filter(created_at__gte=day_start(filters.date_from))
    if filters.date_to:
        found = found.filter(created_at__lt=day_start(filters.date_to + timedelta(days=1)))
    return (found.select_related("version__scorecard", "staff", "evaluator", "unit")
            .annotate(complaint_number=F("complaint__tracking_number"))
            .order_by(*ordering(filters.sort, EVALUATION_SORTS, "-created")))


def scorable_versions(user, kinds=None):
    """The published versions of the scorecards in use that the user may score on."""
    condition = NOTHING
    for permission, guarded in kinds_by_permission("evaluate").items():
        condition |= Q(scorecard__kind__in=guarded) & _applying_q(user, permission, "scorecard__unit_path")
    found = ScorecardVersion.objects.filter(condition, status=VersionStatus.PUBLISHED, scorecard__is_active=True)
    if kinds:
        found = found.filter(scorecard__kind__in=kinds)
    return found.select_related("scorecard").order_by("scorecard__kind", "scorecard__code")


def calibrations_q(user) -> Q:
    condition = NOTHING
    for attribute in ("view", "evaluate", "calibrate"):
        for permission, kinds in kinds_by_permission(attribute).items():
            condition |= Q(version__scorecard__kind__in=kinds) & scope_q(user, permission, "unit_path")
    return condition


def calibrations(user, *, status: str = ""):
    found = CalibrationSession.objects.filter(calibrations_q(user))
    if status:
        found = found.filter(status=status)
    return (found.select_related("version__scorecard", "staff", "created_by", "unit")
            .annotate(complaint_number=F("complaint__tracking_number"), scored=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.SUBMITTED))))


def calibration(user, pk: int) -> CalibrationSession:
    found = calibrations(user).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


@dataclass
class SpreadRow:
    """One item's (or the total's) points given by each inspector and how far they lie apart."""

    label: str
    max_points: Decimal
    values: list  # per inspector, None for not applicable
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    std_dev: Decimal | None = None
    apart: bool = False


@dataclass
class Spread:
    inspectors: list
    sections: list = field(default_factory=list)  # (section, [SpreadRow])
    total: SpreadRow | None = None
    tolerance: Decimal = Decimal(0)


def _spread_row(label: str, max_points: Decimal, values: list, tolerance: Decimal) -> SpreadRow:
    """Population standard deviation: the spread of the inspectors who scored, not an estimate."""
    given = [value for value in values if value is not None]
    row = SpreadRow(label, max_points, values)
    if given:
        row.minimum, row.maximum = min(given), max(given)
        row.std_dev = statistics.pstdev(given).quantize(scoring.CENT)
        row.apart = row.std_dev * scoring.HUNDRED / max_points > tolerance
    return row


def calibration_spread(session: CalibrationSession) -> Spread:
    """The submitted scores of a session side by side, per item and in total."""
    scored = list(session.evaluations.filter(status=EvaluationStatus.SUBMITTED).select_related("evaluator")
                  .order_by("evaluator__username"))
    points = {(score.evaluation_id, score.item_id): score.points
              for score in ItemScore.objects.filter(evaluation__in=scored)}
    tolerance = rules.get("qa.calibration_tolerance_points")
    spread = Spread(inspectors=[evaluation.evaluator for evaluation in scored], tolerance=tolerance)
    for section in session.version.sections.prefetch_related("items"):
        spread.sections.append((section, [
            _spread_row(item.text, item.max_points, [points.get((e.pk, item.pk)) for e in scored], tolerance)
            for item in section.items.all()]))
    spread.total = _spread_row("", scoring.HUNDRED, [evaluation.score for evaluation in scored], tolerance)
    return spread


def _month_starts(months: int, today: date) -> list[date]:
    first = today.replace(day=1)
    starts = [first]
    for _step in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    return starts[::-1]


@dataclass
class TrendFilter:
    staff: str = ""  # user name or staff number
    unit_path: str = ""  # a unit's subtree
    team: int | None = None  # a call-center team: its agents' results
    kind: str = ""
    months: int = 12


def trend_filter(user, *, staff: str = "", unit_path: str = "", team: int | None = None, kind: str = "",
                 months: int = 12) -> TrendFilter:
    """What a trend shows: an agent (only their own results) gets their own, whatever they ask."""
    if not has_permission(user, QaPermission.VIEW):
        return TrendFilter(staff=user.username, months=months)
    return TrendFilter(staff=staff.strip(), unit_path=unit_path, team=team, kind=kind, months=months)


def _results(user, filters: TrendFilter, since: date):
    """Submitted evaluations (not calibration) in the user's sight since a date, filtered."""
    found = evaluations(user).filter(status=EvaluationStatus.SUBMITTED, calibration__isnull=True,
                                     submitted_at__gte=day_start(since))
    if filters.staff:
        found = found.filter(staff_q(filters.staff))
    if filters.unit_path:
        found = found.filter(unit_path__gte=filters.unit_path, unit_path__lt=next_path(filters.unit_path))
    if filters.team:
        found = found.filter(staff__callcenter_agent__team_id=filters.team)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    return found


def monthly_trend(user, filters: TrendFilter, today: date) -> list[dict]:
    """Average score, evaluations and fatal failures per month, every month shown (0 where none)."""
    months = _month_starts(filters.months, today)
    rows = (_results(user, filters, months[0]).annotate(month=TruncMonth("submitted_at")).values("month")
            .annotate(average=Avg("score"), count=Count("id"), fatal=Count("id", filter=Q(fatal_failed=True)))
            .order_by("month"))
    by_month = {_as_date(row["month"]): row for row in rows}
    return [{"month": month, "count": by_month.get(month, {}).get("count", 0),
             "fatal": by_month.get(month, {}).get("fatal", 0),
             "average": _cents(by_month.get(month, {}).get("average"))} for month in months]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(scoring.CENT)


TEAM = "staff__callcenter_agent__team"


def team_results(user, filters: TrendFilter, today: date):
    """Per call-center team of the agents evaluated in the period, best average first."""
    since = _month_starts(filters.months, today)[0]
    return (_results(user, filters, since).filter(**{f"{TEAM}__isnull": False})
            .values(TEAM, f"{TEAM}__name")
            .annotate(average=Avg("score"), count=Count("id"), fatal=Count("id", filter=Q(fatal_failed=True)))
            .order_by("-average", f"{TEAM}__name"))


def teams(user):
    """The call-center teams of the units where the user reads QA results."""
    return Team.objects.filter(scope_q(user, QaPermission.VIEW, "unit__path"), is_active=True).order_by("code")


STAFF_SORTS = {"average": ("average", "staff__username"), "count": ("count", "staff__username"),
               "name": ("staff__username",)}


def staff_results(user, filters: TrendFilter, today: date, sort: str = "-average"):
    """Per staff member evaluated in the period: average score, evaluations, fatal failures, passes."""
    since = _month_starts(filters.months, today)[0]
    return (_results(user, filters, since).filter(staff__isnull=False)
            .values("staff", "staff__username", "staff__display_name")
            .annotate(average=Avg("score"), count=Count("id"), fatal=Count("id", filter=Q(fatal_failed=True)),
                      passed=Count("id", filter=Q(passed=True)))
            .order_by(*ordering(sort, STAFF_SORTS, "-average")))


def drafts_count(user) -> int:
    """The evaluations the user has started and not submitted (the menu's badge)."""
    return Evaluation.objects.filter(evaluator=user, status=EvaluationStatus.DRAFT).count()
