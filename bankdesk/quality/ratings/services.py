"""Computing the star ratings of every outlet under a unit for a period (formula.py does the sums).

The figures are read in one grouped query per source (inspections, complaints, customer counts,
commendations, evaluator results), never per outlet. A run is stored with the weights and thresholds
it used and each outlet's components; computing the same period again for an outlet replaces its
rating (the old one is kept, no longer current), so each outlet's history has one rating a period.
"""

from calendar import monthrange
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core import audit, rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.orgs.models import CustomerCount, OrgUnit, UnitKind
from bankdesk.quality import inputs
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.models import (
    Commendation,
    EvaluatorTally,
    OutletRating,
    RatingRun,
)
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ranking import ranks
from bankdesk.quality.ratings import formula
from bankdesk.quality.registers.selectors import in_subtree
from bankdesk.scorecards.models import Evaluation, EvaluationStatus, ScorecardKind

PERIOD_MONTHS = (1, 3, 6, 12)
INSPECTION_KINDS = (ScorecardKind.OUTLET_INSPECTION, ScorecardKind.VIDEO_CHECK)
# Complaints that count against an outlet: not those refused at acceptance or merged into another.
UNCOUNTED_STATUSES = (Status.NOT_ACCEPTED, Status.MERGED)


def current_rules() -> formula.RatingRules:
    return formula.RatingRules(
        weights={"inspection": Decimal(rules.get("quality.rating.weight_inspection")),
                 "mystery": Decimal(rules.get("quality.rating.weight_mystery")),
                 "complaints": Decimal(rules.get("quality.rating.weight_complaints")),
                 "commendations": Decimal(rules.get("quality.rating.weight_commendations")),
                 "evaluator": Decimal(rules.get("quality.rating.weight_evaluator"))},
        complaint_rate_full_marks=rules.get("quality.rating.complaint_rate_full_marks"),
        complaint_rate_zero=rules.get("quality.rating.complaint_rate_zero"),
        commendation_points=Decimal(rules.get("quality.rating.commendation_points")),
        min_components=rules.get("quality.rating.min_components"),
        bands=((5, Decimal(rules.get("quality.rating.five_stars"))), (4, Decimal(rules.get("quality.rating.four_stars"))),
               (3, Decimal(rules.get("quality.rating.three_stars"))), (2, Decimal(rules.get("quality.rating.two_stars"))),
               (1, Decimal(rules.get("quality.rating.one_star")))))


def period_end(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months - 1, 12)
    year, month = start.year + year, month + 1
    return date(year, month, monthrange(year, month)[1])


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The first moment of `start` and of the day after `end`, in the bank's time zone."""
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


def _scores_by_unit(unit: OrgUnit, start: datetime, end: datetime) -> dict:
    """{(unit id, "inspection" | "mystery"): [scores]} of the submitted evaluations of the period."""
    found = defaultdict(list)
    rows = Evaluation.objects.filter(
        in_subtree("unit_path", unit), status=EvaluationStatus.SUBMITTED, calibration__isnull=True,
        kind__in=[*INSPECTION_KINDS, ScorecardKind.MYSTERY_SHOPPING], submitted_at__gte=start, submitted_at__lt=end,
    ).values_list("unit_id", "kind", "score")
    for unit_id, kind, score in rows:
        found[(unit_id, "mystery" if kind == ScorecardKind.MYSTERY_SHOPPING else "inspection")].append(score)
    return found


def _counts(rows, key: str = "unit_id") -> dict:
    return {row[key]: row for row in rows}


def _figures(unit: OrgUnit, start: date, end: date) -> dict:
    """Every source's figures of the outlets under `unit`, by unit id, one grouped query each."""
    first, after = _moments(start, end)
    subtree = in_subtree("unit_path", unit)
    return {
        "scores": _scores_by_unit(unit, first, after),
        "complaints": _counts(Complaint.objects.filter(subtree, received_at__gte=first, received_at__lt=after)
                              .exclude(status__in=UNCOUNTED_STATUSES).values("unit_id").annotate(n=Count("id"))),
        "customers": _counts(CustomerCount.objects.filter(subtree, month__gte=start, month__lte=end)
                             .values("unit_id").annotate(total=Sum("customers"), n=Count("id"))),
        "commendations": _counts(Commendation.objects.filter(subtree, received_on__gte=start, received_on__lte=end,
                                                             is_void=False).values("unit_id").annotate(n=Count("id"))),
        "evaluator": _counts(EvaluatorTally.objects.filter(subtree, month__gte=start, month__lte=end)
                             .values("unit_id").annotate(responses=Sum("responses"), satisfied=Sum("satisfied"))),
    }


def inputs_for(unit_id: int, figures: dict, months: int) -> formula.RatingInputs:
    customers = figures["customers"].get(unit_id)
    evaluator = figures["evaluator"].get(unit_id, {})
    return formula.RatingInputs(
        months=months,
        inspection_scores=tuple(figures["scores"].get((unit_id, "inspection"), ())),
        mystery_scores=tuple(figures["scores"].get((unit_id, "mystery"), ())),
        complaints=figures["complaints"].get(unit_id, {}).get("n", 0),
        customers=(Decimal(customers["total"]) / customers["n"]).quantize(Decimal(1)) if customers else None,
        commendations=figures["commendations"].get(unit_id, {}).get("n", 0),
        evaluator_responses=evaluator.get("responses") or 0, evaluator_satisfied=evaluator.get("satisfied") or 0)


def _period(start: date | None, months: int) -> tuple[date, date]:
    start = inputs.month_start(start, "period_start")
    if months not in PERIOD_MONTHS:
        raise ValidationFailed(_("Choose a period of 1, 3, 6 or 12 months."), field="months")
    return start, period_end(start, months)


@transaction.atomic
def compute_ratings(actor, *, unit, period_start: date, months: int) -> RatingRun:
    """Rate every open outlet under `unit` for the `months` from `period_start`."""
    unit = inputs.unit_in_scope(actor, P.RATE, unit)
    start, end = _period(period_start, months)
    outlets = list(OrgUnit.objects.subtree(unit).filter(kind=UnitKind.OUTLET, is_active=True))
    if not outlets:
        raise ValidationFailed(_("There is no outlet under this unit."), field="unit")
    rating_rules = current_rules()
    figures = _figures(unit, start, end)
    RatingRun.objects.filter(unit=unit, period_start=start, period_end=end, is_current=True).update(is_current=False)
    OutletRating.objects.filter(unit__in=outlets, period_start=start, period_end=end, is_current=True).update(
        is_current=False)
    run = RatingRun.objects.create(unit=unit, unit_path=unit.path, period_start=start, period_end=end,
                                   parameters=rating_rules.as_dict(), computed_by=actor)
    results = {outlet: formula.compute(inputs_for(outlet.pk, figures, months), rating_rules) for outlet in outlets}
    places = ranks({outlet.pk: result.score for outlet, result in results.items() if result.rated})
    OutletRating.objects.bulk_create([
        OutletRating(run=run, unit=outlet, unit_path=outlet.path, period_start=start, period_end=end,
                     score=result.score, stars=result.stars, rank=places.get(outlet.pk),
                     components=[component.as_dict() for component in result.components])
        for outlet, result in results.items()])
    audit.record(QualityAction.RATING_COMPUTE, run, actor=actor,
                 after={"period_start": start, "period_end": end, "outlets": len(outlets), "rated": len(places),
                        "parameters": run.parameters})
    return run
