from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bankdesk.core.permissions import Permission, has_permission

# (label, url name, permission needed or None for every signed-in user)
NAVIGATION = [
    (_("Home"), "home", None),
    (_("Register complaint"), "complaints:register", Permission.REGISTER_COMPLAINT),
    (_("Intake queue"), "complaints:queue", Permission.REVIEW_COMPLAINTS),
    (_("Complaints"), "complaints:list", Permission.VIEW_COMPLAINTS),
    (_("Knowledge"), "knowledge:search", Permission.VIEW_KNOWLEDGE),
    (_("Organisation"), "orgs:units", Permission.VIEW_ORG),
    (_("Users"), "orgs:users", Permission.MANAGE_USERS),
    (_("Rules"), "core:rules", Permission.MANAGE_RULES),
    (_("Holidays"), "core:calendar", Permission.MANAGE_CALENDAR),
    (_("Audit trail"), "core:audit", Permission.VIEW_AUDIT),
    (_("API tokens"), "orgs:tokens", None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, permission in NAVIGATION
        if permission is None or has_permission(user, permission)
    ]
    return {"nav_items": items}
