"""The surveys pages; thin: selectors read, services, calling and the list import write."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import has_permission, require
from bankdesk.core.pii import mask_phone
from bankdesk.core.web import call_service, csv_download, page_of
from bankdesk.surveys import calling, list_import, selectors, services
from bankdesk.surveys.calling import CallResult
from bankdesk.surveys.forms import (
    CallForm,
    CampaignFilterForm,
    CampaignForm,
    ListUploadForm,
    QuestionnaireForm,
    ResultFilterForm,
    StatusForm,
    TargetFilterForm,
    parse_questions,
    questions_text,
)
from bankdesk.surveys.models import CampaignStatus
from bankdesk.surveys.permissions import SurveyPermission
from bankdesk.surveys.services import COMPLAINT_SOURCES, FILE_SOURCES, CampaignInput

# --- Campaigns ---------------------------------------------------------------------------------------------------


def campaign_filters(user, data) -> tuple[CampaignFilterForm, selectors.CampaignFilter]:
    """The campaign list's filter form and filters for a query string's values (the page's and its export's)."""
    form = CampaignFilterForm(data or None)
    return form, selectors.CampaignFilter(**{k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items()
                                             if v})


def _target_filters(data) -> tuple[TargetFilterForm, dict]:
    form = TargetFilterForm(data or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"state": filters.get("state", ""), "sort": filters.get("sort") or "id"}


def target_filters(user, data) -> tuple[TargetFilterForm, dict]:
    """A campaign's call list as exported: its filters, and the campaign (`campaign`, an id) in the user's scope."""
    campaign_id = data.get("campaign", "")
    if not campaign_id.isdigit():
        raise ValidationFailed(_("Choose a campaign."), field="filters.campaign")
    form, filters = _target_filters(data)
    return form, {"campaign": selectors.campaign_detail(user, int(campaign_id)), **filters}


@require_GET
def campaign_list(request):
    form, filters = campaign_filters(request.user, request.GET)
    return render(request, "surveys/campaign_list.html", {
        "form": form, "page": page_of(request, selectors.campaign_list(request.user, filters)),
        "can_manage": has_permission(request.user, SurveyPermission.MANAGE_SURVEYS)})


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require(request.user, SurveyPermission.MANAGE_SURVEYS)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = call_service(form, lambda: services.create_campaign(request.user, CampaignInput(**form.cleaned_data)))
        if campaign is not None:
            messages.success(request, _("The campaign is created with %(count)d people to call.")
                             % {"count": campaign.target_count})
            return redirect("surveys:campaign", campaign_id=campaign.pk)
    return render(request, "surveys/campaign_form.html", {"form": form})


NEXT_STATUSES = {CampaignStatus.DRAFT: [CampaignStatus.ACTIVE, CampaignStatus.FINISHED],
                 CampaignStatus.ACTIVE: [CampaignStatus.PAUSED, CampaignStatus.FINISHED],
                 CampaignStatus.PAUSED: [CampaignStatus.ACTIVE, CampaignStatus.FINISHED]}


@require_GET
def campaign_detail(request, campaign_id):
    campaign = selectors.campaign_detail(request.user, campaign_id)
    form, filters = _target_filters(request.GET)
    page = page_of(request, selectors.target_list(campaign, **filters))
    for target in page.items:
        target.masked_phone = mask_phone(target.phone)
    can_manage = has_permission(request.user, SurveyPermission.MANAGE_SURVEYS, campaign.unit)
    return render(request, "surveys/campaign_detail.html", {
        "campaign": campaign, "summary": selectors.campaign_summary(campaign), "form": form, "page": page,
        "export_query": f"campaign={campaign.pk}&{request.GET.urlencode()}",
        "can_manage": can_manage, "next_statuses": [(s, CampaignStatus(s).label) for s in
                                                    NEXT_STATUSES.get(campaign.status, [])],
        "can_draw": can_manage and campaign.source in COMPLAINT_SOURCES,
        "upload_form": ListUploadForm() if can_manage and campaign.source in FILE_SOURCES else None,
        "imports": selectors.list_imports(campaign)[:20] if campaign.source in FILE_SOURCES else []})


def _after_step(request, campaign_id, step):
    try:
        step()
    except (ValidationFailed, Conflict) as failure:
        messages.error(request, failure.message)
    return redirect("surveys:campaign", campaign_id=campaign_id)


@require_POST
def campaign_status(request, campaign_id):
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the campaign."))
        return redirect("surveys:campaign", campaign_id=campaign.pk)
    return _after_step(request, campaign.pk, lambda: services.set_campaign_status(
        request.user, campaign, form.cleaned_data["status"], form.cleaned_data["version"]))


@require_POST
def campaign_draw(request, campaign_id):
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)

    def draw():
        count = services.draw_targets(request.user, campaign)
        messages.success(request, _("%(count)d people added.") % {"count": count})

    return _after_step(request, campaign.pk, draw)


# --- Imported lists ----------------------------------------------------------------------------------------------


@require_POST
def list_upload(request, campaign_id):
    campaign = selectors.campaign_detail(request.user, campaign_id, SurveyPermission.MANAGE_SURVEYS)
    form = ListUploadForm(request.POST, request.FILES)
    job = form.is_valid() and call_service(
        form, lambda: list_import.start_import(request.user, campaign, form.cleaned_data["file"]))
    if job:
        messages.success(request, _("The list is being imported in the background."))
        return redirect("surveys:import", job_id=job.pk)
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("surveys:campaign", campaign_id=campaign.pk)


@require_GET
def import_detail(request, job_id):
    job = selectors.list_import(request.user, job_id)
    context = {"job": job, "status_url": reverse("surveys:import", args=[job.pk]),
               "errors_url": reverse("surveys:import_errors", args=[job.pk])}
    return render(request, "surveys/_import_status.html" if request.htmx else "surveys/import_detail.html", context)


@require_GET
def import_errors(request, job_id):
    job = selectors.list_import(request.user, job_id)
    rows = [[_("Row"), _("Field"), _("Message")]]
    rows += [[error.get("row") or "", error.get("field", ""), error.get("message", "")] for error in job.errors]
    return csv_download(f"call-list-{job.pk}-errors.csv", rows)


# --- Questionnaires ----------------------------------------------------------------------------------------------


@require_GET
def questionnaire_list(request):
    return render(request, "surveys/questionnaire_list.html", {
        "page": page_of(request, selectors.questionnaires(request.user)),
        "can_manage": has_permission(request.user, SurveyPermission.MANAGE_SURVEYS)})


@require_GET
def questionnaire_detail(request, questionnaire_id):
    questionnaire = selectors.questionnaire_detail(request.user, questionnaire_id)
    return render(request, "surveys/questionnaire_detail.html", {
        "questionnaire": questionnaire, "versions": selectors.questionnaire_versions(questionnaire),
        "can_manage": has_permission(request.user, SurveyPermission.MANAGE_SURVEYS)})


@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, questionnaire_id=None):
    """A new questionnaire, or a new version of one (the code stays)."""
    require(request.user, SurveyPermission.MANAGE_SURVEYS)
    questionnaire = questionnaire_id and selectors.questionnaire_detail(request.user, questionnaire_id)
    initial = {}
    if questionnaire:
        current = selectors.questionnaire_versions(questionnaire).first()
        initial = {"code": questionnaire.code, "name": questionnaire.name, "introduction": current.introduction,
                   "questions": questions_text(current), "version": questionnaire.current_version}
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if questionnaire:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        questions = parse_questions(data["questions"])
        if questionnaire:
            saved = call_service(form, lambda: services.revise_questionnaire(
                request.user, questionnaire, name=data["name"], introduction=data["introduction"],
                questions=questions, expected_version=data["version"]) and questionnaire)
        else:
            saved = call_service(form, lambda: services.create_questionnaire(
                request.user, code=data["code"], name=data["name"], introduction=data["introduction"],
                questions=questions))
        if saved:
            messages.success(request, _("The questionnaire is saved."))
            return redirect("surveys:questionnaire", questionnaire_id=saved.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form, "questionnaire": questionnaire})


# --- The interviewer's desk --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def interview(request):
    """The call the interviewer holds, with its questionnaire; or the button taking the next one due."""
    require(request.user, SurveyPermission.INTERVIEW)
    if request.method == "POST":
        try:
            if calling.claim_next(request.user) is None:
                messages.info(request, _("Nobody is due to be called now."))
        except Conflict as conflict:
            messages.error(request, conflict.message)
        return redirect("surveys:interview")
    target = selectors.current_claim(request.user)
    form = CallForm(target=target) if target else None
    return _interview_page(request, target, form)


def _interview_page(request, target, form, status=200):
    return render(request, "surveys/interview.html", {
        "target": target, "form": form, "history": selectors.target_history(target) if target else [],
        "queue_size": selectors.queue_size(request.user),
        "answer_fields": [form[name] for name in form.question_names] if form else []}, status=status)


@require_POST
def interview_record(request, target_id):
    target = selectors.claimed_target(request.user, target_id)
    form = CallForm(request.POST, target=target)
    if form.is_valid():
        data = form.cleaned_data
        result = CallResult(outcome=data["outcome"], note=data["note"], callback_at=data["callback_at"],
                            best_time=data["best_time"], answers=form.answers(),
                            satisfaction=data.get("satisfaction", ""), reason=data.get("reason", ""),
                            reopen_kind=data.get("reopen_kind", ""))
        try:
            saved = call_service(form, lambda: calling.record_call(request.user, target, result))
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("surveys:interview")
        if saved:
            messages.success(request, _("The call is recorded."))
            return redirect("surveys:interview")
    return _interview_page(request, target, form, status=400)


@require_POST
def interview_release(request, target_id):
    target = selectors.claimed_target(request.user, target_id)
    try:
        calling.release(request.user, target)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return redirect("surveys:interview")


# --- Results -----------------------------------------------------------------------------------------------------


@require_GET
def results(request):
    require(request.user, SurveyPermission.VIEW_SURVEYS)
    form = ResultFilterForm(request.GET or None, initial=ResultFilterForm.initial_values())
    data = form.cleaned_data if form.is_bound and form.is_valid() else ResultFilterForm.initial_values()
    filters = selectors.ResultFilter(start=data["start"], end=data["end"], grain=data["grain"],
                                     campaign_id=data.get("campaign"))
    rows = selectors.results(request.user, filters)
    scores = selectors.scores(request.user, filters)
    return render(request, "surveys/results.html", {
        "form": form, "rows": rows, "scores": scores, "totals": selectors.totals(rows),
        "chart": selectors.chart_data(rows)})
