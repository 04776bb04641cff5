"""The workforce pages; thin: selectors read, the calculator computes, services write."""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bankdesk.core import rules
from bankdesk.core.models import JobStatus
from bankdesk.core.permissions import has_permission, require, scope_q
from bankdesk.core.web import call_service, page_of, report
from bankdesk.workforce import calculator, planning, rostering, selectors, services
from bankdesk.workforce.forms import (
    AbsenceFilterForm,
    AbsenceForm,
    CalculatorForm,
    ForecastForm,
    ListFilterForm,
    RosterForm,
    ShiftForm,
)
from bankdesk.workforce.models import ForecastRun, RosterStatus
from bankdesk.workforce.permissions import WorkforcePermission as P

# --- Erlang calculator -----------------------------------------------------------------------------------------

WHAT_IF = range(-2, 4)  # agents around the answer shown in the table beside it


def _calculator_defaults() -> dict:
    return {"model": "c", "interval_minutes": 30, "target_seconds": rules.get("callcenter.service_level_seconds"),
            "target_percent": rules.get("callcenter.service_level_percent"),
            "shrinkage_percent": rules.get("workforce.shrinkage_percent"),
            "max_occupancy_percent": rules.get("workforce.max_occupancy_percent")}


def _question(data: dict, agents=None) -> calculator.Question:
    occupancy = data.get("max_occupancy_percent")
    return calculator.Question(
        calls=data["calls"], interval_minutes=data["interval_minutes"], aht_seconds=data["aht_seconds"],
        target_seconds=data["target_seconds"], target_service_level=data["target_percent"] / 100,
        agents=agents if agents is not None else data.get("agents"), shrinkage=data["shrinkage_percent"] / 100,
        max_occupancy=occupancy / 100 if occupancy else None, patience_seconds=data.get("patience_seconds"))


def _answer(user, data: dict, agents=None) -> dict:
    compute = calculator.erlang_a if data["model"] == "a" else calculator.erlang_c
    return compute(user, _question(data, agents))


@require_GET
def calculator_page(request):
    form = CalculatorForm(request.GET if "calls" in request.GET else None, initial=_calculator_defaults())
    answer, what_if = None, []
    if form.is_bound and form.is_valid():
        answer = call_service(form, lambda: _answer(request.user, form.cleaned_data))
        if answer:
            what_if = [_answer(request.user, form.cleaned_data, n) for n in
                       (answer["agents"] + step for step in WHAT_IF) if n >= 1]
    return render(request, "workforce/calculator.html", {"form": form, "answer": answer, "what_if": what_if})


# --- Forecasts -------------------------------------------------------------------------------------------------

def _list_filters(user, data, statuses) -> tuple[ListFilterForm, selectors.ListFilter]:
    form = ListFilterForm(data or None, queues=selectors.queues(user), statuses=statuses)
    values = form.cleaned_data if form.is_valid() else {}
    queue = values.get("queue")
    return form, selectors.ListFilter(queue.pk if queue else None, values.get("status") or "", data.get("sort", ""))


def forecast_filters(user, data):
    """The forecast list's filter form and filters for a query string's values (the page's and its export's)."""
    return _list_filters(user, data, JobStatus.choices)


def roster_filters(user, data):
    return _list_filters(user, data, RosterStatus.choices)


@require_GET
def forecast_list(request):
    form, filters = forecast_filters(request.user, request.GET)
    return render(request, "workforce/forecast_list.html", {
        "form": form, "page": page_of(request, selectors.forecasts(request.user, filters)),
        "may_plan": bool(selectors.queues(request.user, P.PLAN).exists())})


@require_http_methods(["GET", "POST"])
def forecast_create(request):
    require(request.user, P.PLAN)
    form = ForecastForm(request.POST or None, queues=selectors.queues(request.user, P.PLAN))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = call_service(form, lambda: planning.request_forecast(request.user, data["queue"], data["first_day"],
                                                                  data["days"]))
        if run is not None:
            messages.success(request, _("The forecast is being made in the background."))
            return redirect("workforce:forecast", run_id=run.pk)
    return render(request, "workforce/forecast_form.html", {"form": form})


def _forecast_chart(run: ForecastRun) -> dict:
    rows = list(selectors.intervals(run).values_list("starts_at", "calls", "agents", "scheduled_agents"))
    return {
        "labels": [timezone.localtime(starts_at).strftime("%m-%d %H:%M") for starts_at, *_rest in rows],
        "calls": [round(calls, 1) for _s, calls, _a, _r in rows],
        "agents": [agents for *_rest, agents, _r in rows],
        "scheduled": [scheduled for *_rest, scheduled in rows],
        "names": {"calls": _("Contacts forecast"), "agents": _("Agents on the phones"),
                  "scheduled": _("Agents to roster")},
    }


@require_GET
def forecast_detail(request, run_id):
    run = selectors.forecast(request.user, run_id)
    context = {"run": run, "status_url": reverse("workforce:forecast", args=[run.pk])}
    if request.htmx:
        return render(request, "workforce/_forecast_status.html", context)
    if run.status == JobStatus.SUCCEEDED:
        day = parse_date(request.GET.get("day", "")) or run.first_day
        context.update(chart=_forecast_chart(run), days=selectors.daily_requirement(run), day=day,
                       day_intervals=selectors.intervals(run, day), may_plan=selectors.may_plan(request.user, run.unit))
    return render(request, "workforce/forecast_detail.html", context)


# --- Rosters ---------------------------------------------------------------------------------------------------

@require_GET
def roster_list(request):
    form, filters = roster_filters(request.user, request.GET)
    return render(request, "workforce/roster_list.html", {
        "form": form, "page": page_of(request, selectors.rosters(request.user, filters)),
        "may_plan": bool(selectors.queues(request.user, P.PLAN).exists())})


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@require_http_methods(["GET", "POST"])
def roster_create(request):
    require(request.user, P.PLAN)
    forecasts = selectors.successful_forecasts(request.user).filter(scope_q(request.user, P.PLAN, "unit__path"))
    initial = {"forecast": request.GET.get("forecast"), "week_start": _next_monday()}
    form = RosterForm(request.POST or None, forecasts=forecasts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        roster = call_service(form, lambda: rostering.request_roster(request.user, data["forecast"],
                                                                    data["week_start"]))
        if roster is not None:
            messages.success(request, _("The roster is being solved in the background."))
            return redirect("workforce:roster", roster_id=roster.pk)
    return render(request, "workforce/roster_form.html", {"form": form})


def _coverage_chart(coverage: selectors.Coverage, week_start: date) -> dict:
    per_day = coverage.required.shape[1]
    labels = [f"{(week_start + timedelta(days=day)):%m-%d} {slot * coverage.interval_minutes // 60:02d}:"
              f"{slot * coverage.interval_minutes % 60:02d}" for day in range(7) for slot in range(per_day)]
    return {"labels": labels, "required": coverage.required.reshape(-1).tolist(),
            "covered": [round(value, 2) for value in coverage.covered.reshape(-1).tolist()],
            "names": {"required": _("Agents required"), "covered": _("Agents rostered on the phones")}}


def _shift_grid(roster) -> tuple[list[date], list[dict]]:
    days = [roster.week_start + timedelta(days=n) for n in range(7)]
    rows = {}
    for shift in selectors.roster_shifts(roster):
        row = rows.setdefault(shift.agent_id, {"agent": shift.agent, "days": [[] for _day in days], "hours": 0.0})
        row["days"][(timezone.localdate(shift.starts_at) - roster.week_start).days].append(shift)
        if shift.is_active:
            row["hours"] += ((shift.ends_at - shift.starts_at).total_seconds() / 60 - shift.lunch_minutes) / 60
    return days, list(rows.values())


@require_GET
def roster_detail(request, roster_id):
    roster = selectors.roster(request.user, roster_id)
    context = {"roster": roster, "status_url": reverse("workforce:roster", args=[roster.pk]),
               "may_plan": selectors.may_plan(request.user, roster.unit)}
    if request.htmx:
        return render(request, "workforce/_roster_status.html", context)
    if roster.status in (RosterStatus.DRAFT, RosterStatus.PUBLISHED):
        coverage = selectors.coverage(roster)
        days, grid = _shift_grid(roster)
        context.update(coverage=coverage, chart=_coverage_chart(coverage, roster.week_start), days=days, grid=grid,
                       shortfalls=selectors.contract_shortfalls(roster))
    return render(request, "workforce/roster_detail.html", context)


@require_POST
def roster_publish(request, roster_id):
    roster = selectors.roster(request.user, roster_id)
    report(request, lambda: services.publish_roster(request.user, roster),
           _("Published: the agents see their shifts."))
    return redirect("workforce:roster", roster_id=roster.pk)


def _shift_input(data: dict) -> services.ShiftInput:
    return services.ShiftInput(data["agent"], data["starts_at"], data["ends_at"], data.get("lunch_starts_at"),
                               data.get("lunch_minutes") or 0)


@require_http_methods(["GET", "POST"])
def shift_add(request, roster_id):
    roster = selectors.roster(request.user, roster_id)
    require(request.user, P.PLAN)
    form = ShiftForm(request.POST or None, agents=rostering.roster_agents(roster.queue),
                     initial={"starts_at": f"{roster.week_start}T09:00", "ends_at": f"{roster.week_start}T18:00"})
    if request.method == "POST" and form.is_valid():
        shift = call_service(form, lambda: services.add_shift(request.user, roster, _shift_input(form.cleaned_data)),
                             conflict_on_form=True)
        if shift is not None:
            messages.success(request, _("Shift added."))
            return redirect("workforce:roster", roster_id=roster.pk)
    return render(request, "workforce/shift_form.html", {"form": form, "roster": roster})


def _shift_initial(shift) -> dict:
    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else None

    return {"agent": shift.agent_id, "starts_at": local(shift.starts_at), "ends_at": local(shift.ends_at),
            "lunch_starts_at": local(shift.lunch_starts_at), "lunch_minutes": shift.lunch_minutes,
            "version": shift.version}


@require_http_methods(["GET", "POST"])
def shift_edit(request, shift_id):
    shift = selectors.shift(request.user, shift_id)
    require(request.user, P.PLAN)
    form = ShiftForm(request.POST or None, agents=rostering.roster_agents(shift.roster.queue),
                     initial=_shift_initial(shift))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or shift.version
        changed = call_service(form, lambda: services.change_shift(
            request.user, shift, _shift_input(form.cleaned_data), version), conflict_on_form=True)
        if changed is not None:
            messages.success(request, _("Shift changed."))
            return redirect("workforce:roster", roster_id=shift.roster_id)
    return render(request, "workforce/shift_form.html", {"form": form, "roster": shift.roster, "shift": shift})


@require_POST
def shift_cancel(request, shift_id):
    shift = selectors.shift(request.user, shift_id)
    posted = request.POST.get("version", "")
    version = int(posted) if posted.isdigit() else shift.version
    report(request, lambda: services.cancel_shift(request.user, shift, version), _("Shift cancelled."))
    return redirect("workforce:roster", roster_id=shift.roster_id)


# --- An agent's own schedule -----------------------------------------------------------------------------------

@require_GET
def my_schedule(request):
    today = timezone.localdate()
    first = today - timedelta(days=today.weekday())
    shifts = list(selectors.own_shifts(request.user, first, days=28))
    weeks = [{"start": first + timedelta(days=7 * week),
              "shifts": [shift for shift in shifts
                         if 0 <= (timezone.localdate(shift.starts_at) - first).days - 7 * week < 7]}
             for week in range(4)]
    return render(request, "workforce/my_schedule.html", {"weeks": weeks, "today": today})


# --- Absences (leave and unavailability) ---------------------------------------------------------------------------

def _planned_agents(user, current=None):
    """Active agents of teams at units where the user plans (and the absence's own agent when editing)."""
    from bankdesk.callcenter.models import Agent

    agents = Agent.objects.filter(scope_q(user, P.PLAN, "team__unit__path"))
    agents = agents.filter(Q(is_active=True) | Q(pk=current.pk)) if current else agents.filter(is_active=True)
    return agents.select_related("user").order_by("agent_code")


def absence_filters(user, data):
    from bankdesk.callcenter.models import Team

    teams = Team.objects.filter(scope_q(user, P.VIEW, "unit__path")).order_by("code")
    form = AbsenceFilterForm(data or None, teams=teams)
    return form, selectors.AbsenceFilter(**form.values())


@require_GET
def absence_list(request):
    form, filters = absence_filters(request.user, request.GET)
    return render(request, "workforce/absence_list.html", {
        "form": form, "page": page_of(request, selectors.absences(request.user, filters), size=50),
        "sort": filters.sort, "may_plan": has_permission(request.user, P.PLAN)})


@require_http_methods(["GET", "POST"])
def absence_edit(request, absence_id=None):
    absence = selectors.absence(request.user, absence_id) if absence_id else None
    require(request.user, P.PLAN)
    initial = {"agent": absence.agent, "kind": absence.kind, "first_day": absence.first_day,
               "last_day": absence.last_day, "note": absence.note, "is_active": absence.is_active} if absence else None
    form = AbsenceForm(request.POST or None, initial=initial,
                       agents=_planned_agents(request.user, absence.agent if absence else None))
    if request.method == "POST" and form.is_valid():
        data = services.AbsenceInput(**form.cleaned_data)
        saved = call_service(form, lambda: services.update_absence(request.user, absence, data) if absence
                             else services.create_absence(request.user, data))
        if saved is not None:
            messages.success(request, _("The absence is saved; rosters solved from now on keep the agent off."))
            return redirect("workforce:absences")
    return render(request, "workforce/absence_form.html", {"form": form, "absence": absence},
                  status=400 if form.errors else 200)
