"""Limits on what an anonymous caller may do: file complaints (counted per address and per phone), look up
their progress (per address)."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.errors import RateLimited
from bankdesk.core.pii import blind_index, normalize_phone
from bankdesk.core.ratelimit import hit

# action: (rule with the hourly limit, what the refused customer is told)
LIMITS = {
    "file": ("complaint.public_form_per_hour",
             _("Too many complaints from this address; please call our hotline instead.")),
    "track": ("complaint.public_tracking_per_hour",
              _("Too many look-ups from this address; please try again later or call our hotline.")),
}
PHONE_LIMITS = {
    "file": ("complaint.public_form_per_phone_per_hour",
             _("Too many complaints with this phone number; please call our hotline instead.")),
}


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def check_rate(request, action: str, phone: str = "") -> None:
    """Count one `action` from the caller's address, and from `phone` when the action counts phones; refuse
    (429) once an hourly rule is reached. The phone is counted by its blind index, never kept as typed."""
    _count(f"public-{action}:{client_address(request)}", *LIMITS[action])
    if action in PHONE_LIMITS and normalize_phone(phone or ""):
        _count(f"public-{action}-phone:{blind_index(phone, 'phone')}", *PHONE_LIMITS[action])


def _count(key: str, rule: str, refusal) -> None:
    decision = hit(key, rules.get(rule))
    if not decision.allowed:
        raise RateLimited(str(refusal), decision.retry_after)
