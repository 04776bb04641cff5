"""The customer's request for a review (核查) of the decision, from the tracking page: allowed once per answer,
within `complaint.customer_review_calendar_days` of it (the time the decision letter states); the request is
on the record and, like a "not satisfied" callback, sends the complaint to the complaint post's screening (复核),
which reopens it for review or closes it with the reason and where the customer may turn."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.decisions.callback import to_screening
from bankdesk.complaints.handling import recipients
from bankdesk.complaints.models import Complaint, ReviewRequest, Status
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify

ANSWERED = (Status.COMMUNICATED, Status.CLOSED)
REASON_LIMIT = 2000


def review_window_ends(complaint: Complaint) -> datetime | None:
    """Until when the customer may ask for a review of the answer they got (the end of the last day, China time,
    counted from the day of the answer); None before any answer."""
    if complaint.status not in ANSWERED or complaint.communicated_at is None:
        return None
    last_day = timezone.localdate(complaint.communicated_at) + timedelta(
        days=rules.get("complaint.customer_review_calendar_days"))
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def already_requested(complaint: Complaint) -> ReviewRequest | None:
    """The request made since the latest answer, if any (one per answer)."""
    if complaint.communicated_at is None:
        return None
    return complaint.review_requests.filter(requested_at__gte=complaint.communicated_at).last()


def may_request_review(complaint: Complaint, now: datetime | None = None) -> bool:
    if complaint.archived_at is not None:  # archived: read-only
        return False
    ends = review_window_ends(complaint)
    return ends is not None and (now or timezone.now()) < ends and already_requested(complaint) is None


@transaction.atomic
def request_review(complaint: Complaint, reason: str) -> ReviewRequest:
    """核查 asked by the customer (no login: the caller has proved number and phone)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Tell us what you disagree with."), field="reason")
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": REASON_LIMIT}, field="reason")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not may_request_review(complaint):
        raise ValidationFailed(_("A review can no longer be asked for here; please call our hotline."),
                               field="reason", code="invalid_state")
    before = saving.snapshot(complaint)
    request = ReviewRequest.objects.create(complaint=complaint, reason=reason)
    complaint = to_screening(None, complaint, before, ComplaintAction.CUSTOMER_REVIEW_REQUEST,
                             {"request": request.pk, "note": reason, "answered_status": before["status"]})
    handler = [complaint.handler_id] if complaint.handler_id else []
    notify(recipients.reviewers(complaint) + handler, kind="complaint.customer_review_request", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("%(number)s: the customer asks for a review (核查): %(reason)s; screen the answer.") % {
               "number": complaint.tracking_number, "reason": reason})
    return request

