"""The quality lists as background exports (core/exports.py): the registers (commendations, fraud
interceptions, care services), the inspection visits and the follow-up actions, each built from its list page's
own filters and scoped selector, under the columns of its direct export; the monthly figure tables; the ranking
and the outlet page (their documents in their views)."""

from types import SimpleNamespace

from django.utils.translation import gettext_lazy, pgettext_lazy

from bankdesk.core import exports
from bankdesk.quality.permissions import QualityPermission as P


def _list_kind(key: str, label, name: str, filters_of, selector, columns) -> exports.ExportKind:
    """The list's filters read by its page's own function (given the user and the filters as its request's GET)."""
    from bankdesk.quality.web import EXPORT_CHUNK

    return exports.list_kind(key, label, P.EXPORT, name,
                             lambda user, data: filters_of(SimpleNamespace(GET=data, user=user)), selector, columns,
                             chunk=EXPORT_CHUNK)


def _figure_columns(*figures: exports.Column) -> list[exports.Column]:
    """A monthly figure table's columns: month, unit, the table's own figures, who entered them and when."""
    return [exports.Column(gettext_lazy("Month"), lambda row: f"{row.month:%Y-%m}"),
            exports.Column(gettext_lazy("Unit"), lambda row: row.unit.name), *figures,
            exports.Column(gettext_lazy("Entered by"), lambda row: str(row.updated_by)),
            exports.Column(gettext_lazy("Entered at"), lambda row: exports.local(row.updated_at))]


ROUND_COLUMNS = [
    exports.Column(gettext_lazy("Month"), lambda row: f"{row.month:%Y-%m}"),
    exports.Column(gettext_lazy("Outlet"), lambda row: row.unit.name),
    exports.Column(gettext_lazy("Status"), lambda row: row.get_status_display()),
    exports.Column(gettext_lazy("Published at"), lambda row: exports.local(row.published_at)),
]
CUSTOMER_COLUMNS = _figure_columns(exports.Column(gettext_lazy("Customers served"), lambda row: row.customers))
EVALUATOR_COLUMNS = _figure_columns(
    exports.Column(pgettext_lazy("customer evaluator", "Evaluations"), lambda row: row.responses),
    exports.Column(gettext_lazy("Satisfied"), lambda row: row.satisfied))


def _register_kind(pages):
    from bankdesk.quality.registers import selectors, views

    return _list_kind(f"quality.{pages.key}s", pages.title, f"{pages.key}s",
                      lambda request: views._filters(request, pages),
                      lambda who, filters: selectors.register_list(who, pages.register, filters), pages.columns)


def register(owner: str) -> None:
    from bankdesk.quality.awards import selectors as award_selectors
    from bankdesk.quality.figures import selectors as figure_selectors
    from bankdesk.quality.figures import views as figures
    from bankdesk.quality.inspections import selectors
    from bankdesk.quality.inspections import views as inspections
    from bankdesk.quality.ratings import views as ratings
    from bankdesk.quality.registers.views import REGISTERS
    from bankdesk.quality.views import export_unit, outlet_document

    visits, follow_ups = gettext_lazy("Inspection visits"), gettext_lazy("Follow-up actions")
    exports.register(
        exports.ExportKind("quality.ratings", gettext_lazy("Star-rated outlets"), P.EXPORT, ratings.ranking_document),
        exports.ExportKind("quality.outlet", gettext_lazy("Outlet page"), P.EXPORT, outlet_document,
                           recheck=export_unit),
        *[_register_kind(pages) for pages in REGISTERS.values()],
        exports.list_kind("quality.star_rounds", gettext_lazy("Service star"), P.EXPORT, "service-star-rounds",
                          lambda user, data: (None, None), lambda user, filters: award_selectors.rounds(user),
                          ROUND_COLUMNS),
        exports.list_kind("quality.customer_counts", gettext_lazy("Customers served"), P.EXPORT, "customers-served",
                          figures.figure_filters, figure_selectors.customer_counts, CUSTOMER_COLUMNS),
        exports.list_kind("quality.evaluator_tallies", gettext_lazy("Customer evaluators"), P.EXPORT,
                          "customer-evaluators", figures.figure_filters, figure_selectors.evaluator_tallies,
                          EVALUATOR_COLUMNS),
        _list_kind("quality.visits", visits, "visits", inspections._visit_filters, selectors.visits,
                   inspections.VISIT_COLUMNS),
        _list_kind("quality.follow_ups", follow_ups, "follow-ups", inspections._follow_up_filters, selectors.follow_ups,
                   inspections.FOLLOW_UP_COLUMNS),
        owner=owner)
