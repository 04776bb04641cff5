"""Pages of inspection visits (scheduling, scoring on the checklist, photos, cancelling), the follow-up
actions they open (reporting fixed, verifying, reassigning), and the outlet checklists."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints.intake.attachment_files import attachment_path
from bankdesk.core.exports import Column, local
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of, report
from bankdesk.quality.inspections import checklists, selectors, services
from bankdesk.quality.inspections.forms import (
    CancelForm,
    FollowUpFilterForm,
    InstallForm,
    PhotoForm,
    ReassignForm,
    ReportForm,
    VerifyForm,
    VisitFilterForm,
    VisitForm,
)
from bankdesk.quality.models import FollowUpStatus, VisitStatus
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.web import export
from bankdesk.scorecards import selectors as scorecard_selectors
from bankdesk.scorecards.forms import ScoringForm

LIST_PAGE_SIZE = 50


def _visit_filters(request) -> tuple[VisitFilterForm, selectors.VisitFilter]:
    form = VisitFilterForm(request.GET or None, user=request.user)
    values = form.cleaned_data.copy() if form.is_valid() else {}
    mine = values.pop("mine", False)
    values = {key: value for key, value in values.items() if value not in (None, "")}
    return form, selectors.VisitFilter(**{"sort": "-scheduled_for", **values,
                                          "inspector": request.user if mine else None})


@require_GET
def visit_list(request):
    form, filters = _visit_filters(request)
    page = page_of(request, selectors.visits(request.user, filters), size=LIST_PAGE_SIZE)
    return render(request, "quality/visit_list.html", {
        "form": form, "page": page, "sort": filters.sort, "can_inspect": has_permission(request.user, P.INSPECT),
        "can_export": has_permission(request.user, P.EXPORT)})


VISIT_COLUMNS = [
    Column(gettext_lazy("Date"), lambda visit: visit.scheduled_for),
    Column(gettext_lazy("Method"), lambda visit: visit.get_method_display()),
    Column(gettext_lazy("Outlet"), lambda visit: visit.unit.name),
    Column(gettext_lazy("Checklist"), lambda visit: visit.version.scorecard.name),
    Column(gettext_lazy("Inspector"), lambda visit: str(visit.inspector)),
    Column(gettext_lazy("Status"), lambda visit: visit.get_status_display()),
    Column(gettext_lazy("Score"), lambda visit: visit.score),
    Column(gettext_lazy("Fatal item failed"), lambda visit: _("yes") if visit.fatal_failed else ""),
    Column(gettext_lazy("Completed at"), lambda visit: local(visit.completed_at)),
]


@require_GET
def visit_export(request):
    _form, filters = _visit_filters(request)
    return export(request, "visits", VISIT_COLUMNS, selectors.visits(request.user, filters), vars(filters))


def visit_new(request):
    form = VisitForm(request.POST or None, user=request.user, checklists=selectors.checklists_for(request.user))
    if request.method == "POST" and form.is_valid():
        visit = call_service(form, lambda: services.schedule_visit(request.user, **form.cleaned_data))
        if visit:
            messages.success(request, _("The visit is scheduled."))
            return redirect("quality:visit", visit_id=visit.pk)
    return render(request, "quality/visit_form.html", {"form": form})


def _visit_context(request, visit, **forms) -> dict:
    user = request.user
    is_open = visit.status in (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)
    may_inspect = has_permission(user, P.INSPECT, visit.unit)
    return {
        "visit": visit, "sheet": scorecard_selectors.score_sheet(visit.evaluation) if visit.evaluation_id else None,
        "photos": visit.photos.select_related("uploaded_by"),
        "follow_ups": visit.follow_ups.select_related("owner", "item"),
        "may_score": is_open and visit.inspector_id == user.pk,
        "photo_form": forms.get("photo_form") or (PhotoForm() if may_inspect and visit.status != VisitStatus.CANCELLED
                                                  else None),
        "cancel_form": forms.get("cancel_form") or (CancelForm() if may_inspect and is_open else None)}


@require_GET
def visit_detail(request, visit_id):
    visit = selectors.visit(request.user, visit_id)
    return render(request, "quality/visit_detail.html", _visit_context(request, visit))


@require_POST
def visit_start(request, visit_id):
    visit = selectors.visit(request.user, visit_id)
    report(request, lambda: services.start_visit(request.user, visit), _("Score the visit on its checklist."))
    return redirect("quality:visit_score", visit_id=visit.pk)


def visit_score(request, visit_id):
    """The inspector scores the visit on its checklist; submitting completes it and opens the follow-ups."""
    visit = selectors.visit(request.user, visit_id)
    if visit.evaluation_id is None or visit.status != VisitStatus.IN_PROGRESS or visit.inspector_id != request.user.pk:
        return redirect("quality:visit", visit_id=visit.pk)
    sheet = scorecard_selectors.score_sheet(visit.evaluation)
    form = ScoringForm(request.POST or None, sheet=sheet, initial={"comment": visit.evaluation.comment})
    if request.method == "POST" and form.is_valid():
        answers = form.answers([line.item.pk for section in sheet for line in section.lines])
        submit = "submit" in request.POST
        service = services.submit_visit if submit else services.save_visit_scores
        if call_service(form, lambda: service(request.user, visit, answers, comment=form.cleaned_data["comment"]),
                        conflict_on_form=True):
            messages.success(request, _("The visit is completed.") if submit else _("The scores are saved."))
            return redirect("quality:visit" if submit else "quality:visit_score", visit_id=visit.pk)
    return render(request, "quality/visit_score.html", {
        "visit": visit, "form": form,
        "sections": [(section, [(line, form[f"item_{line.item.pk}"], form[f"item_{line.item.pk}_comment"])
                                for line in section.lines]) for section in sheet]})


@require_POST
def visit_cancel(request, visit_id):
    visit = selectors.visit(request.user, visit_id)
    form = CancelForm(request.POST)
    if form.is_valid() and call_service(form, lambda: services.cancel_visit(request.user, visit,
                                                                          form.cleaned_data["reason"])):
        messages.success(request, _("The visit is cancelled."))
        return redirect("quality:visit", visit_id=visit.pk)
    return render(request, "quality/visit_detail.html", _visit_context(request, visit, cancel_form=form))


@require_POST
def visit_photos(request, visit_id):
    visit = selectors.visit(request.user, visit_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and call_service(form, lambda: services.add_photos(
            request.user, visit, form.cleaned_data["photos"], form.cleaned_data["caption"])):
        messages.success(request, _("The photos are added."))
        return redirect("quality:visit", visit_id=visit.pk)
    return render(request, "quality/visit_detail.html", _visit_context(request, visit, photo_form=form))


@require_GET
def visit_photo(request, visit_id, photo_id):
    visit = selectors.visit(request.user, visit_id)
    photo = visit.photos.select_related("file").filter(pk=photo_id).first()
    if photo is None:
        raise Http404()
    content = default_storage.open(attachment_path(photo.file.sha256), "rb")
    return FileResponse(content, filename=photo.original_name, content_type=photo.file.content_type)


# --- Follow-up actions ------------------------------------------------------------------------------------------

def _follow_up_filters(request) -> tuple[FollowUpFilterForm, selectors.FollowUpFilter]:
    form = FollowUpFilterForm(request.GET or None, user=request.user)
    values = form.cleaned_data.copy() if form.is_valid() else {}
    mine = values.pop("mine", False)
    values = {key: value for key, value in values.items() if value not in (None, "")}
    return form, selectors.FollowUpFilter(**{"sort": "due_on", **values, "owner": request.user if mine else None})


@require_GET
def follow_up_list(request):
    form, filters = _follow_up_filters(request)
    page = page_of(request, selectors.follow_ups(request.user, filters), size=LIST_PAGE_SIZE)
    return render(request, "quality/follow_up_list.html", {
        "form": form, "page": page, "sort": filters.sort, "can_export": has_permission(request.user, P.EXPORT)})


FOLLOW_UP_COLUMNS = [
    Column(gettext_lazy("Outlet"), lambda action: action.unit.name),
    Column(gettext_lazy("Problem found"), lambda action: action.problem),
    Column(gettext_lazy("Owner"), lambda action: str(action.owner)),
    Column(gettext_lazy("Due on"), lambda action: action.due_on),
    Column(gettext_lazy("Status"), lambda action: action.get_status_display()),
    Column(gettext_lazy("Overdue"), lambda action: _("yes") if action.is_overdue else ""),
    Column(gettext_lazy("Times chased"), lambda action: action.chase_count),
    Column(gettext_lazy("What was done"), lambda action: action.fix_note),
    Column(gettext_lazy("Closed at"), lambda action: local(action.closed_at)),
]


@require_GET
def follow_up_export(request):
    _form, filters = _follow_up_filters(request)
    return export(request, "follow-ups", FOLLOW_UP_COLUMNS, selectors.follow_ups(request.user, filters),
                  vars(filters))


def _follow_up_context(request, action, **forms) -> dict:
    user = request.user
    may_report = action.status == FollowUpStatus.OPEN and has_permission(user, P.FOLLOW_UP, action.unit)
    may_verify = (action.status == FollowUpStatus.REPORTED and action.owner_id != user.pk
                  and has_permission(user, P.INSPECT, action.unit))
    may_reassign = action.is_open and has_permission(user, P.INSPECT, action.unit)
    return {"action": action,
            "report_form": forms.get("report_form") or (ReportForm() if may_report else None),
            "verify_form": forms.get("verify_form") or (VerifyForm() if may_verify else None),
            "reassign_form": forms.get("reassign_form") or (
                ReassignForm(user=user, initial={"owner": action.owner_id, "due_on": action.due_on})
                if may_reassign else None)}


@require_GET
def follow_up_detail(request, action_id):
    action = selectors.follow_up(request.user, action_id)
    return render(request, "quality/follow_up_detail.html", _follow_up_context(request, action))


def _follow_up_step(request, action_id, form_name: str, form, step):
    action = selectors.follow_up(request.user, action_id)
    if form.is_valid() and call_service(form, lambda: step(action, form.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("quality:follow_up", action_id=action.pk)
    return render(request, "quality/follow_up_detail.html", _follow_up_context(request, action, **{form_name: form}))


@require_POST
def follow_up_report(request, action_id):
    return _follow_up_step(request, action_id, "report_form", ReportForm(request.POST),
                           lambda action, data: services.report_fixed(request.user, action, data["note"]))


@require_POST
def follow_up_verify(request, action_id):
    return _follow_up_step(request, action_id, "verify_form", VerifyForm(request.POST),
                           lambda action, data: services.verify(request.user, action, **data))


@require_POST
def follow_up_reassign(request, action_id):
    return _follow_up_step(request, action_id, "reassign_form", ReassignForm(request.POST, user=request.user),
                           lambda action, data: services.reassign(request.user, action, **data))


# --- Checklists -------------------------------------------------------------------------------------------------

def checklist_list(request):
    user = request.user
    form = InstallForm(request.POST or None, user=user) if has_permission(user, P.MANAGE_CHECKLISTS) else None
    if request.method == "POST" and form is not None and form.is_valid():
        scorecard = call_service(form, lambda: checklists.install(user, **form.cleaned_data))
        if scorecard:
            messages.success(request, _("The checklist is installed and published."))
            return redirect("scorecards:scorecard", scorecard_id=scorecard.pk)
    return render(request, "quality/checklists.html", {
        "scorecards": selectors.outlet_scorecards(user), "form": form, "templates": checklists.templates()})
