"""Workforce planning: forecasts of offered contacts with their staffing requirement, and weekly rosters.

Scope: a forecast and a roster belong to their queue's unit (`unit`, copied when made); shift templates,
work terms and special days are editable tables limited to a unit or, without one, bank-wide.
"""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import JobStatus

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _in_subtree(unit, inner) -> bool:
    return unit is None or inner.path.startswith(unit.path)


class ShiftTemplate(models.Model):
    """A kind of shift: its length (lunch included), the start times allowed, paid short breaks at fixed
    offsets from the start, and an unpaid lunch the roster places within a window."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"), help_text=_("Empty: the whole bank"))
    length_minutes = models.PositiveSmallIntegerField(
        _("length (minutes, lunch included)"), validators=[MinValueValidator(60), MaxValueValidator(960)])
    earliest_start = models.TimeField(_("earliest start"))
    latest_start = models.TimeField(_("latest start"))
    start_step_minutes = models.PositiveSmallIntegerField(
        _("start every (minutes)"), default=30, validators=[MinValueValidator(15), MaxValueValidator(240)])
    lunch_minutes = models.PositiveSmallIntegerField(
        _("lunch (minutes)"), default=0, validators=[MaxValueValidator(120)])
    lunch_earliest_minutes = models.PositiveSmallIntegerField(
        _("lunch starts at the earliest (minutes after the start)"), default=0)
    lunch_latest_minutes = models.PositiveSmallIntegerField(
        _("lunch starts at the latest (minutes after the start)"), default=0)
    break_minutes = models.PositiveSmallIntegerField(
        _("short break (minutes)"), default=15, validators=[MaxValueValidator(60)])
    break_offsets = models.CharField(
        _("short breaks at (minutes after the start)"), max_length=100, blank=True,
        help_text=_("Comma-separated, e.g. 120,360"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def breaks(self) -> list[tuple[int, int]]:
        return [(int(part), self.break_minutes) for part in self.break_offsets.replace("，", ",").split(",")
                if part.strip()]

    def clean(self):
        super().clean()
        if self.earliest_start and self.latest_start and self.latest_start < self.earliest_start:
            raise ValidationError({"latest_start": _("The latest start comes before the earliest.")})
        if self.length_minutes and self.lunch_minutes:
            if self.lunch_latest_minutes < self.lunch_earliest_minutes:
                raise ValidationError({"lunch_latest_minutes": _("The lunch window ends before it starts.")})
            if self.lunch_latest_minutes + self.lunch_minutes > self.length_minutes:
                raise ValidationError({"lunch_latest_minutes": _("Lunch must end within the shift.")})
        self._clean_breaks()

    def _clean_breaks(self):
        try:
            breaks = self.breaks()
        except ValueError:
            raise ValidationError({"break_offsets": _("Enter minutes as whole numbers separated by commas.")})
        lunch = (self.lunch_earliest_minutes, self.lunch_latest_minutes + self.lunch_minutes)
        for offset, length in breaks:
            if offset < 0 or self.length_minutes and offset + length > self.length_minutes:
                raise ValidationError({"break_offsets": _("Every break must lie within the shift.")})
            if self.lunch_minutes and offset < lunch[1] and lunch[0] < offset + length:
                raise ValidationError({"break_offsets": _("A break may not fall within the lunch window.")})


class WorkTerms(models.Model):
    """An agent's contracted weekly hours and when the agent can work; without terms an agent works the
    contract of the rule setting, any day, any time, any template."""

    agent = models.OneToOneField("callcenter.Agent", on_delete=models.PROTECT, related_name="work_terms",
                                 verbose_name=_("agent"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"),
                             help_text=_("The unit of the agent's team, or one above it"))
    weekly_hours = models.DecimalField(_("contracted hours a week"), max_digits=4, decimal_places=1,
                                       validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))])
    min_weekly_hours = models.DecimalField(
        _("hours a week at least"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))])
    monday = models.BooleanField(_("Monday"), default=True)
    tuesday = models.BooleanField(_("Tuesday"), default=True)
    wednesday = models.BooleanField(_("Wednesday"), default=True)
    thursday = models.BooleanField(_("Thursday"), default=True)
    friday = models.BooleanField(_("Friday"), default=True)
    saturday = models.BooleanField(_("Saturday"), default=True)
    sunday = models.BooleanField(_("Sunday"), default=True)
    available_from = models.TimeField(_("available from"), default=time(0, 0))
    available_until = models.TimeField(_("available until"), default=time(0, 0),
                                       help_text=_("00:00 means midnight at the end of the day"))
    templates = models.ManyToManyField(ShiftTemplate, blank=True, related_name="+", verbose_name=_("shift templates"),
                                       help_text=_("Empty: any template"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agent work terms")
        verbose_name_plural = _("agents' work terms")
        ordering = ["agent__agent_code"]

    def __str__(self):
        return str(self.agent)

    def clean(self):
        super().clean()
        if self.min_weekly_hours is not None and self.weekly_hours is not None \
                and self.min_weekly_hours > self.weekly_hours:
            raise ValidationError({"min_weekly_hours": _("The minimum exceeds the contracted hours.")})
        if self.agent_id and self.unit_id and not _in_subtree(self.unit, self.agent.team.unit):
            raise ValidationError({"unit": _("The agent's team does not belong to this unit.")})

    def days(self) -> list[int]:
        return [day for day, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name)]

    def window_minutes(self) -> tuple[int, int]:
        start = self.available_from.hour * 60 + self.available_from.minute
        end = self.available_until.hour * 60 + self.available_until.minute
        return start, end if end > start else end + 1440


class SpecialDay(models.Model):
    """A day a planner expects unusual volume (a product launch, a system change): left out of the
    forecast's fit, and its forecast multiplied by `factor`."""

    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"), help_text=_("Empty: the whole bank"))
    queue = models.ForeignKey("callcenter.Queue", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("queue"), help_text=_("Empty: every queue of the unit"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)
    factor = models.DecimalField(_("volume factor"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
                                 help_text=_("Forecast × factor, e.g. 1.50 for half as many calls again"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"], name="workforce_special_day_date")]

    def __str__(self):
        return f"{self.date} {self.name}"

    def clean(self):
        super().clean()
        if self.queue_id and not _in_subtree(self.unit, self.queue.unit):
            raise ValidationError({"queue": _("The queue does not belong to this unit.")})


class ForecastRun(models.Model):
    """A forecast of one queue's offered contacts per interval from `first_day` for `days` days, with the
    agents each interval needs; made in the background (`status`, `progress`)."""

    queue = models.ForeignKey("callcenter.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("queue"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    first_day = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval (minutes)"), default=30)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    history_from = models.DateField(_("history from"), null=True, blank=True)
    history_until = models.DateField(_("history until"), null=True, blank=True)
    target_seconds = models.PositiveSmallIntegerField(_("answer within (seconds)"))
    target_percent = models.DecimalField(_("service-level target (%)"), max_digits=5, decimal_places=2)
    shrinkage_percent = models.DecimalField(_("shrinkage (%)"), max_digits=5, decimal_places=2)
    max_occupancy_percent = models.DecimalField(_("maximum occupancy (%)"), max_digits=5, decimal_places=2)
    accuracy = models.JSONField(_("accuracy on held-out weeks"), default=dict, blank=True)
    model_summary = models.JSONField(_("model"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact forecast")
        verbose_name_plural = _("contact forecasts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["queue", "created_at"], name="workforce_forecast_queue"),
                   models.Index(fields=["unit", "created_at"], name="workforce_forecast_unit")]

    def __str__(self):
        return f"{self.queue} {self.first_day}"


class ForecastInterval(models.Model):
    """One interval of a forecast: contacts, handle time, and the agents Erlang C asks for."""

    run = models.ForeignKey(ForecastRun, on_delete=models.PROTECT, related_name="intervals")
    starts_at = models.DateTimeField(_("interval start"))
    calls = models.FloatField(_("contacts offered"))
    aht_seconds = models.FloatField(_("average handle time (s)"))
    agents = models.PositiveIntegerField(_("agents on the phones"))
    scheduled_agents = models.PositiveIntegerField(_("agents to roster"))
    service_level = models.FloatField(_("service level"))

    class Meta:
        ordering = ["run", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["run", "starts_at"], name="workforce_unique_forecast_interval")]


class RosterStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SOLVING = "solving", _("Solving")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class Roster(models.Model):
    """A week's shifts for the agents of a queue's unit, covering a forecast's requirement."""

    queue = models.ForeignKey("callcenter.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("queue"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    forecast = models.ForeignKey(ForecastRun, on_delete=models.PROTECT, related_name="rosters",
                                 verbose_name=_("forecast"))
    week_start = models.DateField(_("week from (Monday)"))
    status = models.CharField(_("status"), max_length=20, choices=RosterStatus.choices, default=RosterStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("solver time limit (s)"))
    solver_status = models.CharField(_("solver result"), max_length=20, blank=True)
    required_minutes = models.PositiveIntegerField(_("required agent-minutes"), default=0)
    understaffing_minutes = models.PositiveIntegerField(_("understaffed agent-minutes"), default=0)
    lower_bound_minutes = models.FloatField(_("lower bound of understaffing (agent-minutes)"), default=0)
    solve_seconds = models.FloatField(_("solving time (s)"), default=0)
    contract_shortfalls = models.JSONField(
        _("agents below their contract"), default=dict, blank=True,
        help_text=_("Agent id → minutes a week below the contract's minimum, where the rest rules left no more"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-week_start", "-id"]
        indexes = [models.Index(fields=["queue", "week_start"], name="workforce_roster_queue"),
                   models.Index(fields=["unit", "week_start"], name="workforce_roster_unit")]

    def __str__(self):
        return f"{self.queue} {self.week_start}"


class RosterShift(models.Model):
    """One agent's shift on one day; a planner may change or cancel it (never deleted)."""

    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("roster"))
    agent = models.ForeignKey("callcenter.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("agent"))
    template = models.ForeignKey(ShiftTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("shift template"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    lunch_starts_at = models.DateTimeField(_("lunch from"), null=True, blank=True)
    lunch_minutes = models.PositiveSmallIntegerField(_("lunch (minutes)"), default=0)
    breaks = models.JSONField(_("short breaks"), default=list, blank=True,
                              help_text=_("[minutes after the start, minutes] of each paid short break"))
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rostered shift")
        verbose_name_plural = _("rostered shifts")
        ordering = ["starts_at", "agent"]
        indexes = [models.Index(fields=["roster", "starts_at"], name="workforce_shift_roster"),
                   models.Index(fields=["agent", "starts_at"], name="workforce_shift_agent")]

    def __str__(self):
        return f"{self.agent} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def unit(self):
        """The roster's unit: the shift's scope (and its audit events')."""
        return self.roster.unit


class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", _("Annual leave")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    TRAINING = "training", _("Training")
    PERSONAL = "personal", _("Personal leave")
    OTHER = "other", _("Other unavailability")


class Absence(models.Model):
    """An agent's leave or unavailability on the days from `first_day` to `last_day` (both included): the roster
    solver gives the agent no shift on those days, and the contract's weekly hours shrink by a day's share for
    each. Planners enter and change them; a cancelled absence stays, inactive. Scope: the agent's team's unit,
    copied into `unit` when the absence is written."""

    agent = models.ForeignKey("callcenter.Agent", on_delete=models.PROTECT, related_name="absences",
                              verbose_name=_("agent"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices, default=AbsenceKind.ANNUAL_LEAVE)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-first_day", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")),
                                              name="workforce_absence_ordered_days")]
        indexes = [models.Index(fields=["agent", "first_day"], name="workforce_absence_agent"),
                   models.Index(fields=["unit", "first_day"], name="workforce_absence_unit")]

    def __str__(self):
        return f"{self.agent} {self.first_day}–{self.last_day}"
