"""Pages of rectification items (溯源整改): the list (filters, sorting, pages, export), the item with its
complaints and evidence and the forms of its next steps (fill in, add evidence, add a complaint, report done,
verify or send back), and the report of repeated root causes and of the trace-to-source measure."""

from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.exports import Column, local
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of, report
from bankdesk.remediation import selectors
from bankdesk.remediation.models import RectificationStatus
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.rectification import reports, services
from bankdesk.remediation.web.exports import export
from bankdesk.remediation.web.forms import (
    EvidenceForm,
    ItemForm,
    LinkForm,
    PeriodForm,
    RectificationFilterForm,
    VerifyForm,
)

PAGE_SIZE = 50


def _filters(request) -> tuple[RectificationFilterForm, selectors.RectificationFilter]:
    form = RectificationFilterForm(request.GET or None, user=request.user)
    return form, selectors.RectificationFilter(**{"sort": "due_on", **form.values()})


@require_GET
def item_list(request):
    form, filters = _filters(request)
    return render(request, "remediation/item_list.html", {
        "form": form, "page": page_of(request, selectors.rectification_items(request.user, filters), size=PAGE_SIZE),
        "sort": filters.sort, "can_export": has_permission(request.user, P.EXPORT)})


COLUMNS = [
    Column(gettext_lazy("Item"), str),
    Column(gettext_lazy("Unit"), lambda item: item.unit.name),
    Column(gettext_lazy("Root cause"), lambda item: item.root_cause.name if item.root_cause_id else ""),
    Column(gettext_lazy("What went wrong"), lambda item: item.summary),
    Column(gettext_lazy("Corrective action"), lambda item: item.corrective_action),
    Column(gettext_lazy("Preventive action"), lambda item: item.preventive_action),
    Column(gettext_lazy("Owner"), lambda item: str(item.owner or "")),
    Column(gettext_lazy("Due on"), lambda item: item.due_on),
    Column(gettext_lazy("Status"), lambda item: item.get_status_display()),
    Column(gettext_lazy("Overdue"), lambda item: _("yes") if item.is_overdue else ""),
    Column(gettext_lazy("Complaints"), lambda item: item.complaints),
    Column(gettext_lazy("Verified at"), lambda item: local(item.verified_at)),
]


@require_GET
def item_export(request):
    _form, filters = _filters(request)
    return export(request, "rectification-items", COLUMNS, selectors.rectification_items(request.user, filters),
                  vars(filters))


def _context(request, item, **forms) -> dict:
    user = request.user
    may_rectify = item.status != RectificationStatus.VERIFIED and has_permission(user, P.RECTIFY, item.unit)
    is_open = item.status == RectificationStatus.OPEN
    return {
        "item": item, "links": selectors.item_complaints(item), "evidence": selectors.item_evidence(item),
        "item_form": forms.get("item_form") or (ItemForm(item=item, initial={
            "root_cause": item.root_cause_id, "summary": item.summary, "corrective_action": item.corrective_action,
            "preventive_action": item.preventive_action, "owner": item.owner_id, "due_on": item.due_on})
            if may_rectify and is_open else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if may_rectify else None),
        "link_form": forms.get("link_form") or (LinkForm() if may_rectify else None),
        "may_report": may_rectify and is_open,
        "verify_form": forms.get("verify_form") or (
            VerifyForm() if item.status == RectificationStatus.REPORTED and has_permission(user, P.VERIFY, item.unit)
            else None),
    }


@require_GET
def item_detail(request, item_id):
    item = selectors.rectification_item(request.user, item_id)
    return render(request, "remediation/item_detail.html", _context(request, item))


def _step(request, item_id, form_name: str, form, step, done: str):
    item = selectors.rectification_item(request.user, item_id)
    if form.is_valid() and call_service(form, lambda: step(item, form.cleaned_data), conflict_on_form=True):
        messages.success(request, done)
        return redirect("remediation:item", item_id=item.pk)
    return render(request, "remediation/item_detail.html", _context(request, item, **{form_name: form}))


@require_POST
def item_edit(request, item_id):
    item = selectors.rectification_item(request.user, item_id)
    return _step(request, item_id, "item_form", ItemForm(request.POST, item=item),
                 lambda item, data: services.update_item(request.user, item, **data), _("Saved."))


@require_POST
def item_evidence(request, item_id):
    return _step(request, item_id, "evidence_form", EvidenceForm(request.POST, request.FILES),
                 lambda item, data: services.add_evidence(request.user, item, data["files"]),
                 _("The evidence is added."))


def _complaint(user, tracking_number: str):
    found = complaint_selectors.visible_complaints(user).filter(tracking_number=tracking_number.strip().upper()).first()
    if found is None:
        raise ValidationFailed(_("No complaint with this tracking number in your reach."), field="tracking_number")
    return found


@require_POST
def item_link(request, item_id):
    return _step(request, item_id, "link_form", LinkForm(request.POST),
                 lambda item, data: services.link_complaint(request.user, item,
                                                            _complaint(request.user, data["tracking_number"])),
                 _("The complaint is added to the item."))


@require_POST
def item_report(request, item_id):
    item = selectors.rectification_item(request.user, item_id)
    report(request, lambda: services.report_done(request.user, item),
           _("The item is reported done and awaits verification."))
    return redirect("remediation:item", item_id=item.pk)


@require_POST
def item_verify(request, item_id):
    return _step(request, item_id, "verify_form", VerifyForm(request.POST),
                 lambda item, data: services.verify(request.user, item, **data), _("The verification is recorded."))


@require_GET
def item_evidence_file(request, item_id, evidence_id):
    evidence = selectors.evidence_of(selectors.rectification_item(request.user, item_id), evidence_id)
    return FileResponse(selectors.open_evidence(evidence), filename=evidence.original_name,
                        content_type=evidence.file.content_type)


@require_GET
def rectification_report(request):
    """Repeated root causes and the trace-to-source figures per unit, for a period (default: the last 90 days)."""
    form = PeriodForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    end = values.get("date_to") or timezone.localdate()
    start = values.get("date_from") or end - timedelta(days=89)
    return render(request, "remediation/rectification_report.html", {
        "form": form, "start": start, "end": end,
        "repeated": reports.repeated_causes(request.user, start, end),
        "trace": reports.trace_to_source(request.user, start, end)})
