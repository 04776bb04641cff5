"""Outlet service quality (domain.md §6): commendations, anti-fraud interceptions, care services for
elderly and special customers, the monthly service star, star ratings of outlets, and inspection
visits with their follow-up actions (一点一策).

Every record belongs to a unit (`unit_path` is the unit's path, copied for scoped lists without a
join). Nothing is deleted: a record entered by mistake is voided with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import FileImportJob
from bankdesk.orgs.models import OrgUnit
from bankdesk.scorecards.models import Evaluation, ScorecardKind, ScorecardVersion

MONEY = {"max_digits": 14, "decimal_places": 2}
SCORE = {"max_digits": 5, "decimal_places": 2}


class UnitRecord(models.Model):
    """What every register entry has: the unit it belongs to, who recorded it, and voiding."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("staff member"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_void = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    class Meta:
        abstract = True


# --- Commendations (表扬) ------------------------------------------------------------------------------------------

class CommendationChannel(models.TextChoices):
    LETTER = "letter", _("Letter of thanks")
    BANNER = "banner", _("Silk banner")
    ONLINE = "online", _("Online praise")
    CALL = "call", _("Phone call")
    COMMENTS_BOOK = "comments_book", _("Comments book")
    OTHER = "other", _("Other")


class Commendation(UnitRecord):
    """Praise from a customer or an organisation, registered like a complaint: channel, outlet, staff."""

    channel = models.CharField(_("channel"), max_length=20, choices=CommendationChannel.choices)
    received_on = models.DateField(_("received on"))
    staff_name = models.CharField(_("staff praised (as the customer named them)"), max_length=100, blank=True)
    praised_by = models.CharField(_("from"), max_length=100, blank=True,
                                  help_text=_("The customer or organisation that gave the praise"))
    summary = models.TextField(_("what was praised"))

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "received_on"]),
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["staff", "received_on"]),
            models.Index(fields=["channel", "received_on"]),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.received_on:%Y-%m-%d} {self.unit}"


# --- Anti-fraud interceptions (拦截电信诈骗) ------------------------------------------------------------------------

class ScamType(models.Model):
    """The kinds of telecom fraud (an administrator's list; entries are retired, never deleted)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scam type")
        verbose_name_plural = _("scam types")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class InterceptionSetting(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    LOBBY = "lobby", _("In the lobby")
    PHONE = "phone", _("On the phone")


class Trigger(models.TextChoices):
    """What the staff member noticed first (how the fraud was spotted)."""

    NERVOUS = "nervous", _("Customer anxious or hurried")
    ON_THE_PHONE = "on_the_phone", _("Customer instructed on the phone while transacting")
    UNUSUAL_TRANSFER = "unusual_transfer", _("Unusual transfer to a stranger")
    STATEMENT_REQUEST = "statement_request", _("Unexplained request for statements or limits")
    CUSTOMER_TOLD = "customer_told", _("Customer told us the story")
    SYSTEM_ALERT = "system_alert", _("Risk-control alert")
    POLICE_WARNING = "police_warning", _("Warning from the police")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_34", _("18–34")
    FROM_35 = "35_59", _("35–59")
    FROM_60 = "60_69", _("60–69")
    FROM_70 = "70_plus", _("70 and over")


class InterceptionOutcome(models.TextChoices):
    STOPPED = "stopped", _("Stopped before any loss")
    PARTLY = "partly", _("Partly stopped")
    RECOVERED = "recovered", _("Money frozen or recovered")


class Interception(UnitRecord):
    occurred_on = models.DateField(_("date"))
    setting = models.CharField(_("where"), max_length=10, choices=InterceptionSetting.choices)
    trigger = models.CharField(_("how it was spotted"), max_length=20, choices=Trigger.choices)
    scam_type = models.ForeignKey(ScamType, on_delete=models.PROTECT, verbose_name=_("scam type"))
    description = models.TextField(_("what happened and the evidence"))
    amount_protected = models.DecimalField(_("amount protected (yuan)"), **MONEY)
    customer_age_group = models.CharField(_("customer's age group"), max_length=10, choices=AgeGroup.choices)
    police_involved = models.BooleanField(_("police involved"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=InterceptionOutcome.choices,
                               default=InterceptionOutcome.STOPPED)

    class Meta:
        verbose_name = _("fraud interception")
        verbose_name_plural = _("fraud interceptions")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "occurred_on"]),
            models.Index(fields=["unit", "occurred_on"]),
            models.Index(fields=["staff", "occurred_on"]),
            models.Index(fields=["scam_type", "occurred_on"]),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.scam_type} {self.unit}"


# --- Care for elderly and special customers ------------------------------------------------------------------------

class CareKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    NEAR_HOME = "near_home", _("Service near home")
    ACCOMPANIED = "accompanied", _("Accompanied service")
    APPOINTMENT = "appointment", _("Appointment")
    CROSS_REGION = "cross_region", _("Help across regions")


class CustomerGroup(models.TextChoices):
    ELDERLY = "elderly", _("Elderly customer")
    DISABLED = "disabled", _("Customer with a disability")
    BEDRIDDEN = "bedridden", _("Ill or bedridden customer")
    MILITARY = "military", _("Military customer or family")
    MINOR = "minor", _("Minor")
    OTHER = "other", _("Other special customer")


class CareOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Done")
    PARTLY = "partly", _("Partly done")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Customer did not come")


OPEN_CARE_OUTCOMES = [CareOutcome.SCHEDULED]


class CareService(UnitRecord):
    """A service for an elderly or special customer: done already, or booked and given its outcome later."""

    kind = models.CharField(_("service"), max_length=20, choices=CareKind.choices)
    customer_group = models.CharField(_("customer"), max_length=20, choices=CustomerGroup.choices)
    customer_label = models.CharField(_("customer called"), max_length=50,
                                      help_text=_("How staff refer to the customer, e.g. 喻女士; no ID numbers"))
    service_on = models.DateField(_("date of the service"))
    description = models.TextField(_("what the customer needed"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=CareOutcome.choices,
                               default=CareOutcome.SCHEDULED)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("care service")
        verbose_name_plural = _("care services")
        ordering = ["-service_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "service_on"]),
            models.Index(fields=["unit", "service_on"]),
            models.Index(fields=["staff", "service_on"]),
            models.Index(fields=["outcome", "service_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.customer_label} {self.service_on:%Y-%m-%d}"


# --- Service star of the month (服务之星) ----------------------------------------------------------------------------

class RoundStatus(models.TextChoices):
    OPEN = "open", _("Being scored")
    PUBLISHED = "published", _("Published")


class StarRound(models.Model):
    """One outlet's service-star round for one month: each staff member's four scores, then the ranking."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    weights = models.JSONField(_("weights used"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service-star round")
        verbose_name_plural = _("service-star rounds")
        ordering = ["-month", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_star_round_per_outlet_month")]
        indexes = [models.Index(fields=["unit_path", "month"])]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"


class StarEntry(models.Model):
    """A staff member's scores (each out of 100) in a round; the total and rank are computed."""

    round = models.ForeignKey(StarRound, on_delete=models.PROTECT, related_name="entries")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    team_score = models.DecimalField(_("team's score"), **SCORE)
    operations_score = models.DecimalField(_("operations manager's score"), **SCORE)
    lobby_score = models.DecimalField(_("lobby manager's score"), **SCORE)
    customer_score = models.DecimalField(_("customers' score"), **SCORE,
                                         help_text=_("The month's average of the five-question customer forms"))
    customer_forms = models.PositiveIntegerField(_("customer forms"), default=0)
    total = models.DecimalField(_("total"), **SCORE)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service-star score")
        verbose_name_plural = _("service-star scores")
        ordering = ["round", "rank", "-total", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "staff"], name="one_star_entry_per_staff")]
        indexes = [models.Index(fields=["staff", "rank"])]

    def __str__(self):
        return f"{self.round} {self.staff}"


# --- Star ratings of outlets (星级网点) ------------------------------------------------------------------------------

class RatingRun(models.Model):
    """One computation of the ratings of every outlet under a unit for a period, with the weights used.
    Computing the same unit and period again replaces the run (the old one is kept, marked replaced)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("rated units under"))
    unit_path = models.CharField(max_length=255, editable=False)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    is_current = models.BooleanField(_("current"), default=True)
    parameters = models.JSONField(_("weights and thresholds used"), default=dict)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("computed by"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating run")
        verbose_name_plural = _("rating runs")
        ordering = ["-period_start", "-computed_at"]
        indexes = [models.Index(fields=["unit_path", "period_start"])]

    def __str__(self):
        return f"{self.unit} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}"


class OutletRating(models.Model):
    """An outlet's rating for a period: the score, the stars and every component behind them (`components`:
    code, figures, score out of 100, weight, or why it was left out)."""

    run = models.ForeignKey(RatingRun, on_delete=models.PROTECT, related_name="ratings")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    is_current = models.BooleanField(_("current"), default=True)
    score = models.DecimalField(_("score"), **SCORE, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    components = models.JSONField(_("components"), default=list)

    class Meta:
        verbose_name = _("outlet rating")
        verbose_name_plural = _("outlet ratings")
        ordering = ["run", "rank", "unit_path"]
        indexes = [
            models.Index(fields=["unit", "is_current", "period_start"]),
            models.Index(fields=["unit_path", "is_current", "period_start"]),
        ]

    def __str__(self):
        return f"{self.unit} {self.stars}★"


class EvaluatorTally(models.Model):
    """A month of the outlet's customer evaluators (客户评价器, the counter keypad): presses and satisfied presses."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    month = models.DateField(_("month"))
    responses = models.PositiveIntegerField(_("evaluations"))
    satisfied = models.PositiveIntegerField(_("satisfied"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer evaluator results")
        verbose_name_plural = _("customer evaluator results")
        ordering = ["-month", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_evaluator_tally_per_month"),
            models.CheckConstraint(condition=Q(satisfied__lte=models.F("responses")),
                                   name="evaluator_satisfied_within_responses"),
        ]
        indexes = [models.Index(fields=["unit_path", "month"])]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"


class FiguresImport(FileImportJob):
    """A file of monthly outlet figures (customers, evaluator results) imported in the background."""

    rows_created = models.PositiveIntegerField(_("figures added"), default=0)
    rows_updated = models.PositiveIntegerField(_("figures replaced"), default=0)

    class Meta(FileImportJob.Meta):
        verbose_name = _("figures import")
        verbose_name_plural = _("figures imports")
        indexes = [models.Index(fields=["created_by", "created_at"])]


# --- Inspection visits and their follow-up actions (一点一策) -------------------------------------------------------

class VisitMethod(models.TextChoices):
    ONSITE = "onsite", _("On-site inspection")
    VIDEO = "video", _("Service video spot check")
    JOURNEY = "journey", _("Customer-journey walk-through")
    MYSTERY = "mystery", _("Mystery shopping")


# The kind of scorecard each method is scored on (bankdesk.scorecards).
METHOD_KINDS = {
    VisitMethod.ONSITE: ScorecardKind.OUTLET_INSPECTION,
    VisitMethod.VIDEO: ScorecardKind.VIDEO_CHECK,
    VisitMethod.JOURNEY: ScorecardKind.OUTLET_INSPECTION,
    VisitMethod.MYSTERY: ScorecardKind.MYSTERY_SHOPPING,
}


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("Being scored")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """An inspection of an outlet (on site, by service video, walking the customer journey, or by a mystery
    shopper), scored on a published scorecard through the scorecards engine (its Evaluation)."""

    method = models.CharField(_("method"), max_length=10, choices=VisitMethod.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    scheduled_for = models.DateField(_("date"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspector"))
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("checklist"))
    evaluation = models.OneToOneField(Evaluation, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="visit", verbose_name=_("evaluation"))
    status = models.CharField(_("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED)
    plan_note = models.TextField(_("what to look at"), blank=True)
    score = models.DecimalField(_("score"), **SCORE, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    fatal_failed = models.BooleanField(_("fatal item failed"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("scheduled by"))
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "scheduled_for"]),
            models.Index(fields=["unit", "scheduled_for"]),
            models.Index(fields=["inspector", "status", "scheduled_for"]),
            models.Index(fields=["status", "scheduled_for"]),
            models.Index(fields=["method", "scheduled_for"]),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.unit} {self.scheduled_for:%Y-%m-%d}"


class VisitPhoto(models.Model):
    """A photo taken on a visit; its content is kept once by its hash (complaints.StoredFile)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.ForeignKey("complaints.StoredFile", on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "uploaded_at", "id"]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("To be fixed")
    REPORTED = "reported", _("Fixed, awaiting verification")
    CLOSED = "closed", _("Verified and closed")


OPEN_FOLLOW_UP_STATUSES = [FollowUpStatus.OPEN, FollowUpStatus.REPORTED]


class FollowUpAction(models.Model):
    """What an outlet must fix after a failed checklist item (一点一策): its owner reports it fixed, the
    inspection side verifies and closes it; until then it is chased, and flagged when overdue."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="follow_ups")
    item = models.ForeignKey("scorecards.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("checklist item"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outlet"))
    unit_path = models.CharField(max_length=255, editable=False)
    problem = models.TextField(_("problem found"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    fix_note = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(_("reported fixed at"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    chase_count = models.PositiveSmallIntegerField(_("times chased"), default=0)
    last_chased_at = models.DateTimeField(_("last chased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["unit_path", "status", "due_on"]),
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["is_overdue", "status"]),
        ]

    def __str__(self):
        return f"{self.unit} · {self.problem[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FOLLOW_UP_STATUSES
