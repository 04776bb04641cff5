"""Scorecards and the evaluations scored on them: the engine of call QA, complaint-handling QA and
outlet inspections alike.

A scorecard keeps its versions: a published version never changes (the evaluations scored on it
keep their meaning), editing starts a new draft. A version has sections with a weight, each with
items worth points; a failed fatal item zeroes the whole evaluation (scoring.py does the sums).
An evaluation's subject is a call (call id, recording reference, the agent), a complaint, or a unit
visited; other apps attach their own records to an Evaluation (the quality app's outlet visit
holds a one-to-one link to it) and leave the scoring to this app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.orgs.models import OrgUnit

POINTS = {"max_digits": 7, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class ScorecardKind(models.TextChoices):
    CALL = "call", _("Call QA")
    COMPLAINT = "complaint", _("Complaint handling QA")
    OUTLET_INSPECTION = "outlet_inspection", _("Outlet inspection")
    MYSTERY_SHOPPING = "mystery_shopping", _("Mystery shopping")
    VIDEO_CHECK = "video_check", _("Service video check")


class Scorecard(models.Model):
    """A scorecard applies to its unit's whole subtree (the head office's to the whole bank)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("purpose"), max_length=20, choices=ScorecardKind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("applies to"))
    unit_path = models.CharField(max_length=255, editable=False)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["unit_path", "kind"])]

    def __str__(self):
        return f"{self.code} {self.name}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced")


class ScorecardVersion(models.Model):
    """One version of a scorecard; only a draft may change, and only the published one is scored."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="versions",
                                  verbose_name=_("scorecard"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    pass_mark = models.DecimalField(_("pass mark"), **PERCENT, null=True, blank=True,
                                    help_text=_("The score (out of 100) an evaluation needs to pass; empty for none"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        ordering = ["scorecard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="unique_scorecard_version"),
            models.UniqueConstraint(fields=["scorecard"], condition=Q(status="draft"), name="one_draft_per_scorecard"),
            models.UniqueConstraint(fields=["scorecard"], condition=Q(status="published"),
                                    name="one_published_per_scorecard"),
        ]

    def __str__(self):
        return f"{self.scorecard} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def unit(self) -> OrgUnit:
        """The scorecard's unit: where the version's audit events belong."""
        return self.scorecard.unit


class Section(models.Model):
    """A part of a scorecard; its weight is its share of the total among the sections that apply."""

    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(_("weight"), **POINTS)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "position", "id"]

    def __str__(self):
        return self.title


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    POINTS = "points", _("Points scale")


class Item(models.Model):
    """A question of a section. Its points are its weight in the section: "yes" earns them all,
    a points scale anything from 0 to them. A fatal item answered "no" zeroes the evaluation."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("item number"), max_length=20, blank=True,
                            help_text=_("The item's number in the standard it comes from, if any"))
    text = models.CharField(_("item"), max_length=300)
    guidance = models.TextField(_("how to score it"), blank=True)
    answer_type = models.CharField(_("answer"), max_length=10, choices=AnswerType.choices,
                                   default=AnswerType.YES_NO)
    max_points = models.DecimalField(_("points"), **POINTS)
    is_fatal = models.BooleanField(_("fatal"), default=False,
                                   help_text=_("Failing it zeroes the whole evaluation"))
    na_allowed = models.BooleanField(_("may be not applicable"), default=False)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["section", "position", "id"]

    def __str__(self):
        return self.text


class Subject(models.Model):
    """What is evaluated: a call (its id or recording, the agent), a complaint handled, or a unit
    visited. The unit decides who sees it (scope); `staff` is the person whose work is scored."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("staff member"))
    call_id = models.CharField(_("call ID"), max_length=64, blank=True)
    recording_ref = models.CharField(_("recording"), max_length=200, blank=True)
    complaint = models.ForeignKey("complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("complaint"))
    occurred_at = models.DateTimeField(_("took place at"), null=True, blank=True)

    class Meta:
        abstract = True


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Being scored")
    SUBMITTED = "submitted", _("Submitted")
    VOIDED = "voided", _("Voided")


class CalibrationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("calibration session", "Open")
    CLOSED = "closed", pgettext_lazy("calibration session", "Closed")


class CalibrationSession(Subject):
    """Several inspectors score the same subject on the same version; the spread of their scores
    shows how far they agree. Their evaluations count in no one's results."""

    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("scorecard"))
    status = models.CharField(_("status"), max_length=10, choices=CalibrationStatus.choices,
                              default=CalibrationStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("organised by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(pgettext_lazy("calibration session", "closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "created_at"]),
                   models.Index(fields=["status", "closed_at"], name="calibration_closed")]

    def __str__(self):
        return self.title


class Evaluation(Subject):
    """One inspector's scoring of one subject on one published scorecard version."""

    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="evaluations",
                                verbose_name=_("scorecard"))
    kind = models.CharField(_("purpose"), max_length=20, choices=ScorecardKind.choices, editable=False)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspector"))
    calibration = models.ForeignKey(CalibrationSession, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="evaluations", verbose_name=_("calibration session"))
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT)
    score = models.DecimalField(_("score"), **PERCENT, null=True, blank=True)
    raw_score = models.DecimalField(_("score before fatal items"), **PERCENT, null=True, blank=True)
    fatal_failed = models.BooleanField(_("fatal item failed"), default=False)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "created_at"]),
            models.Index(fields=["kind", "unit_path", "created_at"]),
            models.Index(fields=["staff", "status", "submitted_at"]),
            models.Index(fields=["evaluator", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["call_id"]),
            models.Index(fields=["fatal_failed", "submitted_at"]),
            models.Index(fields=["passed", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == EvaluationStatus.DRAFT


class ItemScore(models.Model):
    """The answer to one item: points earned (a "yes" earns all, a "no" none), or not applicable."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS, null=True, blank=True)
    is_na = models.BooleanField(_("not applicable"), default=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="unique_item_score"),
            models.CheckConstraint(condition=Q(is_na=True, points__isnull=True) | Q(is_na=False, points__isnull=False),
                                   name="item_score_points_or_na"),
        ]
