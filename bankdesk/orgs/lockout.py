"""django-axes reads the lockout numbers from the rule settings through these callables."""

from datetime import timedelta

from bankdesk.core import rules


def failure_limit(request, credentials) -> int:
    return rules.get("security.login_failure_limit")


def cooloff_time(request=None) -> timedelta:
    return timedelta(minutes=rules.get("security.lockout_minutes"))
