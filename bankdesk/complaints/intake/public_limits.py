"""Limits on what an anonymous address may do: file complaints, look up their progress."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.errors import RateLimited
from bankdesk.core.ratelimit import hit

# action: (rule with the hourly limit, what the refused customer is told)
LIMITS = {
    "file": ("complaint.public_form_per_hour",
             _("Too many complaints from this address; please call our hotline instead.")),
    "track": ("complaint.public_tracking_per_hour",
              _("Too many look-ups from this address; please try again later or call our hotline.")),
}


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def check_rate(request, action: str) -> None:
    """Count one `action` from the caller's address; refuse (429) once the hourly rule is reached."""
    rule, refusal = LIMITS[action]
    decision = hit(f"public-{action}:{client_address(request)}", rules.get(rule))
    if not decision.allowed:
        raise RateLimited(str(refusal), decision.retry_after)
