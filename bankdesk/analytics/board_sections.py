"""Sections that the apps above analytics add to its dashboards (remediation shows the regulation's
"trace to the source" figures), so analytics never imports them.

An app registers a `BoardSection` from its AppConfig.ready(); a dashboard shows the sections registered for
its board whose `context` gives data for the user (None: no right, not shown), each rendered with its own
template after the dashboard's figures, and its `sheet` (when it has one) adds the same figures to the
dashboard's export."""

from collections.abc import Callable
from dataclasses import dataclass

from bankdesk.core.registry import Registry, owner_of

SECTIONS = Registry("dashboard section")


@dataclass(frozen=True)
class BoardSection:
    key: str
    boards: tuple[str, ...]  # the dashboards (dashboards.BOARDS keys) that show it
    template: str  # rendered with `data` (the dict `context` gave)
    context: Callable  # context(user, period, under) -> dict, or None: not shown to this user
    order: int = 1000
    sheet: Callable | None = None  # sheet(data) -> core.exports.Sheet: the section in the dashboard's export


def register(*sections: BoardSection, owner: str) -> None:
    for section in sections:
        SECTIONS.add(section.key, section, owner_of(owner))


def sections_for(user, board_key: str, period, under) -> list[dict]:
    """The sections of the board shown to `user`, in order, each with its template and data."""
    shown = []
    for section in sorted(SECTIONS.values(), key=lambda section: section.order):
        if board_key not in section.boards:
            continue
        data = section.context(user, period, under)
        if data is not None:
            shown.append({"key": section.key, "template": section.template, "data": data, "sheet": section.sheet})
    return shown
