"""Pages of the outlet star ratings: the ranking of a period across the user's units, computing a
period's ratings, and one rating with the reasons behind it."""

from datetime import date
from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ratings import reasons, selectors, services
from bankdesk.quality.ratings.forms import ComputeForm, RankingForm
from bankdesk.quality.web import export_rows


def _period(form: RankingForm, periods) -> tuple[date, date] | None:
    if form.is_valid() and form.cleaned_data["period"]:
        start, end = form.cleaned_data["period"].split("_")
        return date.fromisoformat(start), date.fromisoformat(end)
    return periods[0] if periods else None


def _ranking(request):
    periods = selectors.periods(request.user)
    form = RankingForm(request.GET or None, periods=periods)
    period = _period(form, periods)
    return form, period, selectors.ranking(request.user, period) if period else []


@require_GET
def ranking(request):
    form, period, ratings = _ranking(request)
    page = page_of(request, ratings, size=100) if period else None
    return render(request, "quality/ranking.html", {
        "form": form, "period": period, "page": page, "can_rate": has_permission(request.user, P.RATE),
        "can_export": has_permission(request.user, P.EXPORT)})


def _ranking_rows(ratings) -> tuple[list, list]:
    header = [_("Rank"), _("Outlet"), _("Code"), _("Score"), _("Stars"),
              *[str(label) for label in reasons.LABELS.values()]]
    rows = []
    for rating in ratings:
        scores = {component["code"]: component["score"] for component in rating.components}
        rows.append([rating.rank, rating.unit.name, rating.unit.code, rating.score, rating.stars,
                     *[scores.get(code) for code in reasons.LABELS]])
    return header, rows


@require_GET
def ranking_export(request):
    _form, period, ratings = _ranking(request)
    header, rows = _ranking_rows(ratings)
    return export_rows(request, "outlet-ratings", [header, *rows], {"period": period})


def ranking_document(user, data):
    """The ranking as a background export (kind quality.ratings): the period's outlets by rank with their
    component scores, and a bar chart of the scores (the first outlets)."""
    from django.utils import timezone

    from bankdesk.core import exports
    from bankdesk.core.permissions import require

    require(user, P.EXPORT)
    form, period, ratings = _ranking(SimpleNamespace(GET=data, user=user))
    exports.refuse_invalid(form)
    header, rows = _ranking_rows(ratings)
    title = str(_("Star-rated outlets"))
    chart = exports.Chart(title, [(row[1], float(row[3])) for row in rows if row[3] is not None])
    sheet = exports.Sheet(title, [str(text) for text in header], rows, len(rows), chart=chart,
                          widths=[6, 24, 10, 8, 6, *[10] * len(reasons.LABELS)])
    about = [(_("Period"), f"{period[0]} – {period[1]}" if period else "—"),
             (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))]
    return exports.Document(title, f"outlet-ratings-{period[0]:%Y%m%d}" if period else "outlet-ratings", [sheet],
                            about=about)


def compute(request):
    form = ComputeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        run = call_service(form, lambda: services.compute_ratings(request.user, **form.cleaned_data))
        if run:
            messages.success(request, _("%(count)d outlets rated.") % {"count": run.ratings.count()})
            return redirect(f"{reverse('quality:ranking')}?period={run.period_start:%Y-%m-%d}_{run.period_end:%Y-%m-%d}")
    rules = services.current_rules()
    return render(request, "quality/rating_compute.html", {
        "form": form, "rules": rules, "weights": [(reasons.LABELS[code], weight) for code, weight in rules.weights.items()]})


@require_GET
def rating(request, rating_id):
    found = selectors.rating(request.user, rating_id)
    return render(request, "quality/rating.html", {
        "rating": found, "components": reasons.explained(found.components),
        "history": selectors.history(request.user, found.unit)})
