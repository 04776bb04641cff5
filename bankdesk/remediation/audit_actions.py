"""The audit actions of remediation, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RemediationAction(models.TextChoices):
    PAYMENT_PROPOSE = "remediation.payment.propose", _("Payment order proposed")
    PAYMENT_APPROVE = "remediation.payment.approve", _("Payment order approved")
    PAYMENT_REJECT = "remediation.payment.reject", _("Payment order rejected")
    PAYMENT_CANCEL = "remediation.payment.cancel", _("Payment order cancelled")
    PAYMENT_EXPORT = "remediation.payment.export", _("Payment file exported")
    PAYMENT_PAID = "remediation.payment.paid", _("Payment reference entered, order paid")
    DEVICE_ENROL = "remediation.device.enrol", _("Approver's authenticator enrolled")
    DEVICE_CONFIRM = "remediation.device.confirm", _("Approver's authenticator confirmed")
    RECTIFICATION_OPEN = "remediation.rectification.open", _("Rectification item opened")
    RECTIFICATION_LINK = "remediation.rectification.link", _("Complaint added to a rectification item")
    RECTIFICATION_UPDATE = "remediation.rectification.update", _("Rectification item updated")
    RECTIFICATION_EVIDENCE = "remediation.rectification.evidence", _("Rectification evidence added")
    RECTIFICATION_REPORT = "remediation.rectification.report", _("Rectification reported done")
    RECTIFICATION_VERIFY = "remediation.rectification.verify", _("Rectification verified")
    RECTIFICATION_REOPEN = "remediation.rectification.reopen", _("Rectification not accepted")
    RECTIFICATION_CHASE = "remediation.rectification.chase", _("Overdue rectification chased")
    ACCOUNTABILITY_PROPOSE = "remediation.accountability.propose", _("Accountability proposed")
    ACCOUNTABILITY_APPROVE = "remediation.accountability.approve", _("Accountability approved")
    ACCOUNTABILITY_REJECT = "remediation.accountability.reject", _("Accountability not approved")
    ACCOUNTABILITY_APPEAL = "remediation.accountability.appeal", _("Accountability appealed")
    ACCOUNTABILITY_APPEAL_DECIDE = "remediation.accountability.appeal_decide", _("Accountability appeal decided")
    EXPORT = "remediation.export", _("Remediation list exported")
