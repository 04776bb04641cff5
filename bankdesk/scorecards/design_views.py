"""Pages of the scorecard editor: scorecards, their versions, and a draft's sections and items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankdesk.core.permissions import has_permission, scope_q
from bankdesk.core.web import call_service, page_of, report
from bankdesk.orgs.models import OrgUnit
from bankdesk.scorecards import selectors, services
from bankdesk.scorecards.forms import DraftForm, ItemForm, ScorecardEditForm, ScorecardForm, SectionForm
from bankdesk.scorecards.models import ScorecardKind
from bankdesk.scorecards.permissions import QaPermission, rights_for

ITEM_INPUTS = ["code", "text", "answer_type", "max_points", "is_fatal", "na_allowed", "guidance"]


def _may_manage(user, scorecard) -> bool:
    return has_permission(user, rights_for(scorecard.kind).manage, scorecard.unit)


def scorecard_filters(user, data) -> tuple[None, str]:
    """The scorecard list's purpose filter for a query string's values (the page's and its export's)."""
    kind = data.get("kind", "")
    return None, kind if kind in ScorecardKind.values else ""


@login_required
def scorecard_list(request):
    _form, kind = scorecard_filters(request.user, request.GET)
    found = selectors.scorecards(request.user, kind=kind)
    return render(request, "scorecards/scorecard_list.html", {
        "page": page_of(request, found, size=50), "kind": kind, "kinds": ScorecardKind.choices,
        "can_manage": has_permission(request.user, QaPermission.MANAGE_SCORECARDS)})


@login_required
def scorecard_create(request):
    units = OrgUnit.objects.filter(scope_q(request.user, QaPermission.MANAGE_SCORECARDS, "path"), is_active=True)
    form = ScorecardForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        scorecard = call_service(form, lambda: services.create_scorecard(request.user, **form.cleaned_data))
        if scorecard:
            return redirect("scorecards:version", version_id=scorecard.versions.get().pk)
    return render(request, "scorecards/scorecard_form.html", {"form": form})


@login_required
def scorecard_detail(request, scorecard_id):
    scorecard = selectors.scorecard(request.user, scorecard_id)
    return render(request, "scorecards/scorecard_detail.html", {
        "scorecard": scorecard, "versions": scorecard.versions.select_related("created_by", "published_by"),
        "can_manage": _may_manage(request.user, scorecard)})


@login_required
def scorecard_edit(request, scorecard_id):
    scorecard = selectors.scorecard(request.user, scorecard_id)
    form = ScorecardEditForm(request.POST or None, initial={
        "name": scorecard.name, "description": scorecard.description, "is_active": scorecard.is_active})
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.update_scorecard(request.user, scorecard, **form.cleaned_data),
                        conflict_on_form=True):
            messages.success(request, _("The scorecard is saved."))
            return redirect("scorecards:scorecard", scorecard_id=scorecard.pk)
    return render(request, "scorecards/scorecard_form.html", {"form": form, "scorecard": scorecard})


@login_required
@require_POST
def draft_start(request, scorecard_id):
    scorecard = selectors.scorecard(request.user, scorecard_id)
    draft = services.start_draft(request.user, scorecard)
    return redirect("scorecards:version", version_id=draft.pk)


@login_required
def version_detail(request, version_id):
    """A version's sections and items; on a draft, with the forms that change it."""
    version = selectors.version(request.user, version_id)
    editing = version.is_draft and _may_manage(request.user, version.scorecard)
    return render(request, "scorecards/version_detail.html", {
        "version": version, "scorecard": version.scorecard, "editing": editing,
        "sections": version.sections.prefetch_related("items"),
        "draft_form": DraftForm(initial={"pass_mark": version.pass_mark, "change_note": version.change_note})
        if editing else None,
        "section_form": SectionForm() if editing else None})


@login_required
@require_POST
def version_edit(request, version_id):
    version = selectors.version(request.user, version_id)
    form = DraftForm(request.POST)
    if form.is_valid():
        report(request, lambda: services.update_draft(request.user, version, **form.cleaned_data),
               _("The draft is saved."))
    else:
        messages.error(request, _("The pass mark is a score from 0 to 100."))
    return redirect("scorecards:version", version_id=version.pk)


@login_required
@require_POST
def version_publish(request, version_id):
    version = selectors.version(request.user, version_id)
    report(request, lambda: services.publish(request.user, version),
           _("The version is published; evaluations from now on use it."))
    return redirect("scorecards:version", version_id=version.pk)


@login_required
def section_add(request, version_id):
    version = selectors.version(request.user, version_id)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.add_section(request.user, version, title=form.cleaned_data["title"],
                                                           weight=form.cleaned_data["weight"]), conflict_on_form=True):
            return redirect("scorecards:version", version_id=version.pk)
    return render(request, "scorecards/part_form.html", {"form": form, "version": version,
                                                         "title": _("New section")})


@login_required
def section_edit(request, section_id):
    section = selectors.section(request.user, section_id)
    form = SectionForm(request.POST or None, initial={
        "title": section.title, "weight": section.weight, "position": section.position})
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "position": form.cleaned_data["position"] or section.position}
        if call_service(form, lambda: services.update_section(request.user, section, **data), conflict_on_form=True):
            return redirect("scorecards:version", version_id=section.version_id)
    return render(request, "scorecards/part_form.html", {"form": form, "version": section.version,
                                                         "title": section.title})


@login_required
@require_POST
def section_remove(request, section_id):
    section = selectors.section(request.user, section_id)
    report(request, lambda: services.remove_section(request.user, section), _("The section is removed."))
    return redirect("scorecards:version", version_id=section.version_id)


@login_required
def item_add(request, section_id):
    section = selectors.section(request.user, section_id)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ITEM_INPUTS}
        if call_service(form, lambda: services.add_item(request.user, section, **data), conflict_on_form=True):
            return redirect("scorecards:version", version_id=section.version_id)
    return render(request, "scorecards/part_form.html", {"form": form, "version": section.version,
                                                         "title": _("New item in %(section)s") % {
                                                             "section": section.title}})


@login_required
def item_edit(request, item_id):
    item = selectors.item(request.user, item_id)
    form = ItemForm(request.POST or None, initial={key: getattr(item, key) for key in [*ITEM_INPUTS, "position"]})
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "position": form.cleaned_data["position"] or item.position}
        if call_service(form, lambda: services.update_item(request.user, item, **data), conflict_on_form=True):
            return redirect("scorecards:version", version_id=item.section.version_id)
    return render(request, "scorecards/part_form.html", {"form": form, "version": item.section.version,
                                                         "title": item.text})


@login_required
@require_POST
def item_remove(request, item_id):
    item = selectors.item(request.user, item_id)
    report(request, lambda: services.remove_item(request.user, item), _("The item is removed."))
    return redirect("scorecards:version", version_id=item.section.version_id)
