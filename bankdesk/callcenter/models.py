"""The call center: teams of agents with their skills, the queues callers wait in, and what the ACD
(automatic call distributor) counted in each interval of each queue.

Other apps read these models (workforce forecasts and rosters from Queue/IntervalStat/Agent/Team, QA
scores an Agent, surveys ask about a Team's calls): they change only by adding.

Scope: a team and a queue belong to a unit of the org tree (the call center or a department of it);
a user sees them when their role reaches that unit. An interval belongs to its queue's unit.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import FileImportJob


def default_service_level_seconds() -> int:
    from bankdesk.core import rules

    return rules.get("callcenter.service_level_seconds")


def default_service_level_percent() -> Decimal:
    from bankdesk.core import rules

    return Decimal(rules.get("callcenter.service_level_percent"))


class Skill(models.Model):
    """What an agent can answer (a product line, a language); a queue asks one skill."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A group of agents under one team leader (班组), the unit of the pre-shift briefing."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="callcenter_teams",
                             verbose_name=_("unit"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="led_callcenter_teams", verbose_name=_("team leader"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Agent(models.Model):
    """A member of staff who answers calls: the user, the ACD login, the team and the skills."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="callcenter_agent",
                                verbose_name=_("user"))
    agent_code = models.CharField(_("agent ID"), max_length=32, unique=True,
                                  help_text=_("The login of the agent on the call distributor (工号)."))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="agents", verbose_name=_("team"))
    skills = models.ManyToManyField(Skill, through="AgentSkill", related_name="agents", verbose_name=_("skills"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["agent_code"]
        indexes = [models.Index(fields=["team", "is_active"])]

    def __str__(self):
        return f"{self.agent_code} {self.user}"

    @property
    def unit(self):
        """The unit the agent's scope and audit trail follow: their team's."""
        return self.team.unit


class AgentSkill(models.Model):
    """An agent's skill with its level (1 learning … 5 expert), as skill-based routing reads it."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="agent_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="agent_skills")
    level = models.PositiveSmallIntegerField(_("level"), default=3,
                                             validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")
        constraints = [models.UniqueConstraint(fields=["agent", "skill"], name="callcenter_unique_agent_skill")]


class Queue(models.Model):
    """A queue callers wait in (one hotline or menu branch), with its service-level target:
    `service_level_percent` of the calls answered within `service_level_seconds` (docs/domain-rules.md §3,
    source 004: 15 s / 80 %)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="callcenter_queues",
                             verbose_name=_("unit"))
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="queues",
                              verbose_name=_("skill"))
    service_level_seconds = models.PositiveSmallIntegerField(
        _("answer within (seconds)"), default=default_service_level_seconds,
        validators=[MinValueValidator(1), MaxValueValidator(600)])
    service_level_percent = models.DecimalField(
        _("service-level target (%)"), max_digits=5, decimal_places=2, default=default_service_level_percent,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))])
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class IntervalImport(FileImportJob):
    """One uploaded file of ACD interval statistics (see callcenter/acd_import.py)."""

    rows_created = models.PositiveIntegerField(_("intervals added"), default=0)
    rows_updated = models.PositiveIntegerField(_("intervals replaced"), default=0)

    class Meta(FileImportJob.Meta):
        verbose_name = _("ACD statistics import")
        verbose_name_plural = _("ACD statistics imports")
        indexes = [models.Index(fields=["created_by", "created_at"])]


class IntervalStat(models.Model):
    """What the ACD counted for one queue in one interval (usually 30 minutes).

    Sums, never averages, so any period's figures are sums divided by sums:
    service level = answered_within_threshold / offered; abandonment = abandoned / offered;
    average speed of answer = answer_wait_seconds / answered; average handle time =
    handle_time_seconds / answered. The agent-state columns are agent-seconds spent in each state
    in the interval on this queue; divided by the interval's length they give the agents in that state.
    """

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="intervals", verbose_name=_("queue"))
    interval_start = models.DateTimeField(_("interval start"))
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    offered = models.PositiveIntegerField(_("calls offered"), default=0)
    answered = models.PositiveIntegerField(_("calls answered"), default=0)
    answered_within_threshold = models.PositiveIntegerField(_("answered within the target time"), default=0)
    abandoned = models.PositiveIntegerField(_("calls abandoned"), default=0)
    handle_time_seconds = models.PositiveBigIntegerField(_("handle time (s)"), default=0)
    answer_wait_seconds = models.PositiveBigIntegerField(_("waiting time of answered calls (s)"), default=0)
    longest_wait_seconds = models.PositiveIntegerField(_("longest wait (s)"), default=0)
    waiting_at_end = models.PositiveIntegerField(_("calls waiting at the end"), default=0)
    staffed_seconds = models.PositiveBigIntegerField(_("staffed (agent-seconds)"), default=0)
    available_seconds = models.PositiveBigIntegerField(_("available (agent-seconds)"), default=0)
    talk_seconds = models.PositiveBigIntegerField(_("talking (agent-seconds)"), default=0)
    wrap_seconds = models.PositiveBigIntegerField(_("after-call work (agent-seconds)"), default=0)
    not_ready_seconds = models.PositiveBigIntegerField(_("not ready (agent-seconds)"), default=0)
    source = models.ForeignKey(IntervalImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("imported from"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interval statistics")
        verbose_name_plural = _("interval statistics")
        ordering = ["queue", "interval_start"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "interval_start"], name="callcenter_unique_queue_interval"),
            models.CheckConstraint(condition=models.Q(answered__lte=models.F("offered")),
                                   name="callcenter_answered_within_offered"),
            models.CheckConstraint(condition=models.Q(answered_within_threshold__lte=models.F("answered")),
                                   name="callcenter_within_threshold_within_answered"),
        ]
        indexes = [models.Index(fields=["interval_start", "queue"], name="callcenter_interval_start")]

    def __str__(self):
        return f"{self.queue_id} {self.interval_start:%Y-%m-%d %H:%M}"


class CallReason(models.Model):
    """Why a customer calls (来电原因), the heading standard scripts are filed under; bank-wide, edited as a table."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("call reason")
        verbose_name_plural = _("call reasons")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Script(models.Model):
    """A standard script (话术) for a call reason, written for a call center (and read by the units below it).

    Its text passes the service-language check whenever it is saved; it is found beside the knowledge library
    (knowledge search indexes it as kind "script")."""

    reason = models.ForeignKey(CallReason, on_delete=models.PROTECT, related_name="scripts",
                               verbose_name=_("call reason"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("script"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("written for"))
    unit_path = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("standard script")
        verbose_name_plural = _("standard scripts")
        ordering = ["reason__sort_order", "title", "id"]
        indexes = [models.Index(fields=["unit_path", "reason"], name="callcenter_script_scope")]

    def __str__(self):
        return self.title
