import re
import time
import uuid

from bankdesk.core import audit, rules
from bankdesk.core.models import AuditSource

SESSION_REFRESH_SECONDS = 60
# A caller's request id is kept only when it cannot smuggle anything into logs, headers or the audit trail.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,36}")  # 36: the audit column; a UUID fits
LAST_REFRESH_KEY = "bankdesk_expiry_refreshed_at"


class SessionIdleTimeoutMiddleware:
    """Signs a user out after the idle time of the rule settings, refreshing at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            if now - request.session.get(LAST_REFRESH_KEY, 0) > SESSION_REFRESH_SECONDS:
                request.session.set_expiry(rules.get("security.session_idle_minutes") * 60)
                request.session[LAST_REFRESH_KEY] = now
        return self.get_response(request)


class AuditContextMiddleware:
    """Tags every audit event written during a request with its user, channel and request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request.headers.get("X-Request-ID", ""))
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.WEB
        with audit.audit_context(actor=request.user, source=source, request_id=request.id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


def request_id(sent: str) -> str:
    """The caller's X-Request-ID if it is a plain token, else a new one."""
    return sent if REQUEST_ID_PATTERN.fullmatch(sent) else str(uuid.uuid4())
