"""The analytics pages: thin, the figures come from dashboards.py."""

from django.shortcuts import render

from bankdesk.analytics import dashboards, selectors
from bankdesk.analytics.forms import DashboardForm


def dashboard(request):
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period = form.period() if data else dashboards.default_period()
    under = selectors.unit_in_scope(request.user, data.get("unit", ""))
    board = dashboards.board_for(request.user, data.get("view", ""))
    return render(request, "analytics/dashboard.html", {
        "form": form, "boards": dashboards.BOARDS.values(), "export_query": request.GET.urlencode(),
        **dashboards.dashboard(request.user, board, period, under)})
