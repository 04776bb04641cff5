"""After the decision: the callback (回访) with the satisfaction survey, the screening (复核) of a "not
satisfied" answer, closure (also without reaching the customer after the attempts the rules allow), and
reopening for re-handling or review.

The callback and the screening belong to the complaint post (the consumer-protection office, the call
center's callback seats), never to the complaint's own handler nor to anyone concerned by it
(`recusal.complaint_post_refusal`). A "not satisfied" answer does not reopen the complaint by itself: the
consumer-protection office screens it (source 004 article 2.4.6: 由后台人员进行甄别) and either reopens
it, when the handling was wrong, or closes it as handled properly, the customer still dissatisfied, the
reason on the record and the customer told where to turn (mediation, the regulator, arbitration, court).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.complaints import recusal, saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, notices, recipients
from bankdesk.complaints.models import (
    CallbackRecord,
    ClockKind,
    Complaint,
    ReopenKind,
    Satisfaction,
    Screening,
    ScreeningOutcome,
    Status,
)
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify


def _close(actor, complaint: Complaint, before: dict, action: str, extra: dict) -> Complaint:
    complaint.status, complaint.closed_at = Status.CLOSED, timezone.now()
    clocks.end_clocks(complaint)
    return saving.save_change(actor, complaint, action, before, extra)


def _reopen(actor, complaint: Complaint, before: dict, action: str, kind: str, reason: str,
            extra: dict | None = None) -> Complaint:
    """重新处理 / 核查: back to the handler with a clock of its own (the one started at an unhappy callback
    runs on through its screening)."""
    screened = complaint.status == Status.SCREENING
    complaint.status, complaint.closed_at = Status.REOPENED, None
    complaint.reopen_count += 1
    if not screened:
        clocks.stop(complaint)
        clocks.start(complaint, ClockKind.REVIEW)
    clocks.refresh_complaint(complaint)
    complaint = saving.save_change(actor, complaint, action, before, {"kind": kind, "note": reason, **(extra or {})})
    handler = [complaint.handler_id] if complaint.handler_id else []
    notify(handler + recipients.heads(complaint.lead_department or complaint.unit),
           kind="complaint.reopened", obj=complaint, link=recipients.complaint_link(complaint),
           text=_("%(number)s is reopened for %(kind)s: %(reason)s") % {
               "number": complaint.tracking_number, "kind": ReopenKind(kind).label, "reason": reason})
    return complaint


def _require_complaint_post(actor, complaint: Complaint) -> None:
    denied = recusal.complaint_post_refusal(actor, complaint)
    if denied is not None:
        raise denied


@transaction.atomic
def record_callback(actor, complaint: Complaint, *, reached: bool, satisfaction: str = "", reason: str = "",
                    reopen_kind: str = "", expected_version: int | None = None) -> CallbackRecord:
    """回访 with the satisfaction survey; "not satisfied" goes to the screening (`reopen_kind`: what the
    customer asks for, if anything; the screening decides)."""
    state_machine.require_step(actor, "callback", complaint)
    _require_complaint_post(actor, complaint)
    if reached and satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied the customer is."), field="satisfaction")
    unhappy = reached and satisfaction == Satisfaction.NOT_SATISFIED
    if unhappy and not reason.strip():
        raise ValidationFailed(_("Write why the customer is not satisfied."), field="reason")
    if reopen_kind and reopen_kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="reopen_kind")
    complaint = saving.lock(actor, complaint, "callback", expected_version)
    before = saving.snapshot(complaint)
    record = CallbackRecord.objects.create(
        complaint=complaint, reached=reached, satisfaction=satisfaction if reached else "", reason=reason.strip(),
        reopen_kind=reopen_kind if unhappy else "", staff=actor)
    extra = {"callback": record.pk, "satisfaction": record.satisfaction, "note": reason.strip()}
    if not reached:
        complaint.failed_callbacks += 1
        saving.save_change(actor, complaint, ComplaintAction.CALLBACK_FAILED, before, extra)
    elif unhappy:
        complaint = to_screening(actor, complaint, before, ComplaintAction.CALLBACK, extra)
        notify(recipients.reviewers(complaint), kind="complaint.screening", obj=complaint,
               link=recipients.complaint_link(complaint),
               text=_("%(number)s: the customer is not satisfied (%(reason)s); screen the answer.") % {
                   "number": complaint.tracking_number, "reason": extra["note"]})
    else:
        _close(actor, complaint, before, ComplaintAction.CALLBACK, extra)
    return record


def to_screening(actor, complaint: Complaint, before: dict, action: str, extra: dict) -> Complaint:
    """The customer is not satisfied (at the callback, or asking for a review): the consumer-protection office
    screens the answer, on the re-handling clock."""
    complaint.status, complaint.closed_at = Status.SCREENING, None
    clocks.stop(complaint)
    clocks.start(complaint, ClockKind.REVIEW)
    clocks.refresh_complaint(complaint)
    return saving.save_change(actor, complaint, action, before, extra)


def dissatisfaction_notice(complaint: Complaint, reason: str) -> str:
    """The default notice of a screening that upholds the handling: the reason and where the customer may
    turn; in the bank's language, editable before it is sent."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s, we have reviewed your dissatisfaction with the handling of complaint %(number)s and "
                 "find it was handled properly: %(reason)s. If you still disagree, you may apply for mediation to "
                 "a financial consumer dispute mediation organisation, complain to the banking and insurance "
                 "regulator (National Financial Regulatory Administration hotline 12378), or apply for "
                 "arbitration or go to court as the law provides.") % {
            "name": complaint.complainant_name, "number": complaint.tracking_number, "reason": reason}


def _dissatisfaction_since_answer(complaint: Complaint) -> tuple:
    """What sent the latest answer to screening: its "not satisfied" callback, the customer's review request."""
    if complaint.communicated_at is None:
        return None, None
    callback = complaint.callbacks.filter(satisfaction=Satisfaction.NOT_SATISFIED,
                                          created_at__gte=complaint.communicated_at).order_by("-created_at", "-id")
    review_request = complaint.review_requests.filter(requested_at__gte=complaint.communicated_at).order_by(
        "-requested_at", "-id")
    return callback.first(), review_request.first()


@transaction.atomic
def screen_dissatisfaction(actor, complaint: Complaint, *, outcome: str, reason: str, reopen_kind: str = "",
                           notice_channel: str = "", notice_text: str = "",
                           expected_version: int | None = None) -> Screening:
    """复核: reopen a complaint handled wrongly, or close it as handled properly with the customer told."""
    state_machine.require_step(actor, "screen", complaint)
    _require_complaint_post(actor, complaint)
    reason = (reason or "").strip()
    if outcome not in ScreeningOutcome.values:
        raise ValidationFailed(_("Choose whether to reopen the complaint or close it."), field="outcome")
    if not reason:
        raise ValidationFailed(_("Write the reason for the screening's outcome."), field="reason")
    reopening = outcome == ScreeningOutcome.REOPEN
    if reopening and reopen_kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="reopen_kind")
    if not reopening and not notice_channel:
        raise ValidationFailed(_("Choose how the customer is told."), field="notice_channel")
    complaint = saving.lock(actor, complaint, "screen", expected_version)
    before = saving.snapshot(complaint)
    callback, review_request = _dissatisfaction_since_answer(complaint)
    screening = Screening(complaint=complaint, callback=callback, review_request=review_request, outcome=outcome,
                          reopen_kind=reopen_kind if reopening else "", reason=reason,
                          screened_by=actor)
    extra = {"outcome": outcome, "note": reason}
    if reopening:
        screening.save()
        _reopen(actor, complaint, before, ComplaintAction.SCREENING_REOPEN, reopen_kind, reason, extra)
        return screening
    screening.notice = notices.send(actor, complaint, kind="dissatisfaction_closed", channel=notice_channel,
                                    text=notice_text.strip() or dissatisfaction_notice(complaint, reason))
    screening.save()
    _close(actor, complaint, before, ComplaintAction.SCREENING_CLOSE, {**extra, "notice": screening.notice.pk})
    return screening


def may_close_unreachable(complaint: Complaint) -> bool:
    return complaint.failed_callbacks >= rules.get("complaint.callback_max_attempts")


@transaction.atomic
def close_unreachable(actor, complaint: Complaint, *, note: str = "", expected_version: int | None = None) -> Complaint:
    complaint = saving.lock(actor, complaint, "close_unreachable", expected_version)
    _require_complaint_post(actor, complaint)
    if not may_close_unreachable(complaint):
        raise ValidationFailed(_("The customer must have been tried %(count)d times before closing without a "
                                 "callback; %(done)d so far.") % {
            "count": rules.get("complaint.callback_max_attempts"), "done": complaint.failed_callbacks},
                               field="note", code="invalid_state")
    before = saving.snapshot(complaint)
    return _close(actor, complaint, before, ComplaintAction.CLOSE_UNREACHABLE,
                  {"attempts": complaint.failed_callbacks, "note": note.strip()})


@transaction.atomic
def reopen_complaint(actor, complaint: Complaint, *, kind: str, reason: str,
                     expected_version: int | None = None) -> Complaint:
    """A closed complaint changes only through this audited reopen (e.g. the customer asks for 核查)."""
    state_machine.require_step(actor, "reopen", complaint)
    if kind not in ReopenKind.values:
        raise ValidationFailed(_("Choose re-handling or review."), field="kind")
    if not (reason or "").strip():
        raise ValidationFailed(_("Write why the complaint is reopened."), field="reason")
    complaint = saving.lock(actor, complaint, "reopen", expected_version)
    before = saving.snapshot(complaint)
    return _reopen(actor, complaint, before, ComplaintAction.REOPEN, kind, reason.strip())
