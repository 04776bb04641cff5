"""The outlet service-quality rules with a number (domain.md §6), registered at ready().

The service star's weights are seed 002's (team 30 %, operations manager 15 %, lobby manager 15 %,
customers 40 %); the star-rating weights and thresholds are the bank's own rules (domain.md §6: "the
rating rules are the bank's, so they are data"), with defaults an administrator changes."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.rule_catalog import (
    CALENDAR_DAYS,
    FILES,
    IT_POLICY,
    PERCENT,
    TIMES,
    WORKING_DAYS,
    RuleDefinition,
)

SEED_002 = "《XX银行服务创新金点子》“服务之星”大评比（seed 002）"
RATING_RULES = _("the bank's star-rated outlet rules")
POINTS = _("points")
FOLLOW_UP_RULES = _("the bank's outlet inspection rules (一点一策)")

RULES = [
    RuleDefinition("quality.service_star.weight_team", 30, PERCENT,
                   _("Service star: weight of the team's score"), SEED_002, 0, 100),
    RuleDefinition("quality.service_star.weight_operations", 15, PERCENT,
                   _("Service star: weight of the operations manager's score"), SEED_002, 0, 100),
    RuleDefinition("quality.service_star.weight_lobby", 15, PERCENT,
                   _("Service star: weight of the lobby manager's score"), SEED_002, 0, 100),
    RuleDefinition("quality.service_star.weight_customers", 40, PERCENT,
                   _("Service star: weight of the customers' score"), SEED_002, 0, 100),
    RuleDefinition("quality.service_star.published_places", 3, _("places"),
                   _("Service star: places published each month"), SEED_002, 1, 20),
    RuleDefinition("quality.rating.weight_inspection", 30, PERCENT,
                   _("Star rating: weight of inspections (on site, video, journey)"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.weight_mystery", 20, PERCENT,
                   _("Star rating: weight of mystery shopping"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.weight_complaints", 20, PERCENT,
                   _("Star rating: weight of complaints per 10,000 customers"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.weight_commendations", 10, PERCENT,
                   _("Star rating: weight of commendations"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.weight_evaluator", 20, PERCENT,
                   _("Star rating: weight of the customer evaluators' satisfaction"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.complaint_rate_full_marks", Decimal("0.5"), _("per 10,000 customers a month"),
                   _("Star rating: complaint rate at or below which the complaint score is 100"), RATING_RULES,
                   Decimal(0), Decimal(1000)),
    RuleDefinition("quality.rating.complaint_rate_zero", Decimal(5), _("per 10,000 customers a month"),
                   _("Star rating: complaint rate at or above which the complaint score is 0"), RATING_RULES,
                   Decimal("0.01"), Decimal(1000)),
    RuleDefinition("quality.rating.commendation_points", 50, POINTS,
                   _("Star rating: points for each commendation a month (at most 100 in all)"), RATING_RULES, 1, 100),
    RuleDefinition("quality.rating.min_components", 3, _("components"),
                   _("Star rating: components with data an outlet needs to be rated"), RATING_RULES, 1, 5),
    RuleDefinition("quality.rating.five_stars", 90, POINTS, _("Star rating: score for five stars"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.four_stars", 80, POINTS, _("Star rating: score for four stars"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.three_stars", 70, POINTS, _("Star rating: score for three stars"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.two_stars", 60, POINTS, _("Star rating: score for two stars"), RATING_RULES, 0, 100),
    RuleDefinition("quality.rating.one_star", 50, POINTS, _("Star rating: score for one star"), RATING_RULES, 0, 100),
    RuleDefinition("quality.follow_up.due_working_days", 10, WORKING_DAYS,
                   _("Inspection follow-up: an outlet fixes a failed item within"), FOLLOW_UP_RULES, 1, 120),
    RuleDefinition("quality.follow_up.fail_below_percent", 60, PERCENT,
                   _("Inspection follow-up: a points item scored below this share of its points has failed"),
                   FOLLOW_UP_RULES, 1, 100),
    RuleDefinition("quality.follow_up.chase_interval_days", 2, CALENDAR_DAYS,
                   _("Inspection follow-up: chase the owner of an overdue action again every"), FOLLOW_UP_RULES, 1, 30),
    RuleDefinition("quality.follow_up.escalate_after_chases", 3, TIMES,
                   _("Inspection follow-up: after this many chases the branch's service management is told too"),
                   FOLLOW_UP_RULES, 1, 20),
    RuleDefinition("quality.photo_max_megabytes", 10, _("MB"), _("Largest inspection photo"), IT_POLICY, 1, 50),
    RuleDefinition("quality.figures_import_max_megabytes", 16, _("MB"),
                   _("Largest file of an import of customer and evaluator figures"), IT_POLICY, 1, 256),
    RuleDefinition("quality.photo_max_count", 30, FILES, _("Photos per inspection visit, at most"), IT_POLICY, 1, 200),
]
