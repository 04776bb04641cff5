"""The dashboards per role: which headline indicators each shows, and the figures of one dashboard read
through `figures.compute` (each a handful of GROUP BY queries), with the link to the complaints behind
every figure (the complaint list's own filters)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.analytics import board_sections, figures
from bankdesk.analytics.dimensions import DIMENSIONS
from bankdesk.analytics.periods import Period, containing, series
from bankdesk.core.permissions import roles
from bankdesk.orgs.models import Role


@dataclass(frozen=True)
class Board:
    key: str
    title: str
    headline: tuple


BOARDS = {board.key: board for board in [
    Board("management", _("Management"), ("volume", "rate_per_10k", "on_time_closure_rate", "resolution_rate",
                                           "satisfaction_rate", "escalated_share")),
    Board("consumer_protection", _("Consumer-protection office"), (
        "volume", "acceptance_rate", "step_timeliness_rate", "work_order_accuracy_rate", "average_overdue_days",
        "repeat_rate", "reopen_rate")),
    Board("department", _("Department head"), ("volume", "on_time_closure_rate", "average_handling_days",
                                               "average_overdue_days", "first_contact_resolution_rate", "reopen_rate")),
    Board("outlet", _("Outlet"), ("volume", "rate_per_10k", "staff_service_justified", "satisfaction_rate",
                                  "repeat_rate")),
]}
ROLE_BOARDS = [(Role.MANAGEMENT, "management"), (Role.AUDITOR, "management"),
               (Role.CONSUMER_PROTECTION, "consumer_protection"), (Role.UNIT_HEAD, "department")]
TREND_MONTHS = 12
TOP = 5


def board_for(user, key: str = "") -> Board:
    """The board asked for, else the one of the user's first role that has one."""
    if key in BOARDS:
        return BOARDS[key]
    held = roles(user)
    return BOARDS[next((board for role, board in ROLE_BOARDS if role in held), "outlet")]


def default_period() -> Period:
    today = timezone.localdate()
    return Period(today.replace(day=1), today)


def complaints_link(period: Period, **filters) -> str:
    query = {"received_from": period.first.isoformat(), "received_to": period.last.isoformat(), **filters}
    return f"{reverse('complaints:list')}?{urlencode(query)}"


def _breakdown(user, period, by, under, link_filter: str = "") -> list[dict]:
    grouped = figures.compute(user, period, ["volume"], by=by, under=under)
    names = figures.labels(by, [group[0] for group in grouped])
    rows = sorted(({"key": group[0], "label": names.get(group[0]) or DIMENSIONS[by].label_of(
        {"row_id": None, "key": None}), "count": row["volume"].value} for group, row in grouped.items()),
        key=lambda row: -row["count"])
    for row in rows:
        row["link"] = complaints_link(period, **({link_filter: row["key"]} if link_filter and row["key"] else {}))
    return rows


def _outlets_per_10k(user, period, under) -> list[dict]:
    grouped = figures.compute(user, period, ["volume", "rate_per_10k"], by=figures.UNIT_TREE, under=under)
    names = figures.labels(figures.UNIT_TREE, [group[0] for group in grouped])
    from bankdesk.orgs.models import OrgUnit

    ids = dict(OrgUnit.objects.filter(path__in=list(names)).values_list("path", "pk"))
    rows = [{"label": names.get(group[0], "—"), "rate": row["rate_per_10k"].value, "count": row["volume"].value,
             "link": complaints_link(period, unit=ids[group[0]]) if group[0] in ids else ""}
            for group, row in grouped.items()]
    return sorted(rows, key=lambda row: (row["rate"] is None, -(row["rate"] or 0), -row["count"]))[:TOP * 2]


def trend(user, period: Period, under) -> dict:
    """Monthly volume for the twelve months ending with the period's month (those with complaints): one query
    grouped by the month each complaint was received in. (An on-time line over the clocks took 7 s at 50,000
    complaints on SQLite: the headline shows the period's on-time rate instead.)"""
    parts = series("month", containing("month", period.last), TREND_MONTHS)
    counts = figures.volume_per_period(user, parts, under)
    months = [part.first for part in parts if counts.get(part.first)]
    return {"x": [f"{month:%Y-%m}" for month in months], "axes": [str(_("Complaints"))], "integer": True,
            "series": [{"name": str(_("Complaints received")), "type": "bar",
                        "data": [counts[month] for month in months]}]}


def dashboard(user, board: Board, period: Period, under) -> dict:
    headline = figures.compute(user, period, list(board.headline), under=under).get(figures.WHOLE, {})
    unit_filter = {"unit": under.pk} if under else {}
    return {
        "board": board, "period": period, "under": under,
        "headline": [headline[key] for key in board.headline if key in headline],
        "headline_link": complaints_link(period, **unit_filter),
        "trend": trend(user, period, under),
        "breakdowns": [
            (_("By business category"), _breakdown(user, period, "business_category", under, "business_category")),
            (_("By channel"), _breakdown(user, period, "channel", under, "channel")),
            (_("Top causes"), _breakdown(user, period, "cause", under)[:TOP]),
        ],
        "units_per_10k": _outlets_per_10k(user, period, under),
        "sections": board_sections.sections_for(user, board.key, period, under),
    }
