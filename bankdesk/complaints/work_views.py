"""Work pages: the handler's own work by what is due first, and the department head's view of the team."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from bankdesk.complaints import selectors
from bankdesk.complaints.forms import WorkFilterForm
from bankdesk.complaints.models import OPEN_STATUSES
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.permissions import require
from bankdesk.core.web import page_of

PAGE_SIZE = 50


def _work_filter(request) -> tuple[WorkFilterForm, selectors.WorkFilter]:
    form = WorkFilterForm(request.GET or None, statuses=OPEN_STATUSES)
    values = form.cleaned_data if form.is_valid() else {}
    return form, selectors.WorkFilter(state=values.get("state"), status=values.get("status") or "",
                                      sort=values.get("sort") or "current_deadline")


@login_required
def my_work(request):
    require(request.user, ComplaintPermission.HANDLE_COMPLAINTS)
    form, filters = _work_filter(request)
    page = page_of(request, selectors.my_work(request.user, filters), size=PAGE_SIZE)
    return render(request, "complaints/my_work.html", {
        "form": form, "page": page, "sort": filters.sort, "now": timezone.now(),
        "assist_requests": selectors.assist_requests_for(request.user)[:20]})


@login_required
def team(request):
    require(request.user, ComplaintPermission.APPROVE_DECISIONS)
    form, filters = _work_filter(request)
    load = selectors.team_load(request.user)
    widest = max((row["open_count"] for row in load), default=0)
    for row in load:
        on_time = row["open_count"] - row["warned_count"] - row["overdue_count"]
        row["bar"] = {name: 100 * count // widest if widest else 0 for name, count in
                      (("on_time", on_time), ("warned", row["warned_count"]), ("overdue", row["overdue_count"]))}
    page = page_of(request, selectors.team_work(request.user, filters), size=PAGE_SIZE)
    return render(request, "complaints/team.html", {
        "form": form, "page": page, "sort": filters.sort, "now": timezone.now(), "load": load,
        "awaiting": selectors.awaiting_approval(request.user)[:20]})
