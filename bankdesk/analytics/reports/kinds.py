"""What each report kind covers: its period (a month, quarter, half-year or year, from periods.py), how the
period is named, and when the report is due (rule settings: monthly statistics by the 30th of the next
month; the public disclosure some months after the year)."""

import calendar
from datetime import date

from django.utils.translation import gettext as _

from bankdesk.analytics import periods
from bankdesk.analytics.periods import Period
from bankdesk.analytics.reports.models import ReportKind
from bankdesk.core import rules

PERIOD_KIND = {ReportKind.MONTHLY: "month", ReportKind.QUARTERLY: "quarter", ReportKind.HALF_YEARLY: "half",
               ReportKind.ANNUAL: "year", ReportKind.DISCLOSURE: "year"}
# How many periods of a kind a year has: the `number` of a request runs from 1 to this
PER_YEAR = {ReportKind.MONTHLY: 12, ReportKind.QUARTERLY: 4, ReportKind.HALF_YEARLY: 2, ReportKind.ANNUAL: 1,
            ReportKind.DISCLOSURE: 1}
MONTHS_PER_PERIOD = {kind: 12 // count for kind, count in PER_YEAR.items()}


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The `number`th period of `kind` in `year` (the 3rd month, the 2nd quarter, …)."""
    first_month = (number - 1) * MONTHS_PER_PERIOD[kind] + 1
    return periods.containing(PERIOD_KIND[kind], date(year, first_month, 1))


def number_of(kind: str, first: date) -> int:
    return (first.month - 1) // MONTHS_PER_PERIOD[kind] + 1


def period_label(kind: str, first: date) -> str:
    number = number_of(kind, first)
    if kind == ReportKind.MONTHLY:
        return _("%(year)d-%(month)02d") % {"year": first.year, "month": first.month}
    if kind == ReportKind.QUARTERLY:
        return _("%(year)d Q%(quarter)d") % {"year": first.year, "quarter": number}
    if kind == ReportKind.HALF_YEARLY:
        return (_("%(year)d first half") if number == 1 else _("%(year)d second half")) % {"year": first.year}
    return _("%(year)d") % {"year": first.year}


def _day_in_month(year: int, month: int, day: int) -> date:
    """`day` of the month, or its last day when the month is shorter (the 30th of February is the 28th/29th)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _months_after(last: date, months: int) -> tuple[int, int]:
    index = last.year * 12 + last.month - 1 + months
    return index // 12, index % 12 + 1


def due_date(kind: str, last: date) -> date:
    """When the report of the period ending `last` is due: the rule's day of the month after the period
    (monthly, quarterly, half-yearly, annual statistics); the public disclosure on that day of the rule's
    month after the year."""
    day = rules.get("analytics.report_due_day")
    months = rules.get("analytics.disclosure_due_months") if kind == ReportKind.DISCLOSURE else 1
    return _day_in_month(*_months_after(last, months), day)
