"""Panels that the apps above complaints add to the complaint page (remediation shows its payment orders,
rectification item and accountability records), so complaints never imports them.

An app registers a `PagePanel` from its AppConfig.ready(). The page reads, with the complaint itself, whether
each of the panel's `relations` (reverse relations of Complaint, e.g. "payment_orders") has entries
(`selectors.complaint_page` annotates `has_<relation>`), so a panel asks for a list only when it has rows: a
panel adds at most one query per list it shows, none for an empty list, none for a user whose `context`
answers None (no right)."""

from collections.abc import Callable
from dataclasses import dataclass

from bankdesk.core.registry import Registry, owner_of

PANELS = Registry("complaint page panel")


@dataclass(frozen=True)
class PagePanel:
    key: str
    template: str  # rendered with `data` (the dict `context` gave) and `complaint`
    context: Callable  # context(user, complaint) -> dict, or None: not shown to this user
    relations: tuple[str, ...] = ()  # Complaint's reverse relations the panel lists
    order: int = 1000


def register(*panels: PagePanel, owner: str) -> None:
    for panel in panels:
        PANELS.add(panel.key, panel, owner_of(owner))


def relations() -> tuple[str, ...]:
    """Every relation a registered panel lists, once each."""
    return tuple(dict.fromkeys(relation for panel in PANELS.values() for relation in panel.relations))


def panels_for(user, complaint) -> list[dict]:
    """The panels shown to `user` on `complaint`'s page, in order, each with its template and data."""
    shown = []
    for panel in sorted(PANELS.values(), key=lambda panel: panel.order):
        data = panel.context(user, complaint)
        if data is not None:
            shown.append({"key": panel.key, "template": panel.template, "data": data})
    return shown
