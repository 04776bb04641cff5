"""Severity: the severity rules a complaint matches and the severity they give it (one or a batch)."""

import functools
from decimal import Decimal, InvalidOperation

from bankdesk.complaints import cached_lists
from bankdesk.complaints.models import (
    ChannelKind,
    Complaint,
    Severity,
    SeverityCondition,
    SeverityRule,
)


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
        return any(word in text for word in _keywords(rule.parameter))
    return False


@functools.lru_cache(maxsize=256)
def _keywords(parameter: str) -> tuple[str, ...]:
    """The words of a keyword rule's parameter (comma-separated, Chinese commas too), split once per text."""
    return tuple(word.strip() for word in parameter.replace("，", ",").split(",") if word.strip())


def _assess(rules: list[SeverityRule], complaint: Complaint) -> tuple[int, list[SeverityRule]]:
    matched = [rule for rule in rules if _severity_rule_matches(rule, complaint)]
    return max([Severity.MINOR, *(rule.severity for rule in matched)]), matched


def assess_severity(complaint: Complaint) -> tuple[int, list[SeverityRule]]:
    """The highest severity any active rule gives, and the rules that matched."""
    return assess_severities([complaint])[0]


def assess_severities(complaints: list[Complaint], rules=None) -> list[tuple[int, list[SeverityRule]]]:
    """`assess_severity` of each complaint, the rules read once (or given: the active rules, read before)."""
    rules = cached_lists.active_severity_rules() if rules is None else rules
    return [_assess(rules, complaint) for complaint in complaints]
