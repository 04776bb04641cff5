"""Pages of outlet service quality. Thin: reads through selectors, every change through services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bankdesk.quality.awards import selectors as award_selectors


@login_required
def star_round(request, round_id):
    found = award_selectors.star_round(request.user, round_id)
    return render(request, "quality/star_round.html", {"round": found, "entries": found.entries.all()})
