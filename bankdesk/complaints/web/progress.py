"""How a complaint's progress reads to the customer, in plain words."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bankdesk.complaints.models import Complaint, Status


def customer_stage(complaint: Complaint) -> tuple[str, str]:
    """(stage, explanation) for the public tracking page; nothing internal is revealed."""
    if complaint.status == Status.REGISTERED:
        return _("Received"), _("We have received your complaint and are reviewing it.")
    if complaint.status == Status.NOT_ACCEPTED:
        reason = complaint.non_acceptance_reason.name if complaint.non_acceptance_reason_id else ""
        return _("Not accepted"), _("Your complaint could not be accepted. Reason: %(reason)s") % {"reason": reason}
    if complaint.status in (Status.ACCEPTED, Status.ROUTED, Status.INVESTIGATING, Status.DECISION_PROPOSED,
                            Status.DECISION_APPROVED, Status.REOPENED):
        return _("Being handled"), _("Your complaint has been accepted and the department concerned is looking "
                                     "into it. We will contact you with the outcome.")
    if complaint.status == Status.SCREENING:
        return _("Being reviewed"), _("You told us you are not satisfied; our consumer-protection office is "
                                      "reviewing how your complaint was handled and will contact you.")
    if complaint.status == Status.COMMUNICATED:
        return _("Answered"), _("We have told you the outcome; we will call you to ask whether you are satisfied.")
    if complaint.status == Status.MERGED:
        return _("Merged"), _("Your complaint is handled together with your earlier complaint %(number)s.") % {
            "number": complaint.merged_into.tracking_number if complaint.merged_into_id else ""}
    if complaint.status == Status.WITHDRAWN:
        return pgettext("complaint", "Withdrawn"), _("You withdrew this complaint.")
    return _("Closed"), _("This complaint is closed. Thank you for telling us.")
