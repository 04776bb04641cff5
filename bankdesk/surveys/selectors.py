"""Reads of the surveys app, always limited to the user's scope (a campaign belongs to its owning unit)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from bankdesk.core.errors import NotFound
from bankdesk.core.pagination import ordering
from bankdesk.core.permissions import require, scope_q
from bankdesk.surveys import complaint_calls
from bankdesk.surveys.models import (
    OPEN_STATES,
    REACHED_OUTCOMES,
    Answer,
    Attempt,
    Campaign,
    CampaignKind,
    CampaignStatus,
    ListImport,
    Outcome,
    QuestionKind,
    Questionnaire,
    Target,
    TargetState,
)
from bankdesk.surveys.permissions import SurveyPermission


def visible_campaigns(user, permission: str = SurveyPermission.VIEW_SURVEYS):
    require(user, permission)
    return Campaign.objects.filter(scope_q(user, permission, "unit_path"))


@dataclass
class CampaignFilter:
    status: str = ""
    kind: str = ""
    text: str = ""
    sort: str = "-created"


CAMPAIGN_SORTS = {"created": ("created_at", "id"), "name": ("name", "id"), "targets": ("target_count", "id")}


def campaign_list(user, filters: CampaignFilter):
    found = visible_campaigns(user).select_related("unit", "questionnaire_version__questionnaire")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.text:
        found = found.filter(name__contains=filters.text)
    return found.order_by(*ordering(filters.sort, CAMPAIGN_SORTS, "-created"))


def campaign_detail(user, campaign_id: int, permission: str = SurveyPermission.VIEW_SURVEYS) -> Campaign:
    campaign = visible_campaigns(user, permission).select_related(
        "unit", "source_unit", "created_by", "questionnaire_version__questionnaire").filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_summary(campaign: Campaign) -> dict:
    """The targets by state and the reach and completion rates, in one aggregate query."""
    counts = Target.objects.filter(campaign=campaign).aggregate(
        total=Count("id"),
        waiting=Count("id", filter=Q(state=TargetState.WAITING)),
        claimed=Count("id", filter=Q(state=TargetState.CLAIMED)),
        completed=Count("id", filter=Q(state=TargetState.COMPLETED)),
        closed=Count("id", filter=Q(state=TargetState.CLOSED)),
        called=Count("id", filter=Q(attempts__gt=0)),
        reached=Count("id", filter=Q(state=TargetState.COMPLETED) | Q(last_outcome__in=REACHED_OUTCOMES)),
    )
    total = counts["total"]
    counts["reach_rate"] = _rate(counts["reached"], total)
    counts["completion_rate"] = _rate(counts["completed"], total)
    return counts


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


TARGET_SORTS = {"id": ("id",), "due": ("due_at", "id"), "attempts": ("attempts", "id")}


def target_list(campaign: Campaign, state: str = "", sort: str = "id"):
    found = Target.objects.filter(campaign=campaign).select_related("claimed_by").only(
        "id", "name", "phone", "source_reference", "state", "due_at", "best_time", "attempts", "last_outcome",
        "claimed_by__username", "claimed_by__display_name")
    if state:
        found = found.filter(state=state)
    return found.order_by(*ordering(sort, TARGET_SORTS, "id"))


def workable_campaigns(user):
    """The active campaigns the user may call for."""
    return visible_campaigns(user, SurveyPermission.INTERVIEW).filter(status=CampaignStatus.ACTIVE)


def due_targets(user, campaign_ids: list[int], now: datetime):
    """The open targets of `campaign_ids` due by `now`, earliest first; complaint callbacks only where the
    user may make them (complaints' rules of scope and recusal)."""
    kinds = dict(Campaign.objects.filter(pk__in=campaign_ids).values_list("id", "kind"))
    callbacks = [pk for pk, kind in kinds.items() if kind == CampaignKind.COMPLAINT_CALLBACK]
    surveys = [pk for pk in kinds if pk not in callbacks]
    reachable = Q(campaign_id__in=surveys)
    if callbacks:
        reachable |= Q(campaign_id__in=callbacks) & complaint_calls.callable_by(user)
    return Target.objects.filter(reachable, state__in=OPEN_STATES, due_at__lte=now).order_by("due_at", "id")


def current_claim(user) -> Target | None:
    """The target the interviewer holds now, if any (after a page reload)."""
    return (Target.objects.filter(claimed_by=user, state=TargetState.CLAIMED, claim_expires_at__gt=timezone.now())
            .select_related("campaign", "campaign__questionnaire_version", "complaint").first())


def queue_size(user) -> int:
    ids = list(workable_campaigns(user).values_list("id", flat=True))
    return due_targets(user, ids, timezone.now()).count() if ids else 0


def target_history(target: Target):
    return target.attempt_records.select_related("interviewer")


GRAINS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


@dataclass
class ResultFilter:
    start: date
    end: date
    grain: str = "day"
    campaign_id: int | None = None


def _attempts_in(user, filters: ResultFilter):
    start = timezone.make_aware(datetime.combine(filters.start, time.min))
    end = timezone.make_aware(datetime.combine(filters.end + timedelta(days=1), time.min))
    campaigns = visible_campaigns(user).values("id")
    found = Attempt.objects.filter(campaign_id__in=campaigns, created_at__gte=start, created_at__lt=end)
    return found.filter(campaign_id=filters.campaign_id) if filters.campaign_id else found


def results(user, filters: ResultFilter) -> list[dict]:
    """Calls, customers reached and questionnaires completed per period and team (the interviewer's team
    when calling; none for staff outside the call center's teams), with the rates; one GROUP BY query."""
    period = GRAINS[filters.grain]("created_at", tzinfo=timezone.get_current_timezone())
    rows = (_attempts_in(user, filters).annotate(period=period)
            .values("period", "team_id", "team__name")
            .annotate(calls=Count("id"), reached=Count("id", filter=Q(outcome__in=REACHED_OUTCOMES)),
                      completed=Count("id", filter=Q(outcome=Outcome.COMPLETED)))
            .order_by("period", "team__name"))
    return [{**row, "period": _day(row["period"]), "reach_rate": _rate(row["reached"], row["calls"]),
             "completion_rate": _rate(row["completed"], row["calls"])} for row in rows]


def _day(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def scores(user, filters: ResultFilter) -> list[dict]:
    """The average score of each scale question per period (questionnaires completed in it)."""
    period = GRAINS[filters.grain]("response__completed_at", tzinfo=timezone.get_current_timezone())
    attempts = _attempts_in(user, filters).filter(outcome=Outcome.COMPLETED).values("id")
    rows = (Answer.objects.filter(response__attempt_id__in=attempts, question__kind=QuestionKind.SCALE)
            .annotate(period=period).values("period", "question__text")
            .annotate(average=Avg("score"), answers=Count("id")).order_by("period", "question__text"))
    return [{**row, "period": _day(row["period"]), "average": round(row["average"], 2)} for row in rows]


def questionnaires(user):
    require(user, SurveyPermission.VIEW_SURVEYS)
    return Questionnaire.objects.select_related("created_by")


def questionnaire_detail(user, questionnaire_id: int) -> Questionnaire:
    questionnaire = questionnaires(user).filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise NotFound()
    return questionnaire


def questionnaire_versions(questionnaire: Questionnaire):
    return questionnaire.versions.select_related("created_by").prefetch_related("questions")


def list_imports(campaign: Campaign):
    return ListImport.objects.filter(campaign=campaign).select_related("created_by").defer("errors")


def list_import(user, job_id: int) -> ListImport:
    job = ListImport.objects.filter(
        pk=job_id, campaign__in=visible_campaigns(user, SurveyPermission.MANAGE_SURVEYS).values("id")).select_related(
        "campaign", "created_by").first()
    if job is None:
        raise NotFound()
    return job


def claimed_target(user, target_id: int) -> Target:
    """A target of a campaign the interviewer works (whether the claim still holds is the service's check)."""
    target = (Target.objects.filter(pk=target_id, campaign__in=visible_campaigns(user, SurveyPermission.INTERVIEW)
                                    .values("id"))
              .select_related("campaign", "campaign__questionnaire_version", "complaint").first())
    if target is None:
        raise NotFound()
    return target


def totals(rows: list[dict]) -> dict:
    calls = sum(row["calls"] for row in rows)
    reached = sum(row["reached"] for row in rows)
    completed = sum(row["completed"] for row in rows)
    return {"calls": calls, "reached": reached, "completed": completed, "reach_rate": _rate(reached, calls),
            "completion_rate": _rate(completed, calls)}


def chart_data(rows: list[dict]) -> dict:
    """Questionnaires completed and calls per period, one series per team, for the chart."""
    periods = sorted({row["period"] for row in rows})
    teams: dict[str, dict] = {}
    for row in rows:
        name = row["team__name"] or ""
        series = teams.setdefault(name, {"name": name, "calls": [0] * len(periods), "completed": [0] * len(periods)})
        index = periods.index(row["period"])
        series["calls"][index] += row["calls"]
        series["completed"][index] += row["completed"]
    return {"periods": [period.isoformat() for period in periods], "teams": list(teams.values())}
