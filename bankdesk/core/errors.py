"""Errors that services raise; web views and the API turn them into one user-facing format."""

from django.core.exceptions import PermissionDenied  # noqa: F401  (re-exported: the 403 of every layer)


class ValidationFailed(Exception):
    """Input that cannot be accepted; `message` says what to fix, `field` names the input."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(Exception):
    """The object does not exist or lies outside the user's scope (the two look the same)."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class Conflict(Exception):
    """Someone else changed the object first; nothing was saved."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(Exception):
    """Too many requests from one caller; `retry_after` says in how many seconds to try again (HTTP 429)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
