"""The audit actions of the call-center app, with what they are called on screen.

Skills, queues and teams are editable tables (config.py): their actions come with the tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallcenterAction(models.TextChoices):
    AGENT_CREATE = "callcenter.agent.create", _("Agent created")
    AGENT_UPDATE = "callcenter.agent.update", _("Agent changed")
    STATS_IMPORT = "callcenter.stats.import", _("ACD statistics imported")
    STATS_IMPORT_FAIL = "callcenter.stats.import_fail", _("ACD statistics import refused")
    SCRIPT_CREATE = "callcenter.script.create", _("Standard script written")
    SCRIPT_UPDATE = "callcenter.script.update", _("Standard script changed")
