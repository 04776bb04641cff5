"""Staff pages of complaint intake: registration, the intake queue, the list and its export, the complaint page
with its review steps. Thin: every read goes through selectors, every change through services."""

import csv
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints import clocks, decisions, handling, routing, selectors, services, steps, workflow
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.forms import AnswerAssistForm, ComplaintFilterForm, RegistrationForm
from bankdesk.complaints.models import (
    OPEN_STATUSES,
    ClockKind,
    ContactChannel,
    ExtensionKind,
    NonAcceptanceReason,
    NoticeChannel,
    ReopenKind,
    Satisfaction,
    Severity,
    Status,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.audit import action_label
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.models import AuditSource
from bankdesk.core.permissions import CorePermission, has_permission, require, require_in_scope
from bankdesk.core.pii import mask_account, mask_id_number, mask_phone, normalize_phone
from bankdesk.core.services import reveal_pii
from bankdesk.core.web import call_service, page_of
from bankdesk.orgs.models import OrgUnit, User

LIST_PAGE_SIZE = 50
QUEUE_STATUSES = [Status.REGISTERED, Status.ACCEPTED]
REVEALABLE_FIELDS = {"phone": mask_phone, "id_number": mask_id_number, "account_number": mask_account}


# --- Registration -------------------------------------------------------------------------------------------------

@login_required
def register(request):
    require(request.user, ComplaintPermission.REGISTER_COMPLAINT)
    form = RegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        complaint = call_service(form, lambda: _register(request, form))
        if complaint:
            messages.success(request, _("Complaint registered. Tracking number: %(number)s — give it to the "
                                        "customer.") % {"number": complaint.tracking_number})
            if has_permission(request.user, ComplaintPermission.VIEW_COMPLAINTS, complaint.unit):
                return redirect("complaints:detail", complaint_id=complaint.pk)
            return redirect("complaints:register")  # agents and tellers register and take the next call
    return render(request, "complaints/register.html", {"form": form})


def _register(request, form: RegistrationForm):
    try:
        return services.register_complaint(request.user, form.registration_input(),
                                           attachments=form.cleaned_data["attachments"])
    except ValidationFailed as failure:
        if failure.field == "representatives":  # the form has one field per representative
            failure.field = form.first_unnamed_representative()
        raise


@login_required
@require_POST
def lookup(request):
    """htmx: the caller's earlier complaints, flagging open ones in the category chosen as possible duplicates.

    POST, so that the phone number travels in the body and never lands in an access log's query string.
    """
    require(request.user, ComplaintPermission.REGISTER_COMPLAINT)
    phone = request.POST.get("phone", "")[:30]
    history = list(selectors.customer_history(request.user, phone)) if len(normalize_phone(phone)) >= 7 else []
    category = request.POST.get("business_category", "")
    category_id = int(category) if category.isdigit() else None
    for earlier in history:
        earlier.possible_duplicate = (category_id is not None and earlier.business_category_id == category_id
                                      and earlier.status in OPEN_STATUSES)
    return render(request, "complaints/_history.html",
                  {"history": history, "phone_given": bool(phone.strip()), "category_chosen": category_id is not None})


# --- Queue, list, export ------------------------------------------------------------------------------------------

def _filters(form: ComplaintFilterForm, default_sort: str) -> selectors.ComplaintFilter:
    values = form.filter_values()
    values["sort"] = values.get("sort") or default_sort
    return selectors.ComplaintFilter(**values)


def _decorate(complaints) -> None:
    """What a row shows besides the record: the masked phone and whether the acceptance review is late."""
    now = timezone.now()
    for complaint in complaints:
        complaint.phone_masked = mask_phone(complaint.phone)
        complaint.review_late = complaint.status == Status.REGISTERED and complaint.acceptance_deadline < now


@login_required
def queue(request):
    require(request.user, ComplaintPermission.REVIEW_COMPLAINTS)
    form = ComplaintFilterForm(request.GET or None, statuses=QUEUE_STATUSES)
    filters = _filters(form, "")
    page = page_of(request, selectors.intake_queue(request.user, filters), size=LIST_PAGE_SIZE)
    _decorate(page.items)
    return render(request, "complaints/queue.html", {
        "form": form, "page": page, "sort": filters.sort or "acceptance_deadline", "now": timezone.now()})


@login_required
def complaint_list(request):
    require(request.user, ComplaintPermission.VIEW_COMPLAINTS)
    form = ComplaintFilterForm(request.GET or None)
    filters = _filters(form, "-received_at")
    page = page_of(request, selectors.complaint_list(request.user, filters), size=LIST_PAGE_SIZE)
    _decorate(page.items)
    return render(request, "complaints/list.html", {
        "form": form, "page": page, "sort": filters.sort,
        "can_export": has_permission(request.user, ComplaintPermission.EXPORT_COMPLAINTS)})


@dataclass(frozen=True)
class Column:
    label: str
    fields: tuple
    render: object = None


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


STATUS_LABELS = dict(Status.choices)
CHANNEL_LABELS = {**dict(ContactChannel.choices), **dict(NoticeChannel.choices)}
SEVERITY_LABELS = dict(Severity.choices)
EXPORT_COLUMNS = [
    Column(gettext_lazy("Tracking number"), ("tracking_number",)),
    Column(gettext_lazy("Received at"), ("received_at",), _local),
    Column(gettext_lazy("Status"), ("status",), lambda value: STATUS_LABELS.get(value, value)),
    Column(gettext_lazy("Severity"), ("severity",), lambda value: SEVERITY_LABELS.get(value, value)),
    Column(gettext_lazy("Channel"), ("channel__name",)),
    Column(gettext_lazy("Business category"), ("business_category__parent__name", "business_category__name"),
           lambda parent, name: f"{parent} / {name}" if parent else name),
    Column(gettext_lazy("Cause"), ("cause__name",)),
    Column(gettext_lazy("Unit concerned"), ("unit__name",)),
    Column(gettext_lazy("Complainant"), ("complainant_name",)),
    Column(gettext_lazy("Phone"), ("phone",), mask_phone),
    Column(gettext_lazy("Repeat"), ("is_repeat",), lambda value: _("yes") if value else ""),
    Column(gettext_lazy("Group complaint"), ("is_group",), lambda value: _("yes") if value else ""),
    Column(gettext_lazy("Amount involved (yuan)"), ("amount_involved",),
           lambda value: "" if value is None else str(value)),
    Column(gettext_lazy("Regulator's reference"), ("external_reference",)),
    Column(gettext_lazy("Acceptance review due"), ("acceptance_deadline",), _local),
    Column(gettext_lazy("Lead department"), ("lead_department__name",)),
    Column(gettext_lazy("Handler"), ("handler__display_name", "handler__username"),
           lambda name, username: name or username or ""),
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text  # no formulas in Excel from customers' text


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the BOM tells Excel the file is UTF-8, so Chinese opens readably
    yield writer.writerow([str(column.label) for column in EXPORT_COLUMNS])
    for row in rows:
        cells, position = [], 0
        for column in EXPORT_COLUMNS:
            values = row[position:position + len(column.fields)]
            position += len(column.fields)
            cells.append(_cell(column.render(*values) if column.render else values[0]))
        yield writer.writerow(cells)


@login_required
@require_GET
def export_csv(request):
    """The list's current filter as CSV: one streamed query, phones masked."""
    require(request.user, ComplaintPermission.EXPORT_COMPLAINTS)
    form = ComplaintFilterForm(request.GET or None)
    filters = _filters(form, "-received_at")
    fields = [name for column in EXPORT_COLUMNS for name in column.fields]
    rows = selectors.complaint_list(request.user, filters).values_list(*fields).iterator(chunk_size=2000)
    services.record_export(request.user, vars(filters))
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{timezone.localdate():%Y%m%d}.csv"'
    return response


# --- The complaint page -------------------------------------------------------------------------------------------

FIELD_LABELS = {
    "phone": gettext_lazy("phone"), "id_number": gettext_lazy("ID number"),
    "account_number": gettext_lazy("account or card number"),
}


def _event_details(event, units: dict, users: dict) -> list[str]:
    before, after = event.before or {}, event.after or {}
    details = []
    if before.get("status") and after.get("status") and before["status"] != after["status"]:
        details.append(_("Status: %(before)s → %(after)s") % {
            "before": STATUS_LABELS.get(before["status"], before["status"]),
            "after": STATUS_LABELS.get(after["status"], after["status"])})
    if event.action == ComplaintAction.REGISTER:
        details.append(_("Severity: %(severity)s") % {"severity": SEVERITY_LABELS.get(after.get("severity"), "")})
        if after.get("severity_rules"):
            details.append(_("Severity rules matched: %(rules)s") % {"rules": "; ".join(after["severity_rules"])})
    if event.action == ComplaintAction.ROUTE:
        details.append(_("Lead department: %(unit)s") % {"unit": units.get(after.get("lead_department"), "—")})
        details.append(_("Handler: %(name)s") % {"name": users.get(after.get("handler")) or _("none available")})
        if after.get("assisting"):
            details.append(_("Assisting: %(units)s") % {"units": ", ".join(after["assisting"])})
        if after.get("rule"):
            details.append(_("Routing rule: %(rule)s") % {"rule": after["rule"]})
    if event.action in (ComplaintAction.REFUSE, ComplaintAction.COMMUNICATE, ComplaintAction.CONTACT) and after.get("channel"):
        details.append(_("Customer told by: %(channel)s") % {
            "channel": CHANNEL_LABELS.get(after["channel"], after["channel"])})
    if event.action == ComplaintAction.MERGE:
        details.append(_("Into: %(number)s") % {"number": after.get("into", "")})
    if event.action == ComplaintAction.MERGED_IN:
        details.append(_("Merged: %(number)s") % {"number": after.get("merged", "")})
    details += _handling_details(after)
    if event.action == CoreAction.PII_REVEAL:
        details.append(_("Field: %(field)s") % {"field": FIELD_LABELS.get(after.get("field"), after.get("field"))})
    if after.get("note"):
        details.append(_("Note: %(note)s") % {"note": after["note"]})
    return details


HANDLING_DETAIL_LABELS = {
    "department": gettext_lazy("Department: %(value)s"),
    "amount": gettext_lazy("Compensation: %(value)s yuan"),
    "satisfaction": gettext_lazy("Satisfaction: %(value)s"),
    "clock": gettext_lazy("Clock: %(value)s"),
    "kind": gettext_lazy("Kind: %(value)s"),
}
HANDLING_VALUE_LABELS = {**dict(Satisfaction.choices), **dict(ClockKind.choices), **dict(ReopenKind.choices),
                         **dict(ExtensionKind.choices)}


def _handling_details(after: dict) -> list[str]:
    """Handling events carry a few facts worth a line each: the department asked, the amount, the survey ..."""
    return [str(label) % {"value": HANDLING_VALUE_LABELS.get(after[key], after[key])}
            for key, label in HANDLING_DETAIL_LABELS.items() if after.get(key)]


def _timeline_rows(complaint) -> list[dict]:
    events = list(selectors.timeline(complaint))
    routed = [event.after or {} for event in events if event.action == ComplaintAction.ROUTE]
    unit_ids = {after.get("lead_department") for after in routed} - {None}
    user_ids = {after.get("handler") for after in routed} - {None}
    units = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    return [{"event": event, "label": action_label(event.action), "actor": _actor(event),
             "details": _event_details(event, units, users)} for event in events]


def _actor(event) -> str:
    if event.actor_id is None and event.action == ComplaintAction.REGISTER and event.source == AuditSource.WEB:
        return _("the customer, online")
    return event.actor_label


@dataclass
class Step:
    name: str
    label: str
    form: object
    open: bool = False


@dataclass
class Panel:
    steps: list = field(default_factory=list)
    outcome: str = ""
    conflict: str = ""


def _panel(request, complaint, bound=None, outcome="", conflict="") -> Panel:
    if conflict:
        return Panel(conflict=conflict)
    panel = Panel(outcome=outcome)
    for name in steps.offered_steps(request.user, complaint):
        form = bound[1] if bound and bound[0] == name else steps.step_form(name, complaint)
        panel.steps.append(Step(name, workflow.STEPS[name].label, form, open=bool(bound and bound[0] == name)))
    return panel


def _representatives(complaint) -> list:
    representatives = list(selectors.related_entries(complaint, "representatives").order_by("id"))
    for representative in representatives:
        representative.masked_phone = mask_phone(representative.phone) if representative.phone else ""
        representative.element_id = f"representative-{representative.pk}"
    return representatives


def _assist_requests(user, complaint, answer_form=None) -> list:
    """Each request, with an answer form for its department's staff while it is open (the one posted, with
    its errors, if an answer failed)."""
    requests = list(selectors.related_entries(complaint, "assist_requests")
                    .select_related("department", "requested_by", "answered_by"))
    for item in requests:
        item.answer_form = None
        if (item.answered_at is None and not complaint.is_closed
                and has_permission(user, ComplaintPermission.HANDLE_COMPLAINTS, item.department)):
            posted = answer_form is not None and answer_form.data.get("request") == str(item.pk)
            item.answer_form = answer_form if posted else AnswerAssistForm(initial={"request": item.pk},
                                                                            auto_id=f"answer{item.pk}_%s")
    return requests


def _clocks(complaint) -> list:
    now = timezone.now()
    found = list(complaint.clocks.select_related("assist_request__department"))
    for clock in found:
        clock.display_state = clocks.clock_state(clock, now)
    return found


def _detail_context(request, complaint, answer_form=None, **panel) -> dict:
    user = request.user
    # ANDed with the visibility rule, not "pk IN (visible complaints)": the database checks the few rows at hand
    # instead of listing every complaint the user may see.
    visible = selectors.visible_complaints(user)

    def entries(relation: str):
        return selectors.related_entries(complaint, relation)
    return {
        "complaint": complaint,
        "masked": {name: mask(getattr(complaint, name)) for name, mask in REVEALABLE_FIELDS.items()
                   if getattr(complaint, name)},
        "can_reveal": has_permission(user, CorePermission.REVEAL_PII, complaint.unit),
        "representatives": _representatives(complaint),
        "attachments": entries("attachments").select_related("file"),
        "notices": entries("notices").select_related("sent_by"),
        "assisting": entries("assisting_departments").order_by("path"),
        "merged": (entries("merged") & visible).order_by("received_at"),
        "duplicates": selectors.possible_duplicates(complaint) & visible,
        "timeline": _timeline_rows(complaint),
        "clocks": _clocks(complaint),
        "notes": entries("notes").select_related("author"),
        "contacts": entries("contacts").select_related("staff"),
        "assist_requests": _assist_requests(user, complaint, answer_form),
        "decisions": entries("decisions").select_related("closure_code", "proposed_by", "reviewed_by"),
        "extensions": entries("extension_requests").select_related("requested_by", "decided_by"),
        "callbacks": entries("callbacks").select_related("staff"),
        "pauses": entries("pauses").select_related("reason", "started_by", "ended_by"),
        "panel": _panel(request, complaint, **panel),
    }


@login_required
def detail(request, complaint_id):
    complaint = selectors.complaint_page(request.user, complaint_id)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _after_step(request, complaint, done: str):
    if not request.htmx:
        messages.success(request, done)
        return redirect("complaints:detail", complaint_id=complaint.pk)
    fresh = selectors.complaint_page(request.user, complaint.pk)
    return render(request, "complaints/_step_done.html", _detail_context(request, fresh, outcome=done))


@login_required
@require_POST
def step(request, complaint_id, name):
    """Run a step posted from the action panel.

    htmx gets the panel back (with the record, clocks, handling and timeline swapped out of band on
    success); without htmx the page redirects on success or shows again with the form's errors.
    """
    if name not in steps.ACTIONS:
        raise Http404()
    complaint = selectors.complaint_detail(request.user, complaint_id)
    form = steps.step_form(name, complaint, request.POST)
    if form.is_valid():
        action = steps.ACTIONS[name]
        try:
            changed = call_service(form, lambda: action.perform(request.user, complaint, form.cleaned_data))
        except Conflict as conflict:
            context = _detail_context(request, complaint, conflict=conflict.message)
            return render(request, "complaints/_actions.html" if request.htmx else "complaints/detail.html", context)
        if changed is not None:
            return _after_step(request, complaint, str(action.done))
    context = _detail_context(request, complaint, bound=(name, form))
    return render(request, "complaints/_actions.html" if request.htmx else "complaints/detail.html", context)


@login_required
@require_POST
def answer_assist(request, complaint_id):
    """The assisting department answers (责任部门处理情况表) from the complaint page."""
    complaint = selectors.complaint_detail(request.user, complaint_id)
    form = AnswerAssistForm(request.POST, auto_id=f"answer{request.POST.get('request', '')}_%s")
    if form.is_valid():
        item = complaint.assist_requests.filter(pk=form.cleaned_data["request"]).first()
        if item is None:
            raise Http404()
        answered = call_service(form, lambda: handling.answer_assistance(
            request.user, item, findings=form.cleaned_data["findings"],
            actions_taken=form.cleaned_data["actions_taken"]))
        if answered is not None:
            return _after_step(request, complaint, _("The answer is recorded."))
    context = _detail_context(request, complaint, answer_form=form)
    return render(request, "complaints/_step_done.html" if request.htmx else "complaints/detail.html", context)


@login_required
@require_GET
def decision_letter(request, complaint_id):
    """The decision letter as sent, or a preview of the approved decision's letter before it is sent."""
    complaint = selectors.complaint_detail(request.user, complaint_id)
    return HttpResponse(decisions.letter_content(complaint), content_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{complaint.tracking_number}.pdf"'})


@login_required
@require_GET
def refusal_notice(request, complaint_id):
    """htmx: the standard non-acceptance notice for the reason chosen, to edit before sending."""
    complaint = selectors.complaint_detail(request.user, complaint_id)
    require_in_scope(request.user, ComplaintPermission.REVIEW_COMPLAINTS, complaint.unit)
    reason_id = request.GET.get("reason", "")
    reason = NonAcceptanceReason.objects.filter(pk=reason_id, is_active=True).first() if reason_id.isdigit() else None
    text = services.non_acceptance_notice(complaint, reason) if reason else ""
    return render(request, "complaints/_notice_text.html", {"text": text})


@login_required
@require_GET
def handler_options(request, complaint_id):
    """htmx: the handlers who may take the complaint in the lead department chosen (recusal applied)."""
    complaint = selectors.complaint_detail(request.user, complaint_id)
    require_in_scope(request.user, ComplaintPermission.REVIEW_COMPLAINTS, complaint.unit)
    unit_id = request.GET.get("lead_department", "")
    department = OrgUnit.objects.filter(pk=unit_id, is_active=True).first() if unit_id.isdigit() else None
    handlers = (routing.eligible_handlers(complaint, department).order_by("display_name", "username")
                if department else User.objects.none())
    return render(request, "complaints/_handler_options.html", {"handlers": handlers})


@login_required
@require_POST
def reveal(request, complaint_id, field_name):
    """htmx: swaps a masked value for the full one; the reveal is on the audit trail."""
    if field_name not in REVEALABLE_FIELDS:
        raise Http404()
    complaint = selectors.complaint_detail(request.user, complaint_id)
    value = reveal_pii(request.user, complaint, field_name, complaint.unit)
    return render(request, "complaints/_revealed.html", {"value": value, "element_id": f"pii-{field_name}"})


@login_required
@require_POST
def reveal_representative(request, complaint_id, representative_id):
    complaint = selectors.complaint_detail(request.user, complaint_id)
    representative = complaint.representatives.filter(pk=representative_id).first()
    if representative is None:
        raise Http404()
    value = reveal_pii(request.user, representative, "phone", complaint.unit)
    return render(request, "complaints/_revealed.html",
                  {"value": value, "element_id": f"representative-{representative.pk}"})


@login_required
@require_GET
def attachment(request, complaint_id, attachment_id):
    complaint = selectors.complaint_detail(request.user, complaint_id)
    item = complaint.attachments.select_related("file").filter(pk=attachment_id).first()
    if item is None:
        raise Http404()
    content = default_storage.open(services.attachment_path(item.file.sha256), "rb")
    return FileResponse(content, as_attachment=True, filename=item.original_name,
                        content_type=item.file.content_type)
