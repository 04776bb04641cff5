"""Who may open each page and call each API operation, declared by the app that serves it.

Keys are URL names ("complaints:detail") and API operation ids ("complaints_add_note"); a value is
a permission, a tuple of permissions (any one suffices), SIGNED_IN (every staff user) or PUBLIC (no
sign-in). The declaration is the door check (AccessMiddleware for pages, the API's authentication for
operations); services still check the object's scope and the step. The permission matrix
(bankdesk/tests/test_permission_matrix.py) holds every URL and operation against these
declarations, and fails for one that has none.
"""

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from bankdesk.core.errors import PermissionDenied
from bankdesk.core.permissions import has_permission
from bankdesk.core.registry import Registry, owner_of

PUBLIC = "public"
SIGNED_IN = "signed-in"

RULES = Registry("access rule")


def register(rules: dict, owner: str) -> None:
    for key, rule in rules.items():
        RULES.add(key, rule, owner_of(owner))


def rule_for(key: str):
    """The declared rule of a URL name or operation id, or None when the app declared none."""
    return RULES.get(key)


def permissions_of(rule) -> tuple:
    """The permissions a rule asks for (any one suffices); () for PUBLIC and SIGNED_IN."""
    return () if rule in (PUBLIC, SIGNED_IN) else tuple(rule) if isinstance(rule, tuple) else (rule,)


def allows(user, rule) -> bool:
    """True when a signed-in `user` passes `rule` (PUBLIC and SIGNED_IN pass every signed-in user)."""
    permissions = permissions_of(rule)
    return not permissions or any(has_permission(user, permission) for permission in permissions)


def enforce(user, key: str) -> None:
    """The door check of a page or operation: 403 without its declared right, and for one that
    declares none (closed unless declared). Services still check the object and the step."""
    rule = rule_for(key)
    if rule is None or not allows(user, rule):
        raise PermissionDenied(_("You do not have the right to do this."))


class AccessMiddleware:
    """Every page outside the API opens only as its app declared: PUBLIC for anyone, otherwise signed in
    (else the login page) and holding one of its permissions (else 403). The API checks its operations
    in its authentication (bankdesk/api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespaces[:1] == ["api"]:
            return None
        if rule_for(match.view_name) == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        enforce(request.user, match.view_name)
        return None
