"""Severity rules, routing rules and the choice of a handler by load, with recusal."""

from decimal import Decimal, InvalidOperation

from django.db.models import Count

from bankdesk.complaints.models import (
    OPEN_STATUSES,
    ChannelKind,
    Complaint,
    RoutingRule,
    Severity,
    SeverityCondition,
    SeverityRule,
)
from bankdesk.orgs.models import Role, RoleAssignment, User, next_path


def _severity_rule_matches(rule: SeverityRule, complaint: Complaint) -> bool:
    if rule.condition == SeverityCondition.GROUP:
        return complaint.is_group
    if rule.condition == SeverityCondition.REGULATOR:
        return complaint.channel.kind == ChannelKind.REGULATOR
    if rule.condition == SeverityCondition.MEDIA:
        return complaint.channel.kind == ChannelKind.MEDIA
    if rule.condition == SeverityCondition.AMOUNT_OVER:
        try:
            return complaint.amount_involved is not None and complaint.amount_involved > Decimal(rule.parameter)
        except InvalidOperation:
            return False
    if rule.condition == SeverityCondition.KEYWORD:
        text = f"{complaint.description}\n{complaint.demand}"
        return any(word.strip() and word.strip() in text for word in rule.parameter.replace("，", ",").split(","))
    return False


def _assess(rules: list[SeverityRule], complaint: Complaint) -> tuple[int, list[SeverityRule]]:
    matched = [rule for rule in rules if _severity_rule_matches(rule, complaint)]
    return max([Severity.MINOR, *(rule.severity for rule in matched)]), matched


def assess_severity(complaint: Complaint) -> tuple[int, list[SeverityRule]]:
    """The highest severity any active rule gives, and the rules that matched."""
    return assess_severities([complaint])[0]


def assess_severities(complaints: list[Complaint]) -> list[tuple[int, list[SeverityRule]]]:
    """`assess_severity` of each complaint, the rules read once."""
    rules = list(SeverityRule.objects.filter(is_active=True))
    return [_assess(rules, complaint) for complaint in complaints]


def _routing_rule_matches(rule: RoutingRule, complaint: Complaint) -> bool:
    if rule.business_category_id and rule.business_category_id not in (
            complaint.business_category_id, complaint.business_category.parent_id):
        return False
    if rule.unit_id and not complaint.unit_path.startswith(rule.unit.path):
        return False
    if rule.min_severity and complaint.severity < rule.min_severity:
        return False
    return not (rule.channel_id and rule.channel_id != complaint.channel_id)


def matching_routing_rule(complaint: Complaint) -> RoutingRule | None:
    rules = RoutingRule.objects.filter(is_active=True).select_related("unit", "lead_department")
    return next((rule for rule in rules if _routing_rule_matches(rule, complaint)), None)


def recused_user_ids(complaint: Complaint) -> set[int]:
    """Staff who may never handle this complaint: the one complained about, and who approved the act."""
    recused = set(complaint.disputed_act_approvers.values_list("id", flat=True))
    if complaint.staff_concerned_id:
        recused.add(complaint.staff_concerned_id)
    return recused


def eligible_handlers(complaint: Complaint, department):
    """Active handlers of the department's subtree, less those recused."""
    handler_ids = (RoleAssignment.objects.filter(
        role=Role.HANDLER, is_active=True, unit__path__gte=department.path, unit__path__lt=next_path(department.path))
        .values("user_id"))
    return User.objects.filter(is_active=True, id__in=handler_ids).exclude(id__in=recused_user_ids(complaint))


def least_loaded_handler(complaint: Complaint, department) -> User | None:
    """The eligible handler with the fewest open complaints (ties: the lowest id, for stable results)."""
    candidates = list(eligible_handlers(complaint, department).order_by("id"))
    if not candidates:
        return None
    loads = dict(Complaint.objects.filter(handler__in=candidates, status__in=OPEN_STATUSES)
                 .values_list("handler").annotate(open_count=Count("id")).order_by())
    return min(candidates, key=lambda user: (loads.get(user.id, 0), user.id))
