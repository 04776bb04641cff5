import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankdesk.core import audit_display, audit_export, calendar, config_tables, rule_catalog, rules, selectors, services
from bankdesk.core.context_processors import visible_entries
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.forms import CalendarDayForm, CalendarYearForm, RuleForm
from bankdesk.core.inputs import EARLIEST_DATE, LATEST_DATE
from bankdesk.core.models import CalendarDay, CalendarYear, RuleChange
from bankdesk.core.permissions import CorePermission, covers_whole_bank, require, require_whole_bank
from bankdesk.core.web import call_service, page_of


@login_required
def audit_list(request):
    form, filters = audit_export.audit_filters(request.user, request.GET)
    page = page_of(request, selectors.audit_events(request.user, filters), size=50)
    return render(request, "core/audit_list.html",
                  {"form": form, "page": page, "lines": audit_display.describe(page.items), "sort": filters.sort})


@login_required
def audit_event(request, event_id):
    """One event's record as stored (before and after in full), under its line on the trail (htmx) or alone."""
    event = selectors.audit_event(request.user, event_id)
    raw = {side: json.dumps(getattr(event, side), ensure_ascii=False, indent=2, sort_keys=True)
           for side in ("before", "after")}
    template = "core/_audit_raw.html" if request.htmx else "core/audit_event.html"
    return render(request, template, {"event": event, "raw": raw, "lines": audit_display.describe([event])})


@login_required
def nav_counts(request):
    """htmx, after the page: the menu's badges, each entry's one COUNT, swapped in out of band."""
    counts = [(entry.key, entry.count(request.user)) for entry in visible_entries(request.user) if entry.count]
    return render(request, "core/_nav_counts.html", {"counts": counts})


@login_required
def inbox(request):
    unread_only = request.GET.get("show") != "all"
    page = page_of(request, selectors.user_notifications(request.user, unread_only), size=50)
    return render(request, "core/inbox.html", {"page": page, "unread_only": unread_only})


def _back_to_inbox(request):
    """The inbox with the filter and page the user posted from."""
    query = request.GET.urlencode()
    return redirect(reverse("core:inbox") + (f"?{query}" if query else ""))


@login_required
@require_POST
def inbox_mark_read(request, notification_id):
    services.mark_notifications_read(request.user, [notification_id])
    notification = get_object_or_404(selectors.user_notifications(request.user, unread_only=False),
                                     pk=notification_id)
    if request.htmx:
        return render(request, "core/_inbox_row.html", {"notification": notification, "oob": True})
    return _back_to_inbox(request)


@login_required
def inbox_open(request, notification_id):
    """Follow a message's link; opening it marks it read. A link that leaves BankDesk goes to the inbox."""
    notification = get_object_or_404(selectors.user_notifications(request.user, unread_only=False),
                                     pk=notification_id)
    services.mark_notifications_read(request.user, [notification.pk])
    local = url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()},
                                            require_https=request.is_secure())
    return redirect(notification.link if notification.link and local else "core:inbox")


@login_required
@require_POST
def inbox_mark_all_read(request):
    services.mark_notifications_read(request.user)
    messages.success(request, _("All messages are marked read."))
    return _back_to_inbox(request)


def _may_change_bank_wide(request, permission: str) -> bool:
    """Rules and the calendar apply to the whole bank: holders of `permission` below the head
    office read the pages without their forms, and a post of theirs is refused (403)."""
    require(request.user, permission)
    may_change = covers_whole_bank(request.user, permission)
    if request.method == "POST" and not may_change:
        require_whole_bank(request.user, permission)
    return may_change


@login_required
def rule_list(request):
    may_change = _may_change_bank_wide(request, CorePermission.MANAGE_RULES)
    definitions = rule_catalog.all_rules()
    values = {rule.key: rules.get(rule.key) for rule in definitions}
    rows = [{"definition": rule, "value": rule.display(values[rule.key]), "default": rule.display(rule.default),
             "is_default": values[rule.key] == rule.default} for rule in definitions]
    return render(request, "core/rule_list.html", {"rows": rows, "may_change": may_change})


@login_required
def rule_edit(request, key):
    may_change = _may_change_bank_wide(request, CorePermission.MANAGE_RULES)
    definition = rule_catalog.definition(key)
    if definition is None:
        raise NotFound()
    form = RuleForm(request.POST or None, initial={"value": rules.get(key)})
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: rules.set_value(request.user, key, form.cleaned_data["value"],
                                                          form.cleaned_data["reason"]))
        if saved:
            messages.success(request, _("The rule is changed."))
            return redirect("core:rules")
    history = RuleChange.objects.filter(rule__key=key).select_related("changed_by")[:50]
    return render(request, "core/rule_edit.html",
                  {"definition": definition, "form": form, "history": history, "may_change": may_change,
                   "value": definition.display(rules.get(key)), "default": definition.display(definition.default)})


@login_required
def calendar_page(request):
    may_change = _may_change_bank_wide(request, CorePermission.MANAGE_CALENDAR)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        year = today.year
    day_form = CalendarDayForm(prefix="day")
    year_form = CalendarYearForm(prefix="year", initial={"year": year})
    if request.method == "POST":
        if "day-date" in request.POST:
            day_form = CalendarDayForm(request.POST, prefix="day")
            if day_form.is_valid() and call_service(day_form, lambda: services.set_calendar_day(
                    request.user, day_form.cleaned_data["date"], day_form.cleaned_data["kind"],
                    day_form.cleaned_data["name"])):
                messages.success(request, _("The day is saved."))
                return redirect(f"{request.path}?year={day_form.cleaned_data['date'].year}")
        else:
            year_form = CalendarYearForm(request.POST, prefix="year")
            if year_form.is_valid() and call_service(year_form, lambda: services.publish_calendar_year(
                    request.user, year_form.cleaned_data["year"], year_form.cleaned_data["source"])):
                messages.success(request, _("The year's calendar is marked as entered."))
                return redirect(f"{request.path}?year={year_form.cleaned_data['year']}")
    context = {
        "year": year,
        "days": CalendarDay.objects.filter(date__year=year).order_by("date"),
        "year_entry": CalendarYear.objects.filter(year=year).first(),
        "missing_years": calendar.missing_years(today),
        "day_form": day_form,
        "year_form": year_form,
        "may_change": may_change,
        "years": range(today.year - 2, today.year + 3),
    }
    return render(request, "core/calendar.html", context)


def _config_table(user, slug) -> config_tables.ConfigTable:
    table = config_tables.REGISTRY.get(slug)
    if table is None:
        raise NotFound()
    require(user, table.permission)
    return table


def _cell(entry, column: str):
    """The value of a column as staff read it: choice labels, related objects' names."""
    display = getattr(entry, f"get_{column}_display", None)
    return display() if display else getattr(entry, column)


@login_required
def config_table_list(request, slug):
    table = _config_table(request.user, slug)
    page = page_of(request, table.entries_for(request.user), size=100)
    for entry in page.items:
        entry.may_change = table.may_change(request.user, entry)
    return render(request, "core/config_table_list.html", {
        "table": table, "tables": config_tables.tables_for(request.user), "page": page,
        "may_create": table.may_create(request.user),
        "headers": [table.model._meta.get_field(column).verbose_name for column in table.columns()],
        "rows": [(entry, [_cell(entry, column) for column in table.columns()]) for entry in page.items]})


@login_required
def config_table_edit(request, slug, entry_id=None):
    """The entry form; an entry the user may see but not change (bank-wide, or acting on units
    outside their scope) is shown read-only, and the service refuses a save of it all the same."""
    user = request.user
    table = _config_table(user, slug)
    entry = get_object_or_404(table.entries_for(user), pk=entry_id) if entry_id else None
    if entry is None and not table.may_create(user):
        raise PermissionDenied(_("Only the head office may add entries that apply to the whole bank."))
    may_change = entry is None or table.may_change(user, entry)
    if not may_change and request.method == "POST":
        raise PermissionDenied(_("You may read this entry but not change it."))
    form = table.form_for(user, request.POST or None, instance=entry) if may_change \
        else table.form_class()(instance=entry)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        config_tables.save_entry(user, table, form)
        messages.success(request, _("Saved."))
        return redirect("core:config_table", slug=slug)
    return render(request, "core/config_table_form.html",
                  {"table": table, "form": form, "entry": entry, "may_change": may_change})
