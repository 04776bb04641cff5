"""Satisfaction surveys (CATI) and outbound calling (docs/domain-rules.md §5): questionnaires, campaigns, the people
to call, every attempt to reach them and the answers they gave.

A campaign owns its targets; a target is claimed by one interviewer at a time (its `claimed_by` and
`claim_expires_at`), and comes back to the queue at `due_at` after an attempt that did not finish it.
Phones are stored encrypted with a blind index, as the complaints' are (core/pii.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import FileImportJob
from bankdesk.core.pii import BlindIndexField, EncryptedTextField
from bankdesk.orgs.models import OrgUnit


class Questionnaire(models.Model):
    """A questionnaire by code; its questions live in numbered versions, never changed once saved, so
    answers always point at the wording that was read to the customer."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    current_version = models.PositiveIntegerField(_("current version"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return f"{self.code} {self.name}"


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    introduction = models.TextField(_("what the interviewer says first"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_unique")]

    def __str__(self):
        return f"{self.questionnaire.code} v{self.number}"


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("One of several answers")
    TEXT = "text", _("Free text")


class Question(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("answers to choose from"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="survey_question_position")]

    def __str__(self):
        return self.text


class CampaignKind(models.TextChoices):
    SURVEY = "survey", _("Satisfaction survey")
    OUTBOUND = "outbound", _("Outbound calls")
    COMPLAINT_CALLBACK = "complaint_callback", _("Complaint callbacks")


class TargetSource(models.TextChoices):
    CLOSED_COMPLAINTS = "closed_complaints", _("Complaints closed in a period")
    AWAITING_CALLBACK = "awaiting_callback", _("Complaints awaiting their callback")
    LIST = "list", _("Imported list")
    CALLS = "calls", _("Imported call records")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    ACTIVE = "active", _("Calling")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")


class Campaign(models.Model):
    """A piece of outbound work: whom to call (its targets), what to ask (a questionnaire version) and who
    owns it (`unit`: the call center or department whose staff see and work it)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    source = models.CharField(_("drawn from"), max_length=20, choices=TargetSource.choices)
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="campaigns", verbose_name=_("questionnaire"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    # What the targets were drawn from, for complaints: the period of closure and the unit concerned.
    source_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("complaints of unit"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    target_count = models.PositiveIntegerField(_("targets"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "status"])]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name


class TargetState(models.TextChoices):
    WAITING = "waiting", _("Waiting to be called")
    CLAIMED = "claimed", _("Being called")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed without completing")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Reached, questionnaire completed")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Reached, refused")
    CALL_BACK = "call_back", _("Reached, call back later")


REACHED_OUTCOMES = [Outcome.COMPLETED, Outcome.REFUSED, Outcome.CALL_BACK]
RETRY_OUTCOMES = [Outcome.NO_ANSWER, Outcome.BUSY]  # tried again after an interval, up to the attempt limit
FINAL_OUTCOMES = [Outcome.COMPLETED, Outcome.WRONG_NUMBER, Outcome.REFUSED]
OPEN_STATES = [TargetState.WAITING, TargetState.CLAIMED]


class Target(models.Model):
    """One person to call in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="targets")
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"))
    phone_index = BlindIndexField(source="phone", kind="phone", db_index=False)
    complaint = models.ForeignKey("complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("complaint"))
    source_reference = models.CharField(_("source reference"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TargetState.choices, default=TargetState.WAITING)
    due_at = models.DateTimeField(_("call from"), null=True, blank=True)
    best_time = models.CharField(_("best time to call"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failed_attempts = models.PositiveSmallIntegerField(_("attempts without reaching"), default=0)
    last_outcome = models.CharField(_("last outcome"), max_length=20, choices=Outcome.choices, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("interviewer"))
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The interviewers' queue: the open targets of a campaign by when they are due (a claim moves
            # `due_at` to its expiry, so a lapsed claim comes back by itself).
            models.Index(fields=["campaign", "due_at", "id"], condition=Q(state__in=OPEN_STATES),
                         name="survey_target_queue_idx"),
            models.Index(fields=["campaign", "state"], name="survey_target_state_idx"),
            models.Index(fields=["campaign", "phone_index"], name="survey_target_phone_idx"),
            models.Index(fields=["claimed_by", "state"], name="survey_target_claimed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "complaint"], condition=Q(complaint__isnull=False),
                                    name="survey_target_one_per_complaint"),
        ]

    def __str__(self):
        return self.name or self.source_reference


class Attempt(models.Model):
    """One call to a target, as the interviewer recorded it."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="attempt_records")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("interviewer"))
    # The interviewer's call-center team when calling, kept so results by team stay as they were.
    team = models.ForeignKey("callcenter.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team"))
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("called at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["campaign", "created_at"], name="survey_attempt_campaign_idx"),
            models.Index(fields=["interviewer", "created_at"], name="survey_attempt_interviewer_idx"),
            models.Index(fields=["team", "created_at"], name="survey_attempt_team_idx"),
        ]


class Response(models.Model):
    """The questionnaire a reached customer answered: one per target."""

    target = models.OneToOneField(Target, on_delete=models.PROTECT, related_name="response")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="response")
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)  # scale 1–5; yes 1, no 0
    text = models.TextField(_("answer"), blank=True)  # the choice made, or the words of a text answer

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_answer_unique")]
        indexes = [models.Index(fields=["question", "score"], name="survey_answer_score_idx")]


class ListImport(FileImportJob):
    """A list of people to call (name, phone, reference), or call records to survey, read into a campaign in
    the background. Rows with a problem are reported and skipped; the good rows are imported."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="imports")
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta(FileImportJob.Meta):
        verbose_name = _("call list import")
        verbose_name_plural = _("call list imports")
