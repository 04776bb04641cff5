"""Pages of quality monitoring: evaluations, calibration sessions, QA trends (the scorecard editor is
in design_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.permissions import has_permission, scope_q
from bankdesk.core.web import call_service, page_of, report
from bankdesk.orgs.models import OrgUnit
from bankdesk.scorecards import briefing as briefings
from bankdesk.scorecards import evaluations, selectors
from bankdesk.scorecards.forms import (
    BriefingForm, CalibrationForm, EvaluationFilterForm, EvaluationStartForm, ScoringForm, TrendForm, VoidForm)
from bankdesk.scorecards.models import CalibrationStatus
from bankdesk.scorecards.permissions import QaPermission, rights_for

LIST_PAGE_SIZE = 25
DEFAULT_MONTHS = 12


def _units(user, permission):
    return OrgUnit.objects.filter(scope_q(user, permission, "path"), is_active=True)


def _filters(form, dataclass, default_sort: str):
    data = form.cleaned_data if form.is_valid() else {}
    values = {key: value for key, value in data.items() if value not in (None, "") and key in dataclass.__annotations__}
    return dataclass(**{"sort": default_sort, **values})


def evaluation_filters(user, data):
    """The evaluation list's filter form and filters for a query string's values (the page's and its export's)."""
    form = EvaluationFilterForm(data or None)
    return form, _filters(form, selectors.EvaluationFilter, "-created")


def calibration_filters(user, data):
    status = data.get("status", "")
    return None, status if status in CalibrationStatus.values else ""


@login_required
def evaluation_list(request):
    form, filters = evaluation_filters(request.user, request.GET)
    page = page_of(request, selectors.evaluation_list(request.user, filters), size=LIST_PAGE_SIZE)
    return render(request, "scorecards/evaluation_list.html", {
        "form": form, "page": page, "sort": filters.sort,
        "can_evaluate": has_permission(request.user, QaPermission.EVALUATE),
        "can_export": has_permission(request.user, QaPermission.VIEW)})


def _subject(user, form, permission: str) -> dict:
    """The subject named on a form: staff and complaint looked up, a complaint outside the user's units refused."""
    data = form.cleaned_data
    staff = selectors.find_staff(data["staff"])
    if data["staff"].strip() and staff is None:
        raise ValidationFailed(_("Choose a staff member of your units."), field="staff")
    complaint = selectors.find_complaint(data["complaint"])
    if data["complaint"].strip() and (complaint is None or not has_permission(user, permission, complaint.unit)):
        raise ValidationFailed(_("No complaint with this tracking number in your units."), field="complaint")
    return {"staff": staff, "complaint": complaint, "unit": data["unit"], "call_id": data["call_id"],
            "recording_ref": data["recording_ref"], "occurred_at": data["occurred_at"]}


def _start(user, form):
    version = form.cleaned_data["version"]
    subject = _subject(user, form, rights_for(version.scorecard.kind).evaluate)
    return evaluations.start_evaluation(user, version, **subject)


@login_required
def evaluation_start(request):
    form = EvaluationStartForm(request.POST or request.GET or None, versions=selectors.scorable_versions(request.user),
                               units=_units(request.user, QaPermission.EVALUATE))
    if request.method == "POST" and form.is_valid():
        evaluation = call_service(form, lambda: _start(request.user, form))
        if evaluation:
            return redirect("scorecards:evaluation_score", evaluation_id=evaluation.pk)
    return render(request, "scorecards/evaluation_start.html", {"form": form})


@login_required
def evaluation_detail(request, evaluation_id):
    evaluation = selectors.evaluation(request.user, evaluation_id)
    rights = rights_for(evaluation.kind)
    may_void = evaluation.status != "voided" and has_permission(request.user, rights.evaluate, evaluation.unit) and (
        evaluation.evaluator_id == request.user.pk or has_permission(request.user, rights.manage, evaluation.unit))
    return render(request, "scorecards/evaluation_detail.html", {
        "evaluation": evaluation, "sheet": selectors.score_sheet(evaluation),
        "may_score": evaluation.is_draft and evaluation.evaluator_id == request.user.pk,
        "void_form": VoidForm() if may_void else None})


@login_required
def evaluation_score(request, evaluation_id):
    evaluation = selectors.evaluation(request.user, evaluation_id)
    if not evaluation.is_draft or evaluation.evaluator_id != request.user.pk:
        return redirect("scorecards:evaluation", evaluation_id=evaluation.pk)
    sheet = selectors.score_sheet(evaluation)
    form = ScoringForm(request.POST or None, sheet=sheet, initial={"comment": evaluation.comment})
    if request.method == "POST" and form.is_valid():
        answers = form.answers([line.item.pk for section in sheet for line in section.lines])
        submit = "submit" in request.POST
        service = evaluations.submit_evaluation if submit else evaluations.save_scores
        if call_service(form, lambda: service(request.user, evaluation, answers, comment=form.cleaned_data["comment"]),
                        conflict_on_form=True):
            messages.success(request, _("The evaluation is submitted.") if submit else _("The scores are saved."))
            return redirect("scorecards:evaluation" if submit else "scorecards:evaluation_score",
                            evaluation_id=evaluation.pk)
    return render(request, "scorecards/evaluation_score.html", {
        "evaluation": evaluation, "form": form,
        "sections": [(part.section, [(line, form[f"item_{line.item.pk}"], form[f"item_{line.item.pk}_comment"])
                                     for line in part.lines]) for part in sheet]})


@login_required
@require_POST
def evaluation_void(request, evaluation_id):
    evaluation = selectors.evaluation(request.user, evaluation_id)
    form = VoidForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    report(request, lambda: evaluations.void_evaluation(request.user, evaluation, reason),
           _("The evaluation is voided."))
    return redirect("scorecards:evaluation", evaluation_id=evaluation.pk)


@login_required
def calibration_list(request):
    _form, status = calibration_filters(request.user, request.GET)
    found = selectors.calibrations(request.user, status=status)
    return render(request, "scorecards/calibration_list.html", {
        "page": page_of(request, found.order_by("-created_at", "-id"), size=LIST_PAGE_SIZE), "status": status,
        "statuses": CalibrationStatus.choices, "can_calibrate": has_permission(request.user, QaPermission.CALIBRATE)})


def _create_calibration(user, form):
    version = form.cleaned_data["version"]
    subject = _subject(user, form, rights_for(version.scorecard.kind).calibrate)
    return evaluations.create_calibration(user, version, title=form.cleaned_data["title"], **subject)


@login_required
def calibration_create(request):
    form = CalibrationForm(request.POST or None, versions=selectors.scorable_versions(request.user),
                           units=_units(request.user, QaPermission.CALIBRATE))
    if request.method == "POST" and form.is_valid():
        session = call_service(form, lambda: _create_calibration(request.user, form))
        if session:
            return redirect("scorecards:calibration", session_id=session.pk)
    return render(request, "scorecards/calibration_form.html", {"form": form})


@login_required
def calibration_detail(request, session_id):
    session = selectors.calibration(request.user, session_id)
    rights = rights_for(session.version.scorecard.kind)
    mine = session.evaluations.filter(evaluator=request.user).exclude(status="voided").first()
    return render(request, "scorecards/calibration_detail.html", {
        "session": session, "spread": selectors.calibration_spread(session), "mine": mine,
        "may_join": session.status == CalibrationStatus.OPEN and mine is None
        and has_permission(request.user, rights.evaluate, session.unit),
        "may_close": session.status == CalibrationStatus.OPEN
        and has_permission(request.user, rights.calibrate, session.unit)})


@login_required
@require_POST
def calibration_join(request, session_id):
    session = selectors.calibration(request.user, session_id)
    evaluation = report(request, lambda: evaluations.start_evaluation(request.user, None, calibration=session),
                        _("Score the call; your scores are compared with the others' once submitted."))
    if evaluation is None:
        return redirect("scorecards:calibration", session_id=session.pk)
    return redirect("scorecards:evaluation_score", evaluation_id=evaluation.pk)


@login_required
@require_POST
def calibration_close(request, session_id):
    session = selectors.calibration(request.user, session_id)
    report(request, lambda: evaluations.close_calibration(request.user, session), _("The session is closed."))
    return redirect("scorecards:calibration", session_id=session.pk)


def trend_filters(user, data) -> tuple[TrendForm, selectors.TrendFilter, str]:
    """The trends page's form, filter and staff sort for a query string's values (the page's and its export's)."""
    form = TrendForm(data or None, units=_units(user, QaPermission.VIEW), teams=selectors.teams(user))
    values = form.cleaned_data if form.is_valid() else {}
    unit = values.get("unit")
    team = values.get("team")
    filters = selectors.trend_filter(user, staff=values.get("staff", ""), unit_path=unit.path if unit else "",
                                     team=team.pk if team else None, kind=values.get("kind", ""),
                                     months=values.get("months") or DEFAULT_MONTHS)
    return form, filters, values.get("sort") or "-average"


def _chart(trend) -> dict:
    return {"months": [row["month"].strftime("%Y-%m") for row in trend],
            "average": [None if row["average"] is None else float(row["average"]) for row in trend],
            "count": [row["count"] for row in trend], "fatal": [row["fatal"] for row in trend],
            "labels": {"average": _("Average score"), "count": _("Evaluations"), "fatal": _("Fatal items failed")}}


def _trend_context(request, filters: selectors.TrendFilter) -> dict:
    trend = selectors.monthly_trend(request.user, filters, timezone.localdate())
    return {"staff": filters.staff, "trend": trend, "chart": _chart(trend)}


@login_required
def trends(request):
    """Average scores per month for a staff member, a unit or a team, and per staff member of the period."""
    may_choose = has_permission(request.user, QaPermission.VIEW)
    form, filters, sort = trend_filters(request.user, request.GET)
    today = timezone.localdate()
    by_staff = may_choose and not filters.staff
    return render(request, "scorecards/trends.html", {
        **_trend_context(request, filters), "form": form if may_choose else None, "sort": sort,
        "page": page_of(request, selectors.staff_results(request.user, filters, today, sort), size=LIST_PAGE_SIZE)
        if by_staff else None,
        "teams": list(selectors.team_results(request.user, filters, today)) if by_staff and not filters.team else None})


@login_required
def my_results(request):
    """A staff member's own results: the trend and their evaluations."""
    filters = selectors.TrendFilter(staff=request.user.username, months=DEFAULT_MONTHS)
    mine = selectors.evaluation_list(request.user, selectors.EvaluationFilter(staff=request.user.username,
                                                                              status="submitted"))
    return render(request, "scorecards/trends.html", {
        **_trend_context(request, filters), "own": True, "evaluations": mine[:LIST_PAGE_SIZE]})


@login_required
def briefing(request):
    """The pre-shift briefing: one team's low-scored evaluations, calibration findings, complaints about its agents
    and calls with a problem, of the previous working day or the day chosen."""
    teams = briefings.teams(request.user)
    form = BriefingForm(request.GET or None, teams=teams)
    data = form.cleaned_data if form.is_valid() else {}
    team = data.get("team") or briefings.default_team(request.user, teams)
    if team is not None and not form.is_bound:
        form = BriefingForm(initial={"team": team.pk}, teams=teams)
    day = data.get("day") or briefings.previous_working_day(timezone.localdate())
    form.initial["day"] = day
    return render(request, "scorecards/briefing.html", {
        "form": form, "day": day, "briefing": briefings.briefing(request.user, team.pk, day) if team else None})
