"""Writes of the service star of the month (服务之星): open an outlet's round for a month, enter each
staff member's four scores (the total and the ranking follow from the weights in the rule settings),
publish the top places and tell the winners."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, rules
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.core.permissions import require_in_scope
from bankdesk.quality import inputs
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.awards import scoring
from bankdesk.quality.models import RoundStatus, StarEntry, StarRound
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ranking import ranks


def current_weights() -> scoring.StarWeights:
    return scoring.StarWeights(
        team=Decimal(rules.get("quality.service_star.weight_team")),
        operations=Decimal(rules.get("quality.service_star.weight_operations")),
        lobby=Decimal(rules.get("quality.service_star.weight_lobby")),
        customers=Decimal(rules.get("quality.service_star.weight_customers")))


def _weights() -> scoring.StarWeights:
    weights = current_weights()
    if weights.total <= 0:
        raise ValidationFailed(_("The service-star weights add up to 0: an administrator must set them first."),
                               field="weights")
    return weights


@transaction.atomic
def open_round(actor, *, unit, month) -> StarRound:
    """The outlet's round for the month: the one already open, or a new one."""
    unit = inputs.unit_in_scope(actor, P.AWARD, unit)
    month = inputs.month_start(month)
    star_round, created = StarRound.objects.get_or_create(
        unit=unit, month=month, defaults={"unit_path": unit.path, "created_by": actor,
                                          "weights": current_weights().as_dict()})
    if created:
        audit.record(QualityAction.STAR_ROUND_OPEN, star_round, actor=actor,
                     after={"unit": unit.pk, "month": month})
    return star_round


def _lock_open(actor, star_round: StarRound) -> StarRound:
    star_round = StarRound.objects.select_for_update().select_related("unit").get(pk=star_round.pk)
    require_in_scope(actor, P.AWARD, star_round.unit)
    if star_round.status != RoundStatus.OPEN:
        raise Conflict(_("This round has been published and can no longer change."))
    return star_round


def _rank(star_round: StarRound, weights: scoring.StarWeights) -> None:
    """Recompute every total with `weights` and rank the round again."""
    entries = list(star_round.entries.all())
    for entry in entries:
        entry.total = scoring.total(scoring.StarScores(entry.team_score, entry.operations_score, entry.lobby_score,
                                                       entry.customer_score), weights)
    ranking = ranks({entry.pk: entry.total for entry in entries})
    for entry in entries:
        entry.rank = ranking[entry.pk]
    StarEntry.objects.bulk_update(entries, ["total", "rank"])
    star_round.weights = weights.as_dict()
    star_round.save(update_fields=["weights"])


@transaction.atomic
def set_scores(actor, star_round: StarRound, *, staff, team_score, operations_score, lobby_score, customer_score,
               customer_forms: int = 0) -> StarEntry:
    """Enter or correct one staff member's four scores; the round's totals and ranks follow."""
    star_round = _lock_open(actor, star_round)
    staff = inputs.staff_of(star_round.unit, staff)
    if staff is None:
        raise ValidationFailed(_("Choose the staff member."), field="staff")
    if customer_forms is None or customer_forms < 0 or customer_forms > 100000:
        raise ValidationFailed(_("Enter the number of customer forms, from 0."), field="customer_forms")
    scores = {"team_score": inputs.score(team_score, "team_score"),
              "operations_score": inputs.score(operations_score, "operations_score"),
              "lobby_score": inputs.score(lobby_score, "lobby_score"),
              "customer_score": inputs.score(customer_score, "customer_score")}
    weights = _weights()
    entry = StarEntry.objects.filter(round=star_round, staff=staff).first()
    before = None if entry is None else audit.snapshot(entry, [*scores, "customer_forms", "total"])
    entry = entry or StarEntry(round=star_round, staff=staff)
    for field, value in scores.items():
        setattr(entry, field, value)
    entry.customer_forms, entry.total = customer_forms, Decimal(0)
    entry.save()
    _rank(star_round, weights)
    entry.refresh_from_db()
    audit.record(QualityAction.STAR_SCORE, star_round, actor=actor, before=before,
                 after={"staff": staff.pk, **audit.snapshot(entry, [*scores, "customer_forms", "total", "rank"])})
    return entry


@transaction.atomic
def publish_round(actor, star_round: StarRound) -> StarRound:
    """Freeze the round with the weights of now, and tell the staff in the published places."""
    star_round = _lock_open(actor, star_round)
    if not star_round.entries.exists():
        raise ValidationFailed(_("Enter the scores of at least one staff member first."), field="entries")
    _rank(star_round, _weights())
    star_round.status, star_round.published_by, star_round.published_at = RoundStatus.PUBLISHED, actor, timezone.now()
    star_round.save(update_fields=["status", "published_by", "published_at"])
    places = rules.get("quality.service_star.published_places")
    winners = list(star_round.entries.filter(rank__lte=places).values_list("staff_id", "rank"))
    for staff_id, rank in winners:
        notify([staff_id], kind="quality.service_star", obj=star_round, link=reverse("quality:star_round", kwargs={"round_id": star_round.pk}),
               text=_("You are service star no. %(rank)d of %(unit)s for %(month)s. Congratulations!")
               % {"rank": rank, "unit": star_round.unit.name, "month": f"{star_round.month:%Y-%m}"})
    audit.record(QualityAction.STAR_PUBLISH, star_round, actor=actor,
                 after={"weights": star_round.weights, "winners": [staff_id for staff_id, _rank in winners]})
    return star_round
