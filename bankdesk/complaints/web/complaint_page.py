"""The complaint page: the record with masked personal data, its handling, clocks and timeline, the
action panel's steps, the assistance answer, the letter and notice previews, reveals and attachments.
Thin: every read goes through selectors, every change through a service."""

from dataclasses import dataclass, field
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints import page_panels, selectors, state_machine
from bankdesk.complaints.decisions import communication
from bankdesk.complaints.handling import clocks, investigation
from bankdesk.complaints.intake import attachment_files
from bankdesk.complaints.models import NonAcceptanceReason
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.review import acceptance, routing
from bankdesk.complaints.web import step_panel, timeline
from bankdesk.complaints.web.step_forms import AnswerAssistForm
from bankdesk.core.errors import Conflict
from bankdesk.core.permissions import CorePermission, has_permission, require_in_scope
from bankdesk.core.pii import mask_account, mask_address, mask_id_number, mask_phone
from bankdesk.core.services import reveal_pii
from bankdesk.core.web import call_service
from bankdesk.orgs.models import OrgUnit, User

REVEALABLE_FIELDS = {"phone": mask_phone, "id_number": mask_id_number, "account_number": mask_account,
                     "postal_address": mask_address}


# The step the page offers as its one primary button, when the user may take it: the first of these in order
# (the step the complaint waits for at its stage); every other step is in the "more actions" menu.
PRIMARY_STEPS = ("accept", "approve", "decide_extension", "sign_for", "resume", "start", "communicate", "callback",
                 "screen", "regulator_feedback", "propose", "close_unreachable", "reopen")


# Steps that are one click (no field but the version): their form is always on the page, hidden, for the
# header's button or the menu's item to submit.
ONE_CLICK_STEPS = frozenset(name for name, action in step_panel.ACTIONS.items()
                            if action.form_class is step_panel.VersionedForm)


@dataclass
class Step:
    name: str
    label: str
    form: object = None  # None: the form is fetched when the step is opened (htmx), not rendered with the page
    open: bool = False
    primary: bool = False

    @property
    def has_fields(self) -> bool:
        return self.name not in ONE_CLICK_STEPS


@dataclass
class Panel:
    steps: list = field(default_factory=list)
    outcome: str = ""
    conflict: str = ""
    assists: list = field(default_factory=list)  # requests the user's department answers: on top of the panel
    refusal: str = ""  # why a step posted but no longer offered (e.g. the complaint was archived) was refused

    @property
    def primary(self):
        return next((step for step in self.steps if step.primary), None)

    @property
    def more(self) -> list:
        return [step for step in self.steps if not step.primary]


def _panel(request, complaint, bound=None, outcome="", conflict="", assists=()) -> Panel:
    if conflict:
        return Panel(conflict=conflict)
    panel = Panel(outcome=outcome, assists=[item for item in assists if item.answer_form is not None])
    offered = step_panel.offered_steps(request.user, complaint)
    primary = "" if panel.assists else next((name for name in PRIMARY_STEPS if name in offered), "")
    for name in offered:
        posted = bool(bound and bound[0] == name)
        # only the forms shown open are built: the primary step's, the one posted back with its errors, and the
        # one-click steps; the others come when the menu opens them (step_box)
        built = posted or name in ONE_CLICK_STEPS or (name == primary and not bound)
        form = bound[1] if posted else step_panel.step_form(name, complaint) if built else None
        panel.steps.append(Step(name, state_machine.STEPS[name].label, form, primary=name == primary,
                                open=posted or (name == primary and not bound)))
    if bound and bound[0] not in offered and bound[1].errors:
        panel.refusal = " ".join(str(error) for errors in bound[1].errors.values() for error in errors)
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


def _nearest(found: list):
    """The running clock due first (the header's deadline), or None when none runs."""
    running = [clock for clock in found if clock.display_state in ("ok", "warned", "overdue")]
    return min(running, key=lambda clock: clock.due_at, default=None)


def _detail_context(request, complaint, answer_form=None, **panel) -> dict:
    user = request.user
    # ANDed with the visibility rule, not "pk IN (visible complaints)": the database checks the few rows at hand
    # instead of listing every complaint the user may see.
    visible = selectors.visible_complaints(user)

    def entries(relation: str):
        return selectors.related_entries(complaint, relation)
    assist_requests = _assist_requests(user, complaint, answer_form)
    found_clocks = _clocks(complaint)
    return {
        "complaint": complaint,
        "masked": {name: mask(getattr(complaint, name)) for name, mask in REVEALABLE_FIELDS.items()
                   if getattr(complaint, name)},
        "can_reveal": has_permission(user, CorePermission.REVEAL_PII, complaint.unit),
        "representatives": _representatives(complaint),
        "attachments": entries("attachments").select_related("file"),
        "notices": entries("notices").select_related("sent_by"),
        "assisting": entries("assisting_departments").only("id", "name").order_by("path"),
        "merged": (entries("merged") & visible).only(*selectors.OTHER_COMPLAINT_SHOWN).order_by("received_at"),
        "duplicates": (selectors.possible_duplicates(complaint) & visible
                       if getattr(complaint, "has_open_duplicates", True) else selectors.NO_ENTRIES),
        "timeline": timeline.timeline_rows(complaint),
        "clocks": found_clocks,
        "nearest_clock": _nearest(found_clocks),
        "notes": entries("notes").select_related("author"),
        "contacts": entries("contacts").select_related("staff"),
        "review_requests": entries("review_requests"),
        "enquiries": entries("enquiries").select_related("staff"),
        "assist_requests": assist_requests,
        "decisions": entries("decisions").select_related("closure_code", "proposed_by", "reviewed_by"),
        "extensions": entries("extension_requests").select_related("requested_by", "decided_by"),
        "callbacks": entries("callbacks").select_related("staff"),
        "screenings": entries("screenings").select_related("screened_by", "notice"),
        "pauses": entries("pauses").select_related("reason", "started_by", "ended_by", "notice"),
        "regulator_feedback": entries("regulator_feedback").select_related("sent_by"),
        "panel": _panel(request, complaint, assists=assist_requests, **panel),
        # the other apps' panels (page_panels), read only when a template shows them (the full page, not htmx)
        "page_panels": partial(page_panels.panels_for, user, complaint),
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
@require_GET
def step_box(request, complaint_id, name):
    """htmx: one step's form, opened from the "more actions" menu (the page does not render the forms it folds)."""
    if name not in step_panel.ACTIONS:
        raise Http404()
    complaint = selectors.complaint_detail(request.user, complaint_id)
    if name not in step_panel.offered_steps(request.user, complaint):
        raise Http404()
    step = Step(name, state_machine.STEPS[name].label, step_panel.step_form(name, complaint), open=True)
    return render(request, "complaints/_step_box.html", {"complaint": complaint, "step": step, "focus": True})


@login_required
@require_POST
def step(request, complaint_id, name):
    """Run a step posted from the action panel.

    htmx gets the panel back (with the record, clocks, handling and timeline swapped out of band on
    success); without htmx the page redirects on success or shows again with the form's errors.
    """
    if name not in step_panel.ACTIONS:
        raise Http404()
    complaint = selectors.complaint_detail(request.user, complaint_id)
    form = step_panel.step_form(name, complaint, request.POST)
    if form.is_valid():
        action = step_panel.ACTIONS[name]
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
        answered = call_service(form, lambda: investigation.answer_assistance(
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
    return HttpResponse(communication.letter_content(complaint), content_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{complaint.tracking_number}.pdf"'})


@login_required
@require_GET
def refusal_notice(request, complaint_id):
    """htmx: the standard non-acceptance notice for the reason chosen, to edit before sending."""
    complaint = selectors.complaint_detail(request.user, complaint_id)
    require_in_scope(request.user, ComplaintPermission.REVIEW_COMPLAINTS, complaint.unit)
    reason_id = request.GET.get("reason", "")
    reason = NonAcceptanceReason.objects.filter(pk=reason_id, is_active=True).first() if reason_id.isdigit() else None
    text = acceptance.non_acceptance_notice(complaint, reason) if reason else ""
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
    content = default_storage.open(attachment_files.attachment_path(item.file.sha256), "rb")
    return FileResponse(content, as_attachment=True, filename=item.original_name,
                        content_type=item.file.content_type)
