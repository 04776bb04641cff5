"""The outlet and staff pages, bringing complaints, commendations, interceptions, care services, inspections,
ratings and service stars together; and the list of outlets they start from. Thin: reads through
selectors (the registers, stars and ratings have their own views in their packages)."""

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bankdesk.core.permissions import has_permission, require_in_scope, scope_paths
from bankdesk.orgs.models import OrgUnit, UnitKind
from bankdesk.quality import selectors
from bankdesk.quality.inspections import selectors as inspection_selectors
from bankdesk.quality.models import CareService, Commendation, Interception
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ratings import selectors as rating_selectors
from bankdesk.quality.registers.selectors import in_subtree
from bankdesk.quality.web import export_rows

LATEST_ROWS = selectors.LATEST_ROWS
SERIES_LABELS = {
    "complaints": gettext_lazy("Complaints"), "commendations": gettext_lazy("Commendations"),
    "interceptions": gettext_lazy("Fraud interceptions"), "amount_protected": gettext_lazy("Amount protected (yuan)"),
    "care": gettext_lazy("Care services"),
}


def _figures(overview) -> list[tuple]:
    return [(SERIES_LABELS[name], overview.totals[name]) for name in SERIES_LABELS]


def _monthly_chart(overview) -> dict:
    bars = ("complaints", "commendations", "interceptions", "care")
    return {"x": [f"{month:%Y-%m}" for month in overview.months], "axes": [_("Records")], "integer": True,
            "series": [{"name": str(SERIES_LABELS[name]), "type": "bar", "data": overview.series[name]}
                       for name in bars]}


def _rating_chart(history) -> dict:
    return {"x": [f"{rating.period_start:%Y-%m}–{rating.period_end:%Y-%m}" for rating in history],
            "axes": [_("Score"), _("Stars")],
            "series": [{"name": _("Score"), "type": "line",
                        "data": [None if rating.score is None else str(rating.score) for rating in history]},
                       {"name": _("Stars"), "type": "bar", "axis": 1, "data": [rating.stars for rating in history]}]}


@require_GET
def outlet_list(request):
    """The units the user may see, from the top of their scope: a branch's team lands on its outlets."""
    user = request.user
    roots = OrgUnit.objects.filter(path__in=scope_paths(user, P.VIEW)).order_by("path")
    top = roots.first() if roots.count() == 1 else None
    rows = selectors.outlets_of(user, top) if top is not None else []
    exportable = top is not None and has_permission(user, P.EXPORT, top)
    return render(request, "quality/outlet_list.html", {"roots": roots, "top": top, "rows": rows,
                                                        "export_query": f"unit={top.pk}" if exportable else ""})


def _unit_context(request, unit) -> dict:
    user = request.user
    overview = selectors.unit_overview(user, unit)
    history = list(rating_selectors.history(user, unit)) if unit.kind == UnitKind.OUTLET else []
    in_unit = in_subtree("unit_path", unit)
    return {
        "unit": unit, "overview": overview, "figures": _figures(overview), "monthly_chart": _monthly_chart(overview),
        "rating": history[-1] if history else None, "rating_chart": _rating_chart(history),
        "outlets": selectors.outlets_of(user, unit) if unit.kind != UnitKind.OUTLET else None,
        "complaints": selectors.latest_complaints(user, in_unit),
        "commendations": selectors.latest(user, Commendation, in_unit, "-received_on"),
        "interceptions": selectors.latest(user, Interception, in_unit, "-occurred_on"),
        "care_services": selectors.latest(user, CareService, in_unit, "-service_on"),
        "stars": selectors.star_awards(user, in_subtree("round__unit_path", unit)),
        "visits": inspection_selectors.visits(user, inspection_selectors.VisitFilter(unit=unit))[:LATEST_ROWS],
        "follow_ups": inspection_selectors.follow_ups(user, inspection_selectors.FollowUpFilter(unit=unit))[
            :LATEST_ROWS],
        "can_export": has_permission(user, P.EXPORT, unit), "export_query": f"unit={unit.pk}",
    }


@require_GET
def outlet(request, unit_id):
    unit = selectors.visible_unit(request.user, unit_id)
    return render(request, "quality/outlet.html", _unit_context(request, unit))


@require_GET
def staff(request, user_id):
    user = request.user
    person = selectors.visible_staff(user, user_id)
    overview = selectors.staff_overview(user, person)
    return render(request, "quality/staff.html", {
        "person": person, "overview": overview, "figures": _figures(overview), "monthly_chart": _monthly_chart(overview),
        "complaints": selectors.latest_complaints(user, Q(staff_concerned=person)),
        "commendations": selectors.latest(user, Commendation, Q(staff=person), "-received_on"),
        "interceptions": selectors.latest(user, Interception, Q(staff=person), "-occurred_on"),
        "care_services": selectors.latest(user, CareService, Q(staff=person), "-service_on"),
        "stars": selectors.star_awards(user, Q(staff=person)),
    })


def _monthly_rows(overview) -> tuple[list[str], list[list]]:
    """The unit's month-by-month figures of the page: the header and a row per month."""
    names = list(SERIES_LABELS)
    header = [_("Month"), *[str(SERIES_LABELS[name]) for name in names]]
    return header, [[f"{month:%Y-%m}", *[overview.series[name][index] for name in names]]
                    for index, month in enumerate(overview.months)]


@require_GET
def outlet_export(request, unit_id):
    """The unit's month-by-month figures of the page, as CSV or XLSX."""
    unit = selectors.visible_unit(request.user, unit_id)
    header, rows = _monthly_rows(selectors.unit_overview(request.user, unit))
    return export_rows(request, f"outlet-{unit.code}", [header, *rows], {"unit": unit.code})


def export_unit(user, data) -> OrgUnit:
    """The unit of an outlet page's export (`unit`, an id), in the user's scope for exports (asked again at download)."""
    from bankdesk.core.errors import ValidationFailed

    unit_id = data.get("unit", "")
    if not unit_id.isdigit():
        raise ValidationFailed(_("Choose a unit."), field="filters.unit")
    unit = selectors.visible_unit(user, int(unit_id))
    require_in_scope(user, P.EXPORT, unit)
    return unit


def outlet_document(user, data):
    """An outlet page as a background export (kind quality.outlet): the month-by-month figures with a chart of the
    complaints, and for a branch or sub-branch its outlets with their stars and counts of the last 12 months."""
    from django.utils import timezone

    from bankdesk.core import exports

    unit = export_unit(user, data)
    header, rows = _monthly_rows(selectors.unit_overview(user, unit))
    monthly = exports.Sheet(str(_("Month by month")), header, rows, len(rows), widths=[10, 10, 10, 12, 16, 10],
                            chart=exports.Chart(str(SERIES_LABELS["complaints"]), [(row[0], row[1]) for row in rows]))
    sheets = [monthly]
    if unit.kind != UnitKind.OUTLET:
        outlets = selectors.outlets_of(user, unit)
        counts = ("complaints", "commendations", "interceptions", "care")
        sheets.append(exports.Sheet(
            str(_("Its outlets")), [_("Outlet"), _("Code"), _("Stars"), *[str(SERIES_LABELS[name]) for name in counts]],
            [[row["unit"].name, row["unit"].code, row["rating"].stars if row["rating"] else "",
              *[row[name] for name in counts]] for row in outlets], len(outlets), widths=[24, 10, 6, 10, 10, 12, 10]))
    return exports.Document(unit.name, f"outlet-{unit.code}-{timezone.localdate():%Y%m%d}", sheets,
                            about=[(_("Unit"), f"{unit.name} {unit.code}"), exports.exported_now()])
