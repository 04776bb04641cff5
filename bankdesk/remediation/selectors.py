"""Reads of remediation, always limited to what the user may see."""

from bankdesk.remediation.models import AccountabilityRecord


def my_records(user):
    """The staff member's own records (their page): every status, newest first."""
    return (AccountabilityRecord.objects.filter(staff=user).select_related("penalty", "complaint")
            .only("id", "status", "proposed_at", "facts", "appeal_text", "penalty__name", "complaint__tracking_number"))
