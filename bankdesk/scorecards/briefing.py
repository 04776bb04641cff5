"""The pre-shift briefing (班前会): one call-center team's errors and QA findings of one day, for the team
leader to go through with the agents before the shift (seed 002: "pre-shift meetings reviewing yesterday's
errors").

What it gathers, each in one indexed query over the team's agents:
- evaluations submitted that day (calibration aside) that failed a fatal item or scored low (below the
  scorecard's pass mark, or below `qa.briefing_low_score` where the scorecard has none), with the items that
  lost points or carry a comment;
- calibration sessions closed that day that apply to the team (at its unit, above it or inside it): the
  inspectors' spread in total and the items on which they lay apart;
- complaints about the team's agents registered that day (their category and cause, never the customer);
- the calls about complaints the agents logged at the desk that day where something was wrong: the complaint
  was overdue, or the customer had already called about it before.

Who sees a team's briefing: a holder of qa.briefing over the team's unit who is its leader or one of its
agents, or who also reads QA results there (qa.view: the call center's head, the inspectors). An agent sees
their own name and their colleagues' findings without names; the leader and the supervisors see every name.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from bankdesk.callcenter.models import Agent, Team
from bankdesk.complaints.models import CallerEnquiry, Complaint, DeadlineState
from bankdesk.core import calendar, rules
from bankdesk.core.calendar import day_start
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission, require, scope_q
from bankdesk.core.tree import PATH_SEGMENT_WIDTH, next_path
from bankdesk.scorecards import scoring
from bankdesk.scorecards.models import (
    CalibrationSession, CalibrationStatus, Evaluation, EvaluationStatus, ItemScore)
from bankdesk.scorecards.permissions import QaPermission

LOOK_BACK_DAYS = 31  # how far back the previous working day is sought (a holiday week is far shorter)


def previous_working_day(today: date) -> date:
    """The working day before `today` (the day a Monday's briefing looks at is the Friday before)."""
    held = calendar.load()
    for back in range(1, LOOK_BACK_DAYS + 1):
        if held.is_working_day(today - timedelta(days=back)):
            return today - timedelta(days=back)
    return today - timedelta(days=1)


def teams(user):
    """The active teams whose briefing the user may read."""
    require(user, QaPermission.BRIEFING)
    own = Q(leader=user) | Q(pk__in=Agent.objects.filter(user=user, is_active=True).values("team"))
    return (Team.objects.filter(scope_q(user, QaPermission.BRIEFING, "unit__path"), is_active=True)
            .filter(own | scope_q(user, QaPermission.VIEW, "unit__path")).select_related("unit").order_by("code"))


def default_team(user, found) -> Team | None:
    """The user's own team (as agent, then as leader), else the first they may read."""
    found = list(found)
    agent_team = Agent.objects.filter(user=user, is_active=True).values_list("team_id", flat=True).first()
    return (next((team for team in found if team.pk == agent_team), None)
            or next((team for team in found if team.leader_id == user.pk), None)
            or (found[0] if found else None))


@dataclass
class ItemFinding:
    text: str
    is_fatal: bool
    points: Decimal | None  # None: not applicable
    max_points: Decimal
    comment: str


@dataclass
class EvaluationFinding:
    evaluation: Evaluation
    staff_name: str  # empty: a colleague, not named to this reader
    may_open: bool
    items: list[ItemFinding] = field(default_factory=list)


@dataclass
class ItemSpread:
    text: str
    max_points: Decimal
    minimum: Decimal
    maximum: Decimal
    std_dev: Decimal
    comments: list[str]


@dataclass
class CalibrationFinding:
    session: CalibrationSession
    inspectors: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    std_dev: Decimal | None = None
    apart: list[ItemSpread] = field(default_factory=list)


@dataclass
class CallFinding:
    call: CallerEnquiry
    staff_name: str
    overdue: bool
    calls: int  # the customer's calls about the complaint so far


@dataclass
class Briefing:
    team: Team
    day: date
    names_shown: bool
    evaluations: list[EvaluationFinding]
    calibrations: list[CalibrationFinding]
    complaints: list[dict]
    calls: list[CallFinding]
    calls_logged: int
    low_score: Decimal


def briefing(user, team_id: int, day: date) -> Briefing:
    team = teams(user).filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    start, end = day_start(day), day_start(day + timedelta(days=1))
    members = Agent.objects.filter(team=team).values("user")
    supervisor = has_permission(user, QaPermission.VIEW, team.unit)
    names_shown = supervisor or team.leader_id == user.pk

    def name(staff_id, display) -> str:
        return display if names_shown or staff_id == user.pk else ""

    low_score = rules.get("qa.briefing_low_score")
    return Briefing(
        team=team, day=day, names_shown=names_shown, low_score=low_score,
        evaluations=_evaluations(user, members, start, end, low_score, name, supervisor),
        calibrations=_calibrations(team, members, start, end),
        complaints=[{**row, "staff_name": name(row["staff_concerned_id"], row["staff_concerned__display_name"])}
                    for row in _complaints(members, start, end)],
        **_calls(members, start, end, name))


def _evaluations(user, members, start: datetime, end: datetime, low_score: Decimal, name, supervisor: bool):
    low = Q(fatal_failed=True) | Q(passed=False) | Q(passed__isnull=True, score__lt=low_score)
    found = list(Evaluation.objects.filter(staff__in=members, status=EvaluationStatus.SUBMITTED,
                                           submitted_at__gte=start, submitted_at__lt=end, calibration__isnull=True)
                 .filter(low).select_related("staff", "version__scorecard", "evaluator")
                 .annotate(complaint_number=F("complaint__tracking_number"))
                 .order_by("-fatal_failed", "score", "submitted_at", "id"))
    findings = {evaluation.pk: EvaluationFinding(
        evaluation, name(evaluation.staff_id, str(evaluation.staff)),
        may_open=supervisor or evaluation.staff_id == user.pk) for evaluation in found}
    if findings:
        lost = (ItemScore.objects.filter(evaluation__in=list(findings))
                .filter(Q(points__lt=F("item__max_points")) | ~Q(comment=""))
                .values("evaluation_id", "item__text", "item__is_fatal", "item__max_points", "points", "comment")
                .order_by("evaluation_id", "item__section__position", "item__position", "item_id"))
        for row in lost:
            findings[row["evaluation_id"]].items.append(ItemFinding(
                row["item__text"], row["item__is_fatal"], row["points"], row["item__max_points"], row["comment"]))
    return list(findings.values())


def _at_or_above(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)]


def _calibrations(team: Team, members, start: datetime, end: datetime) -> list[CalibrationFinding]:
    """Sessions closed that day at the team's unit, above it or inside it, or about one of its agents."""
    path = team.unit.path
    where = Q(unit_path__in=_at_or_above(path)) | Q(unit_path__gte=path, unit_path__lt=next_path(path)) \
        | Q(staff__in=members)
    sessions = {session.pk: CalibrationFinding(session) for session in CalibrationSession.objects.filter(
        where, status=CalibrationStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .select_related("version__scorecard").order_by("closed_at", "id")}
    if not sessions:
        return []
    totals: dict[int, dict[int, Decimal]] = {}
    items: dict[tuple[int, int], dict] = {}
    for row in (ItemScore.objects.filter(evaluation__calibration__in=list(sessions),
                                         evaluation__status=EvaluationStatus.SUBMITTED)
                .values("evaluation_id", "evaluation__calibration_id", "evaluation__score", "item_id", "item__text",
                        "item__max_points", "points", "comment")
                .order_by("item__section__position", "item__position", "item_id", "evaluation_id")):
        session = row["evaluation__calibration_id"]
        totals.setdefault(session, {})[row["evaluation_id"]] = row["evaluation__score"]
        item = items.setdefault((session, row["item_id"]), {
            "text": row["item__text"], "max": row["item__max_points"], "points": [], "comments": []})
        if row["points"] is not None:
            item["points"].append(row["points"])
        if row["comment"]:
            item["comments"].append(row["comment"])
    tolerance = rules.get("qa.calibration_tolerance_points")
    for (session, _item), item in items.items():
        if len(item["points"]) > 1:
            spread = statistics.pstdev(item["points"]).quantize(scoring.CENT)
            if spread * scoring.HUNDRED / item["max"] > tolerance:
                sessions[session].apart.append(ItemSpread(item["text"], item["max"], min(item["points"]),
                                                          max(item["points"]), spread, item["comments"]))
    for session, scores in totals.items():
        given = [score for score in scores.values() if score is not None]
        finding = sessions[session]
        finding.inspectors = len(scores)
        if given:
            finding.minimum, finding.maximum = min(given), max(given)
            finding.std_dev = statistics.pstdev(given).quantize(scoring.CENT)
    return list(sessions.values())


def _complaints(members, start: datetime, end: datetime) -> list[dict]:
    """The complaints about the team's agents registered that day: what they are about, never who complained."""
    return list(Complaint.objects.filter(staff_concerned__in=members, registered_at__gte=start, registered_at__lt=end)
                .values("id", "tracking_number", "staff_concerned_id", "staff_concerned__display_name",
                        "business_category__name", "cause__name", "severity", "status", "registered_at")
                .order_by("registered_at", "id"))


def _calls(members, start: datetime, end: datetime, name) -> dict:
    """The day's calls logged by the team's agents, and those of them where something was wrong."""
    calls_so_far = (CallerEnquiry.objects.filter(complaint=OuterRef("complaint"), created_at__lte=OuterRef("created_at"))
                    .values("complaint").annotate(count=Count("id")).values("count"))
    logged = list(CallerEnquiry.objects.filter(staff__in=members, created_at__gte=start, created_at__lt=end)
                  .select_related("staff")
                  .annotate(number=F("complaint__tracking_number"), complaint_status=F("complaint__status"),
                            deadline=F("complaint__current_deadline"), state=F("complaint__deadline_state"),
                            so_far=Coalesce(Subquery(calls_so_far), 1))
                  .order_by("created_at", "id"))
    found = []
    for call in logged:
        overdue = call.state == DeadlineState.OVERDUE or (call.deadline is not None and call.deadline < call.created_at)
        if overdue or call.so_far > 1:
            found.append(CallFinding(call, name(call.staff_id, str(call.staff)), overdue, call.so_far))
    return {"calls": found, "calls_logged": len(logged)}
