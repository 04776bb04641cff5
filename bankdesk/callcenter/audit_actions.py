"""The audit actions of the call-center app, with what they are called on screen.

Queues and call reasons are editable tables (config.py): their actions come with the tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallcenterAction(models.TextChoices):
    SKILL_CREATE = "callcenter.skill.create", _("Skill added")
    SKILL_UPDATE = "callcenter.skill.update", _("Skill changed")
    TEAM_CREATE = "callcenter.team.create", _("Team created")
    TEAM_UPDATE = "callcenter.team.update", _("Team changed")
    AGENT_CREATE = "callcenter.agent.create", _("Agent created")
    AGENT_UPDATE = "callcenter.agent.update", _("Agent changed")
    STATS_IMPORT = "callcenter.stats.import", _("ACD statistics imported")
    STATS_IMPORT_FAIL = "callcenter.stats.import_fail", _("ACD statistics import refused")
    SCRIPT_CREATE = "callcenter.script.create", _("Standard script written")
    SCRIPT_UPDATE = "callcenter.script.update", _("Standard script changed")
    # Before their pages, skills and teams were editable tables: their past events keep a name on screen.
    SKILL_ENTRY_CREATE = "config.callcenter-skills.create", _("Skill added")
    SKILL_ENTRY_UPDATE = "config.callcenter-skills.update", _("Skill changed")
    TEAM_ENTRY_CREATE = "config.callcenter-teams.create", _("Team created")
    TEAM_ENTRY_UPDATE = "config.callcenter-teams.update", _("Team changed")
