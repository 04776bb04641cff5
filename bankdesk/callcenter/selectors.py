"""Reads of the call-center app, each limited to the user's scope."""

from django.db.models import Q

from bankdesk.callcenter.models import Agent, IntervalImport, Team
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import require, scope_q


def interval_imports(user):
    """The imports the user uploaded, and those of uploaders whose home unit lies in the user's scope."""
    require(user, CallcenterPermission.IMPORT_STATS)
    return IntervalImport.objects.select_related("created_by").filter(
        Q(created_by=user) | scope_q(user, CallcenterPermission.IMPORT_STATS, "created_by__home_unit__path"))


def interval_import(user, job_id: int) -> IntervalImport:
    job = interval_imports(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


def teams(user):
    require(user, CallcenterPermission.VIEW)
    return Team.objects.filter(scope_q(user, CallcenterPermission.VIEW, "unit__path")).select_related("unit", "leader")


def agents(user, *, team: int | None = None, active_only: bool = False):
    """The agents of the teams the user sees, with their user, team and skills (three queries a page)."""
    require(user, CallcenterPermission.VIEW)
    found = (Agent.objects.filter(scope_q(user, CallcenterPermission.VIEW, "team__unit__path"))
             .select_related("user", "team").prefetch_related("agent_skills__skill"))
    if team:
        found = found.filter(team_id=team)
    if active_only:
        found = found.filter(is_active=True)
    return found
