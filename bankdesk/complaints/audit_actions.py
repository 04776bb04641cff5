"""The audit actions of the complaints app, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintAction(models.TextChoices):
    REGISTER = "complaint.register", _("Complaint registered")
    ACCEPT = "complaint.accept", _("Accepted")
    REFUSE = "complaint.refuse", _("Not accepted")
    MERGE = "complaint.merge", _("Merged into another complaint")
    MERGED_IN = "complaint.merged_in", _("A duplicate was merged in")
    WITHDRAW = "complaint.withdraw", pgettext_lazy("complaint", "Withdrawn")
    ROUTE = "complaint.route", _("Routed")
    START = "complaint.start", _("Handling started")
    NOTE = "complaint.note", _("Investigation note")
    CONTACT = "complaint.contact", _("Customer contacted")
    ASSIST_REQUEST = "complaint.assist_request", _("Assisting department asked")
    ASSIST_ANSWER = "complaint.assist_answer", _("Assisting department answered")
    PAUSE = "complaint.pause", _("Clock paused")
    RESUME = "complaint.resume", _("Clock resumed")
    EXTENSION_REQUEST = "complaint.extension_request", _("Extension requested")
    EXTENSION_APPROVED = "complaint.extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "complaint.extension_refused", _("Extension refused")
    DECISION_PROPOSE = "complaint.decision_propose", _("Decision proposed")
    DECISION_APPROVE = "complaint.decision_approve", _("Decision approved")
    DECISION_RETURN = "complaint.decision_return", _("Decision returned for rework")
    COMMUNICATE = "complaint.communicate", _("Decision communicated to the customer")
    CALLBACK = "complaint.callback", _("Callback")
    CALLBACK_FAILED = "complaint.callback_failed", _("Callback: customer not reached")
    CLOSE_UNREACHABLE = "complaint.close_unreachable", _("Closed: customer unreachable")
    REOPEN = "complaint.reopen", _("Reopened")
    ESCALATE = "complaint.escalate", _("Escalated")
    OVERDUE = "complaint.overdue", _("Deadline missed")
    BECOMES_MAJOR = "complaint.becomes_major", _("Became major: unresolved for a month")
    EXPORT = "complaint.export", _("Complaints exported")
    IMPORT_QUEUED = "complaint.import.queued", _("Complaint import queued")
    IMPORT_SUCCEEDED = "complaint.import.succeeded", _("Complaint import finished")
    IMPORT_FAILED = "complaint.import.failed", _("Complaint import failed")
    IMPORT_RESTARTED = "complaint.import.restarted", _("Complaint import started over")
    EMAIL_RECEIVED = "complaint.import.email", _("Complaint e-mail received")
    EMAIL_COMPLETED = "complaint.import.email.complete", _("Complaint e-mail registered after review")
    EMAIL_DISMISSED = "complaint.import.email.dismiss", _("Complaint e-mail dismissed")
