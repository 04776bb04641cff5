"""The home page answers "what must I do now": each app registers tiles (a count and the list behind it)
and panels (a small table) from AppConfig.ready(); the page shows those the user has the permission for.

A tile's `count(user)` is one cheap COUNT on an index; the page runs one per tile it shows, so the home
page's queries are the tiles' and panels' own, never a loop over rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bankdesk.core.permissions import has_permission
from bankdesk.core.registry import Registry, owner_of

TILES = Registry("home tile")
PANELS = Registry("home panel")

# Sections of the home page: my own work first, then my team's (for heads and the consumer-protection office).
MINE = "mine"
TEAM = "team"
LATEST = "latest"
SECTIONS = ((MINE, _("What I must do now")), (TEAM, _("My team")), (LATEST, _("Latest")))

# How a tile looks when its count is not zero.
DANGER = "danger"  # overdue: red
WARNING = "warning"  # due soon, waiting for me: amber
INFO = "info"


@dataclass(frozen=True)
class Tile:
    key: str
    title: object  # lazy text
    url_name: str  # the list behind the count, filtered by `query`
    count: Callable  # count(user) -> int
    permission: str | tuple | None = None  # None: every signed-in user; a tuple: any one of them
    query: str = ""  # "state=2": the list's filter
    args: tuple = ()
    section: str = MINE
    tone: str = INFO
    order: int = 1000
    help: object = ""  # one line under the title


@dataclass(frozen=True)
class Panel:
    key: str
    title: object
    template: str
    context: Callable  # context(user) -> dict for the template
    permission: str | None = None
    section: str = TEAM
    order: int = 1000


def register(*items: Tile | Panel, owner: str) -> None:
    for item in items:
        registry = TILES if isinstance(item, Tile) else PANELS
        registry.add(item.key, item, owner_of(owner))


def _allowed(user, permission) -> bool:
    permissions = permission if isinstance(permission, tuple) else (permission,)
    return permission is None or any(has_permission(user, name) for name in permissions)


def _url(tile: Tile) -> str:
    url = reverse(tile.url_name, args=tile.args)
    return f"{url}?{tile.query}" if tile.query else url


def sections_for(user) -> list[dict]:
    """The home page's sections with the tiles (title, count, link) and panels the user may see."""
    tiles = sorted((tile for tile in TILES.values() if _allowed(user, tile.permission)), key=lambda tile: tile.order)
    panels = sorted((panel for panel in PANELS.values() if _allowed(user, panel.permission)),
                    key=lambda panel: panel.order)
    sections = []
    for key, label in SECTIONS:
        shown = [{"tile": tile, "count": tile.count(user), "url": _url(tile)} for tile in tiles if tile.section == key]
        boxes = [{"panel": panel, "data": panel.context(user)} for panel in panels if panel.section == key]
        if shown or boxes:
            sections.append({"key": key, "label": label, "tiles": shown, "panels": boxes})
    return sections
