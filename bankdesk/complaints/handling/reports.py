"""Reports of serious complaints to the people above the unit: a major complaint at once to the heads
and the consumer-protection office (重大投诉事项报告), an important one to the unit's manager."""

from django.utils.translation import gettext as _

from bankdesk.complaints.handling import recipients
from bankdesk.complaints.models import Complaint, Severity
from bankdesk.core.messaging import notify
from bankdesk.orgs.models import Role


def report_by_severity(complaint: Complaint) -> None:
    if complaint.severity == Severity.MAJOR:
        report_major_complaint(complaint)
    elif complaint.severity == Severity.IMPORTANT:
        _report_important_complaint(complaint)


def report_major_complaint(complaint: Complaint) -> None:
    """重大投诉事项报告: the heads and the consumer-protection office above the unit are told at once."""
    unit = complaint.unit
    notify(recipients.over(unit, [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION]), kind="complaint.major", obj=complaint,
           link=recipients.complaint_link(complaint), sms=True,
           text=_("Major complaint %(number)s about %(unit)s: report at once.") % {
               "number": complaint.tracking_number, "unit": unit.name})


def _report_important_complaint(complaint: Complaint) -> None:
    """An important complaint is reported to the manager of the unit concerned (within the hour: at once)."""
    notify(recipients.heads(complaint.unit), kind="complaint.important", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("Important complaint %(number)s about %(unit)s.") % {
               "number": complaint.tracking_number, "unit": complaint.unit.name})
