"""django-axes reads the lockout numbers from the rule settings through these callables."""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler

from bankdesk.core import rules


def failure_limit(request, credentials) -> int:
    return rules.get("security.login_failure_limit")


def cooloff_time(request=None) -> timedelta:
    return timedelta(minutes=rules.get("security.lockout_minutes"))


def is_locked_out(request, user) -> bool:
    """Whether django-axes refuses `user`'s password to this caller (same user name and address)."""
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})
