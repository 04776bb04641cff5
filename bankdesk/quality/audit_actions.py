"""The audit actions of outlet service quality, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualityAction(models.TextChoices):
    COMMENDATION_RECORD = "quality.commendation.record", _("Commendation registered")
    COMMENDATION_VOID = "quality.commendation.void", _("Commendation voided")
    INTERCEPTION_RECORD = "quality.interception.record", _("Fraud interception recorded")
    INTERCEPTION_VOID = "quality.interception.void", _("Fraud interception voided")
    CARE_RECORD = "quality.care.record", _("Care service recorded")
    CARE_OUTCOME = "quality.care.outcome", _("Care service outcome recorded")
    CARE_VOID = "quality.care.void", _("Care service voided")
    STAR_ROUND_OPEN = "quality.star.open", _("Service-star round opened")
    STAR_SCORE = "quality.star.score", _("Service-star scores entered")
    STAR_PUBLISH = "quality.star.publish", _("Service stars published")
    RATING_COMPUTE = "quality.rating.compute", _("Outlet star ratings computed")
    CUSTOMER_COUNT_SET = "quality.figures.customers", _("Customer count entered")
    EVALUATOR_TALLY_SET = "quality.figures.evaluator", _("Customer evaluator results entered")
    FIGURES_IMPORT = "quality.figures.import", _("Monthly outlet figures imported")
    EXPORT = "quality.export", _("Service-quality list exported")
    VISIT_SCHEDULE = "quality.visit.schedule", _("Inspection visit scheduled")
    VISIT_CANCEL = "quality.visit.cancel", _("Inspection visit cancelled")
    VISIT_START = "quality.visit.start", _("Inspection visit scoring started")
    VISIT_COMPLETE = "quality.visit.complete", _("Inspection visit completed")
    VISIT_PHOTOS = "quality.visit.photos", _("Inspection photos added")
    FOLLOW_UP_REPORT = "quality.follow_up.report", _("Follow-up action reported fixed")
    FOLLOW_UP_CLOSE = "quality.follow_up.close", _("Follow-up action verified and closed")
    FOLLOW_UP_REOPEN = "quality.follow_up.reopen", _("Follow-up fix not accepted")
    FOLLOW_UP_REASSIGN = "quality.follow_up.reassign", _("Follow-up action reassigned")
    FOLLOW_UP_CHASE = "quality.follow_up.chase", _("Overdue follow-up action chased")
    CHECKLIST_INSTALL = "quality.checklist.install", _("Outlet checklist installed from the standard template")
