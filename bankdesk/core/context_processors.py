from django.urls import reverse
from django.utils.translation import gettext as _

from bankdesk.core import navigation as menu
from bankdesk.core.permissions import has_permission
from bankdesk.core.selectors import unread_notification_count

CLOSED_GROUPS_COOKIE = "bd_nav_closed"  # the menu groups the user folded, set by bankdesk.js


def visible_entries(user) -> list[menu.NavEntry]:
    return [entry for entry in menu.entries() if entry.permission is None or has_permission(user, entry.permission)]


def _mark_active(items: list[dict], path: str) -> None:
    """The entry whose address is the longest start of the page's path is the current one."""
    matching = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True


def _groups(request, user) -> list[dict]:
    closed = set(request.COOKIES.get(CLOSED_GROUPS_COOKIE, "").split(","))
    by_group: dict[str, list] = {}
    items = []
    for entry in visible_entries(user):
        item = {"label": entry.label, "url": reverse(entry.url_name, args=entry.args), "key": entry.key,
                "counted": entry.count is not None, "active": False}
        items.append(item)
        by_group.setdefault(menu.group_of(entry), []).append(item)
    _mark_active(items, request.path)
    return [{"key": group.key, "label": group.label, "items": by_group[group.key],
             "open": group.key not in closed or any(item["active"] for item in by_group[group.key])}
            for group in menu.groups() if group.key in by_group]


def _search(user):
    for target in menu.searches():
        if target.permission is None or has_permission(user, target.permission):
            return {"url": reverse(target.url_name), "parameter": target.parameter,
                    "placeholder": target.placeholder}
    return None


def client_messages() -> dict:
    """What bankdesk.js says in the user's language ("%(name)s" filled in by the script)."""
    return {"errors_heading": _("Please correct these %(count)s problems:"), "required": _("This field is required."),
            "file_too_large": _("“%(name)s” is larger than %(size)s MB: choose a smaller file."),
            "too_many_files": _("Choose at most %(count)s files.")}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"client_messages": client_messages()}
    return {"nav_groups": _groups(request, user), "inbox_unread": unread_notification_count(user),
            "header_search": _search(user), "client_messages": client_messages()}
