"""Pages of accountability records (问责): the list (filters, sorting, pages, export), proposing one from a
complaint, the record with the forms of its next steps (approve or not, decide the appeal), and the staff
member's own records with the appeal."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.complaints import selectors as complaint_selectors
from bankdesk.core.exports import Column, local
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of
from bankdesk.remediation import scope, selectors
from bankdesk.remediation.accountability import services
from bankdesk.remediation.models import AccountabilityStatus
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.web.exports import export
from bankdesk.remediation.web.forms import (
    AccountabilityFilterForm,
    AppealForm,
    DecideAppealForm,
    DecideForm,
    ProposeAccountabilityForm,
)

PAGE_SIZE = 50


def _filters(request) -> tuple[AccountabilityFilterForm, selectors.AccountabilityFilter]:
    form = AccountabilityFilterForm(request.GET or None, user=request.user)
    return form, selectors.AccountabilityFilter(**{"sort": "-proposed_at", **form.values()})


@require_GET
def record_list(request):
    form, filters = _filters(request)
    return render(request, "remediation/record_list.html", {
        "form": form, "page": page_of(request, selectors.accountability_records(request.user, filters),
                                      size=PAGE_SIZE),
        "sort": filters.sort, "can_export": has_permission(request.user, P.EXPORT)})


COLUMNS = [
    Column(gettext_lazy("Record"), str),
    Column(gettext_lazy("Complaint"), lambda record: record.complaint.tracking_number),
    Column(gettext_lazy("Staff member"), lambda record: str(record.staff)),
    Column(gettext_lazy("Unit"), lambda record: record.unit.name),
    Column(gettext_lazy("Penalty"), lambda record: record.penalty.name),
    Column(gettext_lazy("Status"), lambda record: record.get_status_display()),
    Column(gettext_lazy("Proposed by"), lambda record: str(record.proposed_by)),
    Column(gettext_lazy("Proposed at"), lambda record: local(record.proposed_at)),
    Column(gettext_lazy("Facts and grounds"), lambda record: record.facts),
]


@require_GET
def record_export(request):
    _form, filters = _filters(request)
    return export(request, "accountability-records", COLUMNS,
                  selectors.accountability_records(request.user, filters), vars(filters))


def record_new(request, complaint_id):
    complaint = complaint_selectors.complaint_detail(request.user, complaint_id)
    if not scope.over_complaint(request.user, P.PROPOSE_ACCOUNTABILITY, complaint):
        raise Http404()
    form = ProposeAccountabilityForm(request.POST or None, complaint=complaint)
    if request.method == "POST" and form.is_valid():
        record = call_service(form, lambda: services.propose(request.user, complaint, **form.cleaned_data))
        if record is not None:
            messages.success(request, _("The accountability record is proposed and awaits approval."))
            return redirect("remediation:record", record_id=record.pk)
    return render(request, "remediation/record_form.html", {"complaint": complaint, "form": form})


def _context(request, record, **forms) -> dict:
    user = request.user
    refusal = services.decision_refusal(user, record)
    may_decide = (record.status == AccountabilityStatus.PROPOSED and refusal is None
                  and scope.over_complaint(user, P.APPROVE_ACCOUNTABILITY, record.complaint))
    may_decide_appeal = (record.status == AccountabilityStatus.APPEALED and refusal is None
                         and user.pk != record.decided_by_id
                         and scope.over_complaint(user, P.DECIDE_APPEAL, record.complaint))
    return {"record": record,
            "decide_form": forms.get("decide_form") or (DecideForm() if may_decide else None),
            "appeal_form": forms.get("appeal_form") or (DecideAppealForm() if may_decide_appeal else None)}


@require_GET
def record_detail(request, record_id):
    record = selectors.accountability_record(request.user, record_id)
    return render(request, "remediation/record_detail.html", _context(request, record))


def _step(request, record_id, form_name: str, form, step, done: str):
    record = selectors.accountability_record(request.user, record_id)
    if form.is_valid() and call_service(form, lambda: step(record, form.cleaned_data), conflict_on_form=True):
        messages.success(request, done)
        return redirect("remediation:record", record_id=record.pk)
    return render(request, "remediation/record_detail.html", _context(request, record, **{form_name: form}))


@require_POST
def record_decide(request, record_id):
    return _step(request, record_id, "decide_form", DecideForm(request.POST),
                 lambda record, data: services.decide(request.user, record, **data), _("The decision is recorded."))


@require_POST
def record_decide_appeal(request, record_id):
    return _step(request, record_id, "appeal_form", DecideAppealForm(request.POST),
                 lambda record, data: services.decide_appeal(request.user, record, **data),
                 _("The appeal is decided."))


# --- The staff member's own records ------------------------------------------------------------------------------

@require_GET
def my_records(request):
    return render(request, "remediation/my_records.html", {"records": selectors.my_records(request.user)})


def my_record(request, record_id):
    """One of my records; while it is in force (and not appealed yet) I may appeal once."""
    record = selectors.my_record(request.user, record_id)
    may_appeal = record.status == AccountabilityStatus.APPROVED
    form = AppealForm(request.POST or None) if may_appeal else None
    if request.method == "POST":
        if form is None:
            return redirect("remediation:my_record", record_id=record.pk)
        if form.is_valid() and call_service(form, lambda: services.appeal(request.user, record,
                                                                          text=form.cleaned_data["text"]),
                                            conflict_on_form=True):
            messages.success(request, _("Your appeal is recorded; you will be told the decision."))
            return redirect("remediation:my_record", record_id=record.pk)
    return render(request, "remediation/my_record.html", {"record": record, "form": form})
