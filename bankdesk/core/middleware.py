import re
import time
import uuid

from django.utils.cache import add_never_cache_headers

from bankdesk.core import audit, caching, rules
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


class RequestScopeMiddleware:
    """Each rule setting and cached list looked up once per request (`caching.request_scope`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with caching.request_scope():
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


# Scripts, styles, images and requests from BankDesk itself only; no plugins, no framing. Style attributes stay
# allowed (style-src-attr): the team page's load bars and the org tree's indentation are computed widths;
# <style> elements and every inline or evaluated script are refused.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer, and `Cache-Control: no-store` on every answer made here.

    Nearly every page and API answer carries personal data (complaints, phone numbers, the tracking page),
    so no browser or proxy may keep any of them. Static files are served before this middleware
    (WhiteNoise) and stay cacheable. HSTS comes from Django's SecurityMiddleware (SECURE_HSTS_SECONDS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        add_never_cache_headers(response)
        return response
