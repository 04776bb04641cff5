"""The agent's desk pages: a caller's complaints (read-only, the call logged), and the standard scripts found
beside the knowledge library. Thin: complaints' desk selectors and enquiries service, callcenter.scripts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bankdesk.callcenter import scripts
from bankdesk.callcenter.forms import CallerSearchForm, CallLogForm, ScriptForm, ScriptSearchForm
from bankdesk.callcenter.permissions import CallcenterPermission as P
from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.complaints.handling import enquiries
from bankdesk.complaints.web.progress import customer_stage
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of
from bankdesk.knowledge import search
from bankdesk.orgs.selectors import visible_units

SEARCH_HITS = 10  # hits of each kind beside each other on the scripts page


@require_http_methods(["GET", "POST"])
def desk(request):
    """Find the caller's complaints; the phone comes by POST so that it stays out of URLs and logs."""
    form = CallerSearchForm(request.POST or None)
    found = None
    if form.is_valid():
        found = list(complaint_selectors.desk_find(request.user, phone=form.cleaned_data["phone"],
                                                   tracking_number=form.cleaned_data["tracking_number"]))
    return render(request, "callcenter/desk.html", {"form": form, "found": found})


def _complaint_context(request, complaint_id, form=None) -> dict:
    view = complaint_selectors.desk_view(request.user, complaint_id)
    stage, explanation = customer_stage(view.complaint)
    return {"view": view, "complaint": view.complaint, "stage": stage, "explanation": explanation,
            "form": form or CallLogForm()}


@require_GET
def desk_complaint(request, complaint_id):
    return render(request, "callcenter/desk_complaint.html", _complaint_context(request, complaint_id))


@require_POST
def desk_call(request, complaint_id):
    form = CallLogForm(request.POST)
    if form.is_valid() and call_service(form, lambda: enquiries.log_caller_enquiry(
            request.user, complaint_id, form.cleaned_data["text"])):
        messages.success(request, _("The call is logged; the handler is told."))
        return redirect("callcenter:desk_complaint", complaint_id)
    return render(request, "callcenter/desk_complaint.html", _complaint_context(request, complaint_id, form),
                  status=400)


def script_filters(user, data) -> tuple[ScriptSearchForm, dict]:
    """The script page's form and its values for a query string's (the page's, and its export's reason)."""
    form = ScriptSearchForm(data or None, reasons=scripts.reasons())
    return form, form.cleaned_data if form.is_valid() else {}


@require_GET
def script_list(request):
    """Scripts by call reason; with words, the scripts and the knowledge library found side by side."""
    form, filters = script_filters(request.user, request.GET)
    words, found, knowledge = filters.get("q", ""), None, None
    if words:
        found = search.search(request.user, words, kinds=[scripts.SEARCH_KIND],
                              group=filters["reason"].code if filters.get("reason") else "", limit=SEARCH_HITS)
        knowledge = search.search(request.user, words, kinds=["case", "article"], limit=SEARCH_HITS)
    return render(request, "callcenter/scripts.html", {
        "form": form, "found": found, "knowledge": knowledge,
        "page": None if words else page_of(request, scripts.scripts(request.user, reason=filters.get("reason"))),
        "can_write": has_permission(request.user, P.MANAGE_SCRIPTS)})


@require_GET
def script_detail(request, script_id):
    item = scripts.script(request.user, script_id)
    return render(request, "callcenter/script.html", {
        "script": item, "can_write": has_permission(request.user, P.MANAGE_SCRIPTS, item.unit)})


def _script_form(request, item=None):
    initial = {"reason": item.reason, "title": item.title, "body": item.body, "unit": item.unit,
               "is_active": item.is_active} if item else None
    return ScriptForm(request.POST or None, initial=initial, reasons=scripts.reasons(),
                      units=visible_units(request.user, P.MANAGE_SCRIPTS))


def _save(request, form, item):
    data = scripts.ScriptInput(**form.cleaned_data)
    if item is None:
        return scripts.create_script(request.user, data)
    return scripts.update_script(request.user, item, data, version=int(request.POST.get("version", 0)))


@require_http_methods(["GET", "POST"])
def script_edit(request, script_id=None):
    item = scripts.script(request.user, script_id) if script_id else None
    form = _script_form(request, item)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: _save(request, form, item), conflict_on_form=True)
        if saved:
            messages.success(request, _("The script is saved."))
            return redirect("callcenter:script", saved.pk)
    return render(request, "callcenter/script_form.html", {"form": form, "script": item},
                  status=400 if form.errors else 200)
