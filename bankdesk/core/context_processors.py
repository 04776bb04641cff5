from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bankdesk.core.permissions import Permission, has_permission
from bankdesk.core.selectors import unread_notification_count

# (label, url name, url arguments, permission needed or None for every signed-in user)
NAVIGATION = [
    (_("Home"), "home", (), None),
    (_("Messages"), "core:inbox", (), None),
    (_("Register complaint"), "complaints:register", (), Permission.REGISTER_COMPLAINT),
    (_("Intake queue"), "complaints:queue", (), Permission.REVIEW_COMPLAINTS),
    (_("My work"), "complaints:my_work", (), Permission.HANDLE_COMPLAINTS),
    (_("Team"), "complaints:team", (), Permission.APPROVE_DECISIONS),
    (_("Complaints"), "complaints:list", (), Permission.VIEW_COMPLAINTS),
    (_("Imports"), "complaint_imports:jobs", (), Permission.IMPORT_COMPLAINTS),
    (_("Knowledge"), "knowledge:search", (), Permission.VIEW_KNOWLEDGE),
    (_("Organisation"), "orgs:units", (), Permission.VIEW_ORG),
    (_("Users"), "orgs:users", (), Permission.MANAGE_USERS),
    (_("Rules"), "core:rules", (), Permission.MANAGE_RULES),
    (_("Complaint tables"), "core:config_table", ("channels",), Permission.MANAGE_TAXONOMIES),
    (_("Holidays"), "core:calendar", (), Permission.MANAGE_CALENDAR),
    (_("Audit trail"), "core:audit", (), Permission.VIEW_AUDIT),
    (_("API tokens"), "orgs:tokens", (), None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = unread_notification_count(user)
    items = []
    for label, name, args, permission in NAVIGATION:
        if permission is None or has_permission(user, permission):
            url = reverse(name, args=args)
            items.append({"label": label, "url": url, "active": request.path == url,
                          "unread": unread if name == "core:inbox" else None})
    return {"nav_items": items, "inbox_unread": unread}
