"""The complaint statistics dashboard as a background export (core/exports.py, kind analytics.dashboard): its
headline indicators with their reference values, the monthly trend, the breakdowns and the units per 10,000
customers, each a sheet (a table in the PDF with its bar chart), under the dashboard page's own filters and
within the user's scope, and the board's role sections (board_sections.py) that give a sheet."""

from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.analytics import dashboards, selectors
from bankdesk.analytics.forms import DashboardForm
from bankdesk.analytics.permissions import AnalyticsPermission as P
from bankdesk.core import exports
from bankdesk.core.permissions import require

EXPORT_KIND = "analytics.dashboard"


def _sheet(title: str, header: list, rows: list, chart_column: int | None = None, widths=None) -> exports.Sheet:
    chart = None
    if chart_column is not None:
        chart = exports.Chart(title, [(str(row[0]), row[chart_column] or 0) for row in rows
                                      if isinstance(row[chart_column], int | float)])
    return exports.Sheet(title, [str(title_text) for title_text in header], rows, len(rows), widths=widths,
                         chart=chart)


def export_document(user, data) -> exports.Document:
    require(user, P.VIEW)
    form = DashboardForm(data or None)
    exports.refuse_invalid(form)
    values = form.cleaned_data if form.is_bound else {}
    period = form.period() if values else dashboards.default_period()
    under = selectors.unit_in_scope(user, values.get("unit", ""))
    board = dashboards.board_for(user, values.get("view", ""))
    shown = dashboards.dashboard(user, board, period, under)

    def percent(figure, value):
        return f"{value}%" if value is not None and figure.indicator.kind == "percent" else value

    headline = [[str(figure.indicator.label), percent(figure, figure.value),
                 "" if figure.reference is None else ("≤ " if figure.indicator.reference_is_maximum else "≥ ")
                 + str(percent(figure, figure.reference)), str(figure.indicator.formula)]
                for figure in shown["headline"]]
    trend = shown["trend"]
    months = [[month, count] for month, count in zip(trend["x"], trend["series"][0]["data"] if trend["series"] else [])]
    sheets = [_sheet(_("Indicator"), [_("Indicator"), _("Value"), _("Reference"), _("Formula")], headline,
                     widths=[24, 12, 12, 60]),
              _sheet(_("Complaints received"), [_("Month"), _("Complaints")], months, 1, widths=[12, 12])]
    for title, rows in shown["breakdowns"]:
        sheets.append(_sheet(str(title), [_("Item name"), _("Complaints")],
                             [[row["label"], row["count"]] for row in rows], 1, widths=[36, 12]))
    sheets.append(_sheet(_("Per 10,000 customers"), [_("Unit"), _("Per 10,000 customers"), _("Complaints")],
                         [[row["label"], row["rate"], row["count"]] for row in shown["units_per_10k"]], 2,
                         widths=[30, 16, 12]))
    sheets += [section["sheet"](section["data"]) for section in shown["sections"] if section["sheet"]]
    about = [(_("Dashboard"), str(board.title)), (_("Period"), f"{period.first} – {period.last}"),
             (_("Unit"), f"{under.code} {under.name}" if under else _("Your whole scope")),
             (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))]
    return exports.Document(f"{_('Complaint statistics')} · {board.title}",
                            f"complaint-statistics-{period.first:%Y%m%d}-{period.last:%Y%m%d}", sheets, about=about)
