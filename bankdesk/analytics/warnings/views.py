"""The early-warning pages: the list (filters, sort, pagination, count) and one warning with the complaints
behind it and the form that marks it handled."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bankdesk.analytics.warnings import check, selectors, services
from bankdesk.analytics.warnings.forms import HandleForm, WarningFilterForm
from bankdesk.analytics.warnings.models import WarningStatus
from bankdesk.analytics.warnings.permissions import WarningPermission as P
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of

PAGE_SIZE = 50


@require_GET
def warning_list(request):
    form = WarningFilterForm(request.GET or None, user=request.user)
    filters = selectors.WarningFilter(**{"sort": selectors.DEFAULT_SORT, **form.values()})
    page = page_of(request, selectors.warnings(request.user, filters), size=PAGE_SIZE)
    return render(request, "analytics/warning_list.html", {"form": form, "page": page, "sort": filters.sort})


def _detail(request, warning, form=None):
    may_handle = warning.status == WarningStatus.OPEN and has_permission(request.user, P.HANDLE_WARNINGS, warning.unit)
    return render(request, "analytics/warning_detail.html", {
        "warning": warning, "subject": check.subject_label(warning),
        "complaints": selectors.complaints_behind(warning),
        "form": form or (HandleForm() if may_handle else None)})


@require_GET
def warning_detail(request, warning_id):
    return _detail(request, selectors.warning(request.user, warning_id))


@require_POST
def warning_handle(request, warning_id):
    warning = selectors.warning(request.user, warning_id)
    form = HandleForm(request.POST)
    if form.is_valid() and call_service(form, lambda: services.handle_warning(
            request.user, warning, form.cleaned_data["note"]), conflict_on_form=True):
        messages.success(request, _("The warning is marked handled."))
        return redirect("analytics:warning", warning_id=warning.pk)
    return _detail(request, warning, form)
