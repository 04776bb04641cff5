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
