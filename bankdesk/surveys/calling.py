"""The interviewers' work: take the next due target, record how the call went, answer the questionnaire.

Two interviewers never get the same target. The next target is read with FOR UPDATE SKIP LOCKED where
the database has it (PostgreSQL), so interviewers pass each other's candidates instead of queueing
behind them, and it is taken by a compare-and-set on its `version`, which alone is enough where the
database serialises writers (SQLite). A claim lasts `surveys.claim_minutes`: taking a target moves its
`due_at` to the claim's end, so a target whose interviewer walked away comes back by itself.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.callcenter.models import Agent
from bankdesk.core import audit, rules
from bankdesk.core.errors import Conflict, NotFound, ValidationFailed
from bankdesk.core.permissions import require, require_in_scope
from bankdesk.surveys import complaint_calls, selectors
from bankdesk.surveys.audit_actions import SurveyAction
from bankdesk.surveys.models import (
    Answer,
    Attempt,
    CampaignKind,
    Outcome,
    QuestionKind,
    Response,
    Target,
    TargetState,
)
from bankdesk.surveys.permissions import SurveyPermission

CLAIM_TRIES = 5  # candidates tried when others take them first (only without SKIP LOCKED)
YES_NO_SCORES = {"yes": 1, "no": 0}
CALL_FIELDS = ["state", "due_at", "attempts", "failed_attempts", "last_outcome", "claimed_by", "claim_expires_at",
               "best_time", "version"]


def _target_event(action: str, target: Target, campaign, actor, after: dict) -> None:
    audit.record_event(action, object_type=Target._meta.label_lower, object_id=str(target.pk),
                       object_repr=f"{campaign.name} #{target.pk}", unit_path=campaign.unit_path, after=after,
                       actor=actor)


def _candidate(user, campaign_ids: list[int], now: datetime) -> Target | None:
    queue = selectors.due_targets(user, campaign_ids, now)
    if connection.features.has_select_for_update_skip_locked:
        queue = queue.select_for_update(skip_locked=True, of=("self",))
    return queue.only("id", "version", "campaign_id").first()


@transaction.atomic
def claim_next(actor, campaign=None) -> Target | None:
    """The next due target of the campaigns the interviewer works (or of `campaign`), now theirs; None
    when nothing is due."""
    require(actor, SurveyPermission.INTERVIEW)
    campaigns = selectors.workable_campaigns(actor)
    if campaign is not None:
        campaigns = campaigns.filter(pk=campaign.pk)
    campaign_ids = list(campaigns.values_list("id", flat=True))
    now = timezone.now()
    expires = now + timedelta(minutes=rules.get("surveys.claim_minutes"))
    for _try in range(CLAIM_TRIES):
        candidate = _candidate(actor, campaign_ids, now)
        if candidate is None:
            return None
        taken = Target.objects.filter(pk=candidate.pk, version=candidate.version).update(
            state=TargetState.CLAIMED, claimed_by=actor, claim_expires_at=expires, due_at=expires,
            version=F("version") + 1)
        if taken:
            target = Target.objects.select_related("campaign").get(pk=candidate.pk)
            _target_event(SurveyAction.TARGET_CLAIM, target, target.campaign, actor,
                          {"expires_at": expires, "attempts": target.attempts})
            return target
    return None


def _lock_claim(actor, target: Target) -> Target:
    """The target under a row lock, refused unless the actor's claim on it still holds."""
    require(actor, SurveyPermission.INTERVIEW)
    current = (Target.objects.select_for_update(of=("self",))
               .select_related("campaign", "campaign__unit", "campaign__questionnaire_version")
               .filter(pk=target.pk).first())
    if current is None:
        raise NotFound(_("Not found."))
    require_in_scope(actor, SurveyPermission.INTERVIEW, current.campaign.unit)
    if current.state != TargetState.CLAIMED or current.claimed_by_id != actor.pk:
        raise Conflict(_("This call is no longer yours: its time ran out and it went back to the queue."))
    return current


@transaction.atomic
def release(actor, target: Target) -> Target:
    """Give a target back to the queue without calling (due at once, for the next interviewer)."""
    target = _lock_claim(actor, target)
    target.state, target.claimed_by, target.claim_expires_at = TargetState.WAITING, None, None
    target.due_at, target.version = timezone.now(), target.version + 1
    target.save(update_fields=["state", "claimed_by", "claim_expires_at", "due_at", "version"])
    _target_event(SurveyAction.TARGET_RELEASE, target, target.campaign, actor, {})
    return target


@dataclass
class CallResult:
    outcome: str
    note: str = ""
    callback_at: datetime | None = None
    best_time: str = ""
    answers: dict = field(default_factory=dict)  # question id -> the answer as typed ("4", "yes", a choice, text)
    # A complaint callback's survey, as the complaints app asks it
    satisfaction: str = ""
    reason: str = ""
    reopen_kind: str = ""


def _team_id(user) -> int | None:
    """The interviewer's call-center team now (None for staff outside the call center's teams)."""
    return Agent.objects.filter(user=user, is_active=True).values_list("team_id", flat=True).first()


def _check_result(result: CallResult, now: datetime) -> None:
    if result.outcome not in Outcome.values:
        raise ValidationFailed(_("Choose how the call went."), field="outcome")
    if result.outcome == Outcome.CALL_BACK:
        if result.callback_at is None:
            raise ValidationFailed(_("Enter when to call back."), field="callback_at")
        if result.callback_at <= now:
            raise ValidationFailed(_("The time to call back has passed; enter a later one."), field="callback_at")
        if result.callback_at > now + timedelta(days=rules.get("surveys.callback_horizon_days")):
            raise ValidationFailed(_("A callback can be booked at most %(days)d days ahead.")
                                   % {"days": rules.get("surveys.callback_horizon_days")}, field="callback_at")


def _answer(question, raw: str) -> Answer | None:
    """The answer to one question, None when it was left empty, or ValidationFailed naming it."""
    raw = (raw or "").strip()
    if not raw:
        if question.required:
            raise ValidationFailed(_("Answer: %(question)s") % {"question": question.text}, field=f"q{question.pk}")
        return None
    if question.kind == QuestionKind.SCALE:
        if raw not in {"1", "2", "3", "4", "5"}:
            raise ValidationFailed(_("Give a score from 1 to 5."), field=f"q{question.pk}")
        return Answer(question=question, score=int(raw))
    if question.kind == QuestionKind.YES_NO:
        if raw not in YES_NO_SCORES:
            raise ValidationFailed(_("Answer yes or no."), field=f"q{question.pk}")
        return Answer(question=question, score=YES_NO_SCORES[raw], text=raw)
    if question.kind == QuestionKind.CHOICE and raw not in question.choices:
        raise ValidationFailed(_("Choose one of the answers offered."), field=f"q{question.pk}")
    return Answer(question=question, text=raw)


def _save_response(target: Target, attempt: Attempt, answers: dict) -> None:
    version = target.campaign.questionnaire_version
    if version is None:
        return
    checked = [_answer(question, str(answers.get(question.pk, answers.get(str(question.pk), ""))))
               for question in version.questions.all()]
    response = Response.objects.create(target=target, attempt=attempt, questionnaire_version=version)
    for answer in filter(None, checked):
        answer.response = response
    Answer.objects.bulk_create(filter(None, checked))


def _next_state(target: Target, result: CallResult, now: datetime, complaint_limit_reached: bool) -> None:
    """Where the target goes after the call: done, back in the queue later, or closed."""
    if result.outcome == Outcome.COMPLETED:
        target.state = TargetState.COMPLETED
    elif result.outcome in (Outcome.WRONG_NUMBER, Outcome.REFUSED):
        target.state = TargetState.CLOSED
    elif result.outcome == Outcome.CALL_BACK:
        target.state, target.due_at = TargetState.WAITING, result.callback_at
    else:
        target.failed_attempts += 1
        limit_reached = (complaint_limit_reached if target.campaign.kind == CampaignKind.COMPLAINT_CALLBACK
                         else target.failed_attempts >= rules.get("surveys.max_attempts"))
        minutes = rules.get("surveys.retry_minutes_busy" if result.outcome == Outcome.BUSY
                            else "surveys.retry_minutes_no_answer")
        target.state = TargetState.CLOSED if limit_reached else TargetState.WAITING
        target.due_at = now + timedelta(minutes=minutes)


def _complaint_callback(actor, target: Target, result: CallResult) -> bool:
    """Record the call as the complaint's callback; a booked callback is not one yet."""
    if target.campaign.kind != CampaignKind.COMPLAINT_CALLBACK or result.outcome == Outcome.CALL_BACK:
        return False
    reached = result.outcome == Outcome.COMPLETED
    reason = result.reason if reached else " ".join(filter(None, [str(Outcome(result.outcome).label), result.note]))
    return complaint_calls.record_callback(actor, target, reached=reached, satisfaction=result.satisfaction,
                                           reason=reason, reopen_kind=result.reopen_kind)


@transaction.atomic
def record_call(actor, target: Target, result: CallResult) -> Attempt:
    """Record an attempt on a target the interviewer holds, with the questionnaire when completed."""
    now = timezone.now()
    _check_result(result, now)
    target = _lock_claim(actor, target)
    target.attempts += 1
    attempt = Attempt.objects.create(target=target, campaign=target.campaign, number=target.attempts,
                                     outcome=result.outcome, interviewer=actor, team_id=_team_id(actor),
                                     note=result.note.strip(),
                                     callback_at=result.callback_at if result.outcome == Outcome.CALL_BACK else None)
    if result.outcome == Outcome.COMPLETED:
        _save_response(target, attempt, result.answers)
    complaint_limit_reached = _complaint_callback(actor, target, result)
    _next_state(target, result, now, complaint_limit_reached)
    target.last_outcome, target.claimed_by, target.claim_expires_at = result.outcome, None, None
    if result.best_time.strip():
        target.best_time = result.best_time.strip()
    target.version += 1
    target.save(update_fields=CALL_FIELDS)
    _target_event(SurveyAction.ATTEMPT, target, target.campaign, actor, {
        "attempt": attempt.number, "outcome": attempt.outcome, "state": target.state, "due_at": target.due_at,
        "note": attempt.note})
    return attempt
