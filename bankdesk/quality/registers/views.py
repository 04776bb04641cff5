"""Pages of the three outlet registers (commendations, fraud interceptions, care services): one list with
filters, sorting and exports, a form to record, a page per record with voiding; and the interception
totals with the honour list. One set of views serves the three, told apart by `REGISTERS`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bankdesk.core.exports import Column, local
from bankdesk.core.permissions import has_permission
from bankdesk.core.web import call_service, page_of, report
from bankdesk.quality.models import CareKind, CareOutcome, CommendationChannel, ScamType
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.registers import selectors, services
from bankdesk.quality.registers.forms import (
    CareOutcomeForm,
    CareServiceForm,
    CommendationForm,
    InterceptionForm,
    VoidForm,
)
from bankdesk.quality.registers.selectors import (
    CARE_SERVICES,
    COMMENDATIONS,
    INTERCEPTIONS,
    RegisterFilter,
)
from bankdesk.quality.web import FilterForm, export

LIST_PAGE_SIZE = 50


def _staff(row) -> str:
    return str(row.staff) if row.staff_id else ""


COMMON_COLUMNS = [
    Column(gettext_lazy("Outlet"), lambda row: row.unit.name),
    Column(gettext_lazy("Staff member"), _staff),
    Column(gettext_lazy("Recorded by"), lambda row: str(row.recorded_by)),
    Column(gettext_lazy("Recorded at"), lambda row: local(row.recorded_at)),
    Column(gettext_lazy("Voided"), lambda row: row.void_reason if row.is_void else ""),
]


@dataclass(frozen=True)
class RegisterPages:
    key: str  # the URL names: quality:<key>s, quality:<key>, quality:<key>_new, quality:<key>_void, quality:<key>s_export
    register: selectors.Register
    title: object
    new_title: object
    form: type
    record: Callable
    void: Callable
    kinds: Callable  # () -> [(value, label)] of the list's "kind" filter
    kind_label: object
    columns: list


REGISTERS = {
    "commendation": RegisterPages(
        "commendation", COMMENDATIONS, gettext_lazy("Commendations"), gettext_lazy("Register a commendation"),
        CommendationForm, services.record_commendation, services.void_commendation,
        lambda: CommendationChannel.choices, gettext_lazy("Channel"), [
            Column(gettext_lazy("Received on"), lambda row: row.received_on),
            Column(gettext_lazy("Channel"), lambda row: row.get_channel_display()),
            Column(gettext_lazy("Staff praised (as named)"), lambda row: row.staff_name),
            Column(gettext_lazy("From"), lambda row: row.praised_by),
            Column(gettext_lazy("What was praised"), lambda row: row.summary), *COMMON_COLUMNS]),
    "interception": RegisterPages(
        "interception", INTERCEPTIONS, gettext_lazy("Fraud interceptions"), gettext_lazy("Record a fraud interception"),
        InterceptionForm, services.record_interception, services.void_interception,
        lambda: list(ScamType.objects.values_list("pk", "name")), gettext_lazy("Scam type"), [
            Column(gettext_lazy("Date"), lambda row: row.occurred_on),
            Column(gettext_lazy("Where"), lambda row: row.get_setting_display()),
            Column(gettext_lazy("How it was spotted"), lambda row: row.get_trigger_display()),
            Column(gettext_lazy("Scam type"), lambda row: row.scam_type.name),
            Column(gettext_lazy("Amount protected (yuan)"), lambda row: row.amount_protected),
            Column(gettext_lazy("Customer's age group"), lambda row: row.get_customer_age_group_display()),
            Column(gettext_lazy("Police involved"), lambda row: _("yes") if row.police_involved else _("no")),
            Column(gettext_lazy("Outcome"), lambda row: row.get_outcome_display()),
            Column(gettext_lazy("What happened and the evidence"), lambda row: row.description), *COMMON_COLUMNS]),
    "care": RegisterPages(
        "care", CARE_SERVICES, gettext_lazy("Care services"), gettext_lazy("Record a care service"),
        CareServiceForm, services.record_care_service, services.void_care_service,
        lambda: CareKind.choices, gettext_lazy("Service"), [
            Column(gettext_lazy("Date of the service"), lambda row: row.service_on),
            Column(gettext_lazy("Service"), lambda row: row.get_kind_display()),
            Column(gettext_lazy("Customer"), lambda row: row.get_customer_group_display()),
            Column(gettext_lazy("Customer called"), lambda row: row.customer_label),
            Column(gettext_lazy("What the customer needed"), lambda row: row.description),
            Column(gettext_lazy("Outcome"), lambda row: row.get_outcome_display()),
            Column(gettext_lazy("Outcome note"), lambda row: row.outcome_note), *COMMON_COLUMNS]),
}


def _filters(request, pages: RegisterPages) -> tuple[FilterForm, RegisterFilter]:
    form = FilterForm(request.GET or None, user=request.user, kinds=pages.kinds(), kind_label=pages.kind_label)
    values = form.values()
    return form, RegisterFilter(**{"sort": pages.register.default_sort(), **values})


@require_GET
def register_list(request, register):
    pages = REGISTERS[register]
    form, filters = _filters(request, pages)
    page = page_of(request, selectors.register_list(request.user, pages.register, filters), size=LIST_PAGE_SIZE)
    return render(request, f"quality/{pages.key}_list.html", {
        "pages": pages, "form": form, "page": page, "sort": filters.sort,
        "can_record": has_permission(request.user, P.RECORD), "can_export": has_permission(request.user, P.EXPORT)})


@require_GET
def register_export(request, register):
    pages = REGISTERS[register]
    _form, filters = _filters(request, pages)
    rows = selectors.register_list(request.user, pages.register, filters)
    return export(request, f"{pages.key}s", pages.columns, rows, vars(filters))


def register_new(request, register):
    pages = REGISTERS[register]
    form = pages.form(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = call_service(form, lambda: pages.record(request.user, **form.values()))
        if created:
            messages.success(request, _("Recorded."))
            return redirect(f"quality:{pages.key}", record_id=created.pk)
    return render(request, "quality/record_form.html", {"pages": pages, "form": form})


def _detail_context(request, pages: RegisterPages, found, **extra) -> dict:
    user = request.user
    may_void = not found.is_void and has_permission(user, P.RECORD, found.unit) and (
        found.recorded_by_id == user.pk or has_permission(user, P.CORRECT, found.unit))
    return {"pages": pages, "record": found, "may_void": may_void, "void_form": VoidForm(), **extra}


@require_GET
def register_detail(request, register, record_id):
    pages = REGISTERS[register]
    found = selectors.record(request.user, pages.register, record_id)
    extra = {}
    if register == "care" and found.outcome == CareOutcome.SCHEDULED and not found.is_void:
        extra["outcome_form"] = CareOutcomeForm() if has_permission(request.user, P.RECORD, found.unit) else None
    return render(request, f"quality/{pages.key}_detail.html", _detail_context(request, pages, found, **extra))


@require_POST
def register_void(request, register, record_id):
    pages = REGISTERS[register]
    found = selectors.record(request.user, pages.register, record_id)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding the record."))
    else:
        report(request, lambda: pages.void(request.user, found, form.cleaned_data["reason"]),
               _("The record was voided."))
    return redirect(f"quality:{pages.key}", record_id=found.pk)


@require_POST
def care_outcome(request, record_id):
    found = selectors.record(request.user, CARE_SERVICES, record_id)
    form = CareOutcomeForm(request.POST)
    if form.is_valid():
        done = call_service(form, lambda: services.record_care_outcome(request.user, found, **form.cleaned_data))
        if done:
            messages.success(request, _("The outcome was recorded."))
            return redirect("quality:care", record_id=found.pk)
    return render(request, "quality/care_detail.html",
                  _detail_context(request, REGISTERS["care"], found, outcome_form=form))


@require_GET
def interception_totals(request):
    pages = REGISTERS["interception"]
    form, filters = _filters(request, pages)
    by_month = selectors.interception_totals_by_month(request.user, filters)
    chart = {"x": [f"{row['month']:%Y-%m}" for row in by_month], "axes": [_("Interceptions"), _("Yuan")],
             "series": [{"name": _("Interceptions"), "type": "bar", "data": [row["count"] for row in by_month]},
                        {"name": _("Amount protected (yuan)"), "type": "line", "axis": 1,
                         "data": [str(row["amount"]) for row in by_month]}]}
    return render(request, "quality/interception_totals.html", {
        "pages": pages, "form": form, "chart": chart,
        "by_outlet": selectors.interception_totals_by_outlet(request.user, filters),
        "honour": selectors.honour_list(request.user, filters)})
