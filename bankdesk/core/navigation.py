"""The menu: each app registers its entries from AppConfig.ready(); the context processor shows
the ones the user has the permission for, in `order`."""

from dataclasses import dataclass

from bankdesk.core.registry import Registry, owner_of

ENTRIES = Registry("navigation entry")  # (url name, url arguments) -> NavEntry


@dataclass(frozen=True)
class NavEntry:
    label: object  # lazy text
    url_name: str
    args: tuple = ()
    permission: str | None = None  # None: every signed-in user
    order: int = 1000


def register(*entries: NavEntry, owner: str) -> None:
    for entry in entries:
        ENTRIES.add((entry.url_name, entry.args), entry, owner_of(owner))


def entries() -> list[NavEntry]:
    return sorted(ENTRIES.values(), key=lambda entry: entry.order)
