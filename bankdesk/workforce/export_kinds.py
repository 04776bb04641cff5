"""The forecast, roster and absence lists as background exports (core/exports.py): each list page's own filters
and scoped selector, under the columns the page shows."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column, local
from bankdesk.workforce import selectors, views
from bankdesk.workforce.models import RosterStatus
from bankdesk.workforce.permissions import WorkforcePermission as P
from bankdesk.workforce.templatetags.workforce import hours


def _day(value) -> str:
    return value.isoformat() if value else ""


def _solved_hours(roster, minutes) -> str:
    """Agent-minutes as hours once the roster is solved (the page leaves them blank before, and for a failure)."""
    return hours(minutes) if roster.finished_at and roster.status != RosterStatus.FAILED else ""


FORECAST_COLUMNS = [
    Column(_("Requested at"), lambda run: local(run.created_at)),
    Column(_("Queue"), lambda run: run.queue.name),
    Column(_("First day"), lambda run: _day(run.first_day)),
    Column(_("Days"), lambda run: run.days),
    Column(_("Status"), lambda run: run.get_status_display()),
    Column(_("Requested by"), lambda run: str(run.created_by)),
]
ROSTER_COLUMNS = [
    Column(_("Week from"), lambda roster: _day(roster.week_start)),
    Column(_("Queue"), lambda roster: roster.queue.name),
    Column(_("Status"), lambda roster: roster.get_status_display()),
    Column(_("Understaffed agent-hours"), lambda roster: _solved_hours(roster, roster.understaffing_minutes)),
    Column(_("Lower bound"), lambda roster: _solved_hours(roster, roster.lower_bound_minutes)),
    Column(_("Requested at"), lambda roster: local(roster.created_at)),
    Column(_("Requested by"), lambda roster: str(roster.created_by)),
]
ABSENCE_COLUMNS = [
    Column(_("Agent"), lambda absence: f"{absence.agent.agent_code} {absence.agent.user}"),
    Column(_("Team"), lambda absence: absence.agent.team.name),
    Column(_("Kind"), lambda absence: absence.get_kind_display()),
    Column(_("First day"), lambda absence: _day(absence.first_day)),
    Column(_("Last day"), lambda absence: _day(absence.last_day)),
    Column(_("Note"), lambda absence: absence.note),
    Column(_("Status"), lambda absence: gettext("In force") if absence.is_active else gettext("Cancelled")),
    Column(_("Changed at"), lambda absence: local(absence.updated_at)),
]

KINDS = [
    exports.list_kind("workforce.forecasts", _("Forecasts and staffing"), P.VIEW, "forecasts", views.forecast_filters,
                      selectors.forecasts, FORECAST_COLUMNS),
    exports.list_kind("workforce.rosters", _("Rosters"), P.VIEW, "rosters", views.roster_filters, selectors.rosters,
                      ROSTER_COLUMNS),
    exports.list_kind("workforce.absences", _("Agents' absences"), P.VIEW, "absences", views.absence_filters,
                      selectors.absences, ABSENCE_COLUMNS),
]
