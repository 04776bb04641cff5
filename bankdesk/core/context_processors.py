from django.urls import reverse

from bankdesk.core import navigation as menu
from bankdesk.core.permissions import has_permission
from bankdesk.core.selectors import unread_notification_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = unread_notification_count(user)
    items = []
    for entry in menu.entries():
        if entry.permission is None or has_permission(user, entry.permission):
            url = reverse(entry.url_name, args=entry.args)
            items.append({"label": entry.label, "url": url, "active": request.path == url,
                          "unread": unread if entry.url_name == "core:inbox" else None})
    return {"nav_items": items, "inbox_unread": unread}
