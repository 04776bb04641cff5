"""Pages of the service star (服务之星): the rounds, opening one, scoring staff, publishing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bankdesk.core import rules
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of, report
from bankdesk.quality.awards import selectors, services
from bankdesk.quality.awards.forms import OpenRoundForm, StarScoreForm
from bankdesk.quality.models import RoundStatus
from bankdesk.quality.permissions import QualityPermission as P


@require_GET
def round_list(request):
    page = page_of(request, selectors.rounds(request.user), size=50)
    return render(request, "quality/star_rounds.html", {
        "page": page, "can_award": has_permission(request.user, P.AWARD),
        "can_export": has_permission(request.user, P.EXPORT),
        "weights": services.current_weights(), "places": rules.get("quality.service_star.published_places")})


def round_open(request):
    form = OpenRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        opened = call_service(form, lambda: services.open_round(request.user, **form.cleaned_data))
        if opened:
            return redirect("quality:star_round", round_id=opened.pk)
    return render(request, "quality/star_round_open.html", {"form": form})


def _round_context(request, found, form=None) -> dict:
    may_score = found.status == RoundStatus.OPEN and has_permission(request.user, P.AWARD, found.unit)
    return {"round": found, "entries": found.entries.all(), "may_score": may_score,
            "form": form or (StarScoreForm(unit=found.unit) if may_score else None),
            "places": rules.get("quality.service_star.published_places")}


def star_round(request, round_id):
    found = selectors.star_round(request.user, round_id)
    form = None
    if request.method == "POST":
        form = StarScoreForm(request.POST, unit=found.unit)
        if form.is_valid() and call_service(form, lambda: services.set_scores(request.user, found,
                                                                             **form.cleaned_data)):
            messages.success(request, _("Scores saved; the ranking is updated."))
            return redirect("quality:star_round", round_id=found.pk)
    return render(request, "quality/star_round.html", _round_context(request, found, form))


@require_POST
def round_publish(request, round_id):
    found = selectors.star_round(request.user, round_id)
    report(request, lambda: services.publish_round(request.user, found), _("Published; the service stars have been told."))
    return redirect("quality:star_round", round_id=found.pk)
