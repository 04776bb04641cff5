"""The call-center pages; thin: selectors read, services and the import write."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bankdesk.callcenter import acd_import, kpis, selectors, services
from bankdesk.callcenter.forms import (
    AgentFilterForm,
    AgentForm,
    KpiFilterForm,
    SkillFilterForm,
    SkillForm,
    TeamFilterForm,
    TeamForm,
    UploadForm,
)
from bankdesk.callcenter.models import Skill, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core import rules
from bankdesk.core.permissions import covers_whole_bank, has_permission, require, scope_q
from bankdesk.core.web import (
    call_service,
    csv_download,
    import_errors_download,
    import_job_page,
    import_upload_page,
    page_of,
)
from bankdesk.orgs.models import OrgUnit, User

# --- Wallboard and indicators ----------------------------------------------------------------------------------

@require_GET
def wallboard(request):
    boards = kpis.wallboard(request.user)
    context = {"boards": boards, "combined": kpis.combined(boards), "now": timezone.now(),
               "refresh_seconds": rules.get("callcenter.wallboard_refresh_seconds")}
    template = "callcenter/_wallboard.html" if request.htmx else "callcenter/wallboard.html"
    return render(request, template, context)


@require_GET
def kpi_report(request):
    form = KpiFilterForm(request.GET or None, queues=kpis.queues(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    period = filters.get("period") or "day"
    first, last = kpis.default_range(period, timezone.localdate())
    first, last = filters.get("date_from") or first, filters.get("date_to") or last
    found = kpis.intervals(request.user, queue=filters.get("queue"), start=kpis.local_day_start(first),
                           end=kpis.local_day_start(last + timedelta(days=1)))
    rows = kpis.series(found, period)
    return render(request, "callcenter/kpis.html", {
        "form": form, "rows": rows, "total": kpis.totals(found), "period": period, "first": first, "last": last,
        "chart": _chart_data(rows, period, filters.get("queue"))})


def _chart_data(rows, period: str, queue) -> dict:
    label = {"day": "%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m"}[period]
    return {
        "labels": [day.strftime(label) for day, _figures in rows],
        "offered": [figures.offered for _day, figures in rows],
        "answered": [figures.answered for _day, figures in rows],
        "service_level": [_number(figures.service_level) for _day, figures in rows],
        "abandonment_rate": [_number(figures.abandonment_rate) for _day, figures in rows],
        "asa": [_number(figures.average_speed_of_answer) for _day, figures in rows],
        "aht": [_number(figures.average_handle_time) for _day, figures in rows],
        "target": _number(queue.service_level_percent) if queue else None,
        "names": {"offered": _("Calls offered"), "answered": _("Calls answered"),
                  "service_level": _("Service level %"), "abandonment_rate": _("Abandonment %"),
                  "asa": _("Average speed of answer (s)"), "aht": _("Average handle time (s)"),
                  "target": _("Target")},
    }


def _number(value):
    return None if value is None else float(value)


# --- ACD statistics imports ------------------------------------------------------------------------------------

@require_GET
def import_list(request):
    jobs = selectors.interval_imports(request.user).defer("errors")
    return render(request, "callcenter/import_list.html", {"page": page_of(request, jobs)})


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    return import_upload_page(request, UploadForm(request.POST or None, request.FILES or None),
                              acd_import.start_import, acd_import.FILE, "callcenter/import_upload.html",
                              "callcenter:import")


@require_GET
def import_template(request):
    require(request.user, CallcenterPermission.IMPORT_STATS)
    english = request.GET.get("names") == "en"
    return csv_download("acd-interval-template.csv", [acd_import.template_header(english=english)])


@require_GET
def import_detail(request, job_id):
    return import_job_page(request, selectors.interval_import(request.user, job_id), "callcenter:import",
                           "callcenter:import_errors", "callcenter/import_detail.html",
                           "callcenter/_import_status.html")


@require_GET
def import_errors(request, job_id):
    job = selectors.interval_import(request.user, job_id)
    return import_errors_download(job, f"acd-import-{job.pk}-errors.csv")


# --- Teams, agents and skills ------------------------------------------------------------------------------------

LIST_SIZE = 50
MANAGE = CallcenterPermission.MANAGE


def _units(user, permission=CallcenterPermission.VIEW):
    return OrgUnit.objects.filter(scope_q(user, permission, "path"), is_active=True).order_by("path")


def _staff(user):
    """Active members of staff at units where the user manages the call center (agents, team leaders)."""
    return (User.objects.filter(scope_q(user, MANAGE, "home_unit__path"), is_active=True)
            .order_by("username"))


def _edit_page(request, form, save, *, template: str, context: dict, saved: str, list_view: str):
    """The edit pages' one shape: on a valid POST run `save(cleaned_data)` through the service and go back to the
    list; otherwise (or when the service refuses) show the form again, filled, with its errors."""
    if request.method == "POST" and form.is_valid() and call_service(form, lambda: save(form.cleaned_data)):
        messages.success(request, saved)
        return redirect(list_view)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def skill_filters(user, data):
    """The skill list's filter form and filters for a query string's values (the page's and its export's)."""
    form = SkillFilterForm(data or None)
    return form, selectors.SkillFilter(**form.values())


def team_filters(user, data):
    form = TeamFilterForm(data or None, units=_units(user))
    return form, selectors.TeamFilter(**form.values())


def agent_filters(user, data):
    form = AgentFilterForm(data or None, teams=selectors.teams(user), skills=Skill.objects.order_by("code"))
    return form, selectors.AgentFilter(**form.values())


@require_GET
def skill_list(request):
    form, filters = skill_filters(request.user, request.GET)
    return render(request, "callcenter/skill_list.html", {
        "form": form, "page": page_of(request, selectors.skills(request.user, filters), size=LIST_SIZE),
        "sort": filters.sort, "can_manage": covers_whole_bank(request.user, MANAGE)})


@require_http_methods(["GET", "POST"])
def skill_edit(request, skill_id=None):
    skill = selectors.skill(request.user, skill_id) if skill_id else None
    initial = {"code": skill.code, "name": skill.name, "is_active": skill.is_active} if skill else None
    form = SkillForm(request.POST or None, initial=initial)

    def save(data):
        data = services.SkillInput(**data)
        return services.update_skill(request.user, skill, data) if skill else services.create_skill(request.user, data)

    return _edit_page(request, form, save, template="callcenter/skill_form.html", context={"skill": skill},
                      saved=_("The skill is saved."), list_view="callcenter:skills")


@require_GET
def team_list(request):
    form, filters = team_filters(request.user, request.GET)
    return render(request, "callcenter/team_list.html", {
        "form": form, "page": page_of(request, selectors.teams(request.user, filters), size=LIST_SIZE),
        "sort": filters.sort, "can_manage": has_permission(request.user, MANAGE)})


@require_http_methods(["GET", "POST"])
def team_edit(request, team_id=None):
    team = selectors.team(request.user, team_id) if team_id else None
    initial = {"code": team.code, "name": team.name, "unit": team.unit, "leader": team.leader,
               "is_active": team.is_active} if team else None
    form = TeamForm(request.POST or None, initial=initial, units=_units(request.user, MANAGE),
                    users=_staff(request.user))

    def save(data):
        data = services.TeamInput(**data)
        return services.update_team(request.user, team, data) if team else services.create_team(request.user, data)

    return _edit_page(request, form, save, template="callcenter/team_form.html", context={"team": team},
                      saved=_("The team is saved."), list_view="callcenter:teams")


@require_GET
def agent_list(request):
    form, filters = agent_filters(request.user, request.GET)
    return render(request, "callcenter/agent_list.html", {
        "form": form, "page": page_of(request, selectors.agents(request.user, filters), size=LIST_SIZE),
        "sort": filters.sort, "can_manage": has_permission(request.user, MANAGE)})


def _agent_form(request, agent):
    teams = Team.objects.filter(scope_q(request.user, MANAGE, "unit__path"))
    skills = Skill.objects.filter(is_active=True)
    initial = None
    if agent is not None:
        teams = teams.filter(Q(is_active=True) | Q(pk=agent.team_id))
        skills = Skill.objects.filter(Q(is_active=True) | Q(agent_skills__agent=agent)).distinct()
        initial = {"agent_code": agent.agent_code, "team": agent.team, "is_active": agent.is_active,
                   **{f"skill_{row.skill_id}": str(row.level) for row in agent.agent_skills.all()}}
    else:
        teams = teams.filter(is_active=True)
    return AgentForm(request.POST or None, initial=initial, adding=agent is None,
                     users=_staff(request.user).filter(callcenter_agent__isnull=True),
                     teams=teams.order_by("code"), skills=skills.order_by("code"))


@require_http_methods(["GET", "POST"])
def agent_edit(request, agent_id=None):
    agent = selectors.agent(request.user, agent_id) if agent_id else None
    form = _agent_form(request, agent)

    def save(data):
        if agent is None:
            return services.create_agent(request.user, user=data["user"], agent_code=data["agent_code"],
                                         team=data["team"], skills=form.levels())
        return services.update_agent(request.user, agent, agent_code=data["agent_code"], team=data["team"],
                                     is_active=data["is_active"], skills=form.levels())

    return _edit_page(request, form, save, template="callcenter/agent_form.html", context={"agent": agent},
                      saved=_("The agent is saved."), list_view="callcenter:agents")
