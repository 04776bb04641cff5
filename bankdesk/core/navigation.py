"""The menu: each app registers its entries from AppConfig.ready(); the context processor shows
the ones the user has the permission for, by group (a task: 工作台, 投诉, 知识…) and in `order`.

An entry may name a `count(user) -> int` (one cheap indexed COUNT): the menu shows it as a badge,
read after the page in one request of its own (`core:nav_counts`), so no page waits for the counts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from bankdesk.core.registry import Registry, owner_of

ENTRIES = Registry("navigation entry")  # (url name, url arguments) -> NavEntry
GROUPS = Registry("navigation group")  # key -> NavGroup

# The groups of the menu, by task. Apps place an entry with NavEntry(group=...).
WORKBENCH = "workbench"
COMPLAINTS = "complaints"
KNOWLEDGE = "knowledge"
CALL_CENTER = "callcenter"
OUTLETS = "outlets"
REPORTS = "reports"
ADMINISTRATION = "admin"


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: object  # lazy text
    order: int


@dataclass(frozen=True)
class NavEntry:
    label: object  # lazy text
    url_name: str
    args: tuple = ()
    permission: str | None = None  # None: every signed-in user
    order: int = 1000
    group: str = WORKBENCH
    count: Callable | None = None  # count(user) -> int: the badge beside the entry

    @property
    def key(self) -> str:
        """A name for the entry's badge, unique in the menu ("complaints-queue", "core-config_table-channels")."""
        return "-".join([self.url_name.replace(":", "-"), *map(str, self.args)])


def register(*entries: NavEntry, owner: str) -> None:
    for entry in entries:
        ENTRIES.add((entry.url_name, entry.args), entry, owner_of(owner))


def register_groups(*groups: NavGroup, owner: str) -> None:
    for group in groups:
        GROUPS.add(group.key, group, owner_of(owner))


def entries() -> list[NavEntry]:
    return sorted(ENTRIES.values(), key=lambda entry: entry.order)


def groups() -> list[NavGroup]:
    """The registered groups in order; an entry naming an unknown group falls into the workbench."""
    return sorted(GROUPS.values(), key=lambda group: group.order)


def group_of(entry: NavEntry) -> str:
    return entry.group if entry.group in GROUPS else WORKBENCH


CORE_GROUPS = (
    NavGroup(WORKBENCH, pgettext_lazy("menu group", "Workbench"), 10),
    NavGroup(COMPLAINTS, pgettext_lazy("menu group", "Complaints"), 20),
    NavGroup(KNOWLEDGE, pgettext_lazy("menu group", "Knowledge"), 30),
    NavGroup(CALL_CENTER, pgettext_lazy("menu group", "Call center"), 40),
    NavGroup(OUTLETS, pgettext_lazy("menu group", "Outlet service"), 50),
    NavGroup(REPORTS, pgettext_lazy("menu group", "Statistics"), 60),
    NavGroup(ADMINISTRATION, pgettext_lazy("menu group", "Administration"), 70),
)


@dataclass(frozen=True)
class SearchTarget:
    """What the header's search box searches: the list at `url_name`, given the words as `parameter`.
    The header offers the first target (by `order`) the user has the permission for."""

    url_name: str
    parameter: str
    placeholder: object  # lazy text: what one may type
    permission: str | None = None
    order: int = 1000


SEARCHES = Registry("header search")


def register_search(target: SearchTarget, owner: str) -> None:
    SEARCHES.add(target.url_name, target, owner_of(owner))


def searches() -> list[SearchTarget]:
    return sorted(SEARCHES.values(), key=lambda target: target.order)
