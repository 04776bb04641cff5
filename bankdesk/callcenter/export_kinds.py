"""The skill, team and agent lists and the standard scripts as background exports (core/exports.py): each list
page's own filters and scoped selector, under the columns the page shows (a script with its text)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.callcenter import desk_views, scripts, selectors, views
from bankdesk.callcenter.permissions import CallcenterPermission as P
from bankdesk.core import exports
from bankdesk.core.exports import Column, local


def _active(item) -> str:
    return gettext("Yes") if item.is_active else gettext("No (deactivated)")


SKILL_COLUMNS = [
    Column(_("Code"), lambda skill: skill.code),
    Column(_("Name"), lambda skill: skill.name),
    Column(_("Active agents"), lambda skill: skill.active_agents),
    Column(_("Active"), _active),
]
TEAM_COLUMNS = [
    Column(_("Code"), lambda team: team.code),
    Column(_("Name"), lambda team: team.name),
    Column(_("Unit"), lambda team: team.unit.name),
    Column(_("Team leader"), lambda team: str(team.leader) if team.leader_id else ""),
    Column(_("Active agents"), lambda team: team.active_agents),
    Column(_("Active"), _active),
]
AGENT_COLUMNS = [
    Column(_("Agent ID"), lambda agent: agent.agent_code),
    Column(_("Name"), lambda agent: str(agent.user)),
    Column(_("User name"), lambda agent: agent.user.username),
    Column(_("Team"), lambda agent: agent.team.name),
    Column(_("Skills (level)"), lambda agent: ", ".join(
        f"{row.skill.name} ({row.level})" for row in agent.agent_skills.all())),
    Column(_("Active"), _active),
    Column(_("Changed at"), lambda agent: local(agent.updated_at)),
]
SCRIPT_COLUMNS = [
    Column(_("Call reason"), lambda script: script.reason.name),
    Column(_("Title"), lambda script: script.title),
    Column(_("Written for"), lambda script: script.unit.name),
    Column(_("Script"), lambda script: script.body),
]

KINDS = [
    exports.list_kind("callcenter.skills", _("Skills"), P.VIEW, "skills", views.skill_filters, selectors.skills,
                      SKILL_COLUMNS),
    exports.list_kind("callcenter.teams", _("Teams"), P.VIEW, "teams", views.team_filters, selectors.teams,
                      TEAM_COLUMNS),
    exports.list_kind("callcenter.agents", _("Agents"), P.VIEW, "agents", views.agent_filters, selectors.agents,
                      AGENT_COLUMNS),
    exports.list_kind("callcenter.scripts", _("Standard scripts"), P.VIEW, "scripts", desk_views.script_filters,
                      lambda user, filters: scripts.scripts(user, reason=filters.get("reason")).order_by(
                          "reason__name", "title", "id"), SCRIPT_COLUMNS),
]
