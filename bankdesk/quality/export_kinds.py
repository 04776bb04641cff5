"""The quality lists as background exports (core/exports.py): the registers (commendations, fraud
interceptions, care services), the inspection visits and the follow-up actions, each built from its list page's
own filters and scoped selector, under the columns of its direct export."""

from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.core import exports
from bankdesk.core.permissions import require
from bankdesk.quality.permissions import QualityPermission as P


def _document(user, data, label, name: str, filters_of, selector, columns) -> exports.Document:
    """The list's filters read by its page's own function (given the user and the filters as its request's GET)."""
    from bankdesk.quality.web import EXPORT_CHUNK

    require(user, P.EXPORT)
    form, filters = filters_of(SimpleNamespace(GET=data, user=user))
    exports.refuse_invalid(form)
    return exports.column_document(str(label), f"{name}-{timezone.localdate():%Y%m%d}", columns,
                                   selector(user, filters), chunk=EXPORT_CHUNK,
                                   about=[(_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))])


def _register_kind(pages):
    from bankdesk.quality.registers import selectors, views

    def build(user, data):
        return _document(user, data, pages.title, f"{pages.key}s", lambda request: views._filters(request, pages),
                         lambda who, filters: selectors.register_list(who, pages.register, filters), pages.columns)

    return exports.ExportKind(f"quality.{pages.key}s", pages.title, P.EXPORT, build)


def register(owner: str) -> None:
    from bankdesk.quality.inspections import selectors
    from bankdesk.quality.inspections import views as inspections
    from bankdesk.quality.ratings import views as ratings
    from bankdesk.quality.registers.views import REGISTERS

    visits, follow_ups = gettext_lazy("Inspection visits"), gettext_lazy("Follow-up actions")
    exports.register(
        exports.ExportKind("quality.ratings", gettext_lazy("Star-rated outlets"), P.EXPORT, ratings.ranking_document),
        *[_register_kind(pages) for pages in REGISTERS.values()],
        exports.ExportKind("quality.visits", visits, P.EXPORT, lambda user, data: _document(
            user, data, visits, "visits", inspections._visit_filters, selectors.visits, inspections.VISIT_COLUMNS)),
        exports.ExportKind("quality.follow_ups", follow_ups, P.EXPORT, lambda user, data: _document(
            user, data, follow_ups, "follow-ups", inspections._follow_up_filters, selectors.follow_ups,
            inspections.FOLLOW_UP_COLUMNS)),
        owner=owner)
