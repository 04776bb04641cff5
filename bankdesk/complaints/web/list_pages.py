"""Lists of complaints: the intake queue, the complaint list and its CSV export, the handler's own work
by what is due first, and the department head's view of the team."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bankdesk.complaints import saving, selectors
from bankdesk.complaints.models import OPEN_STATUSES, Status
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.web import labels
from bankdesk.complaints.web.forms import ComplaintFilterForm, WorkFilterForm
from bankdesk.core import exports
from bankdesk.core.export_views import background_instead
from bankdesk.core.permissions import has_permission, require
from bankdesk.core.pii import mask_phone
from bankdesk.core.web import csv_download, page_of

LIST_PAGE_SIZE = 50
QUEUE_STATUSES = [Status.REGISTERED, Status.ACCEPTED]


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


EXPORT_COLUMNS = [
    Column(gettext_lazy("Tracking number"), ("tracking_number",)),
    Column(gettext_lazy("Received at"), ("received_at",), _local),
    Column(gettext_lazy("Status"), ("status",), lambda value: labels.STATUS_LABELS.get(value, value)),
    Column(gettext_lazy("Severity"), ("severity",), lambda value: labels.SEVERITY_LABELS.get(value, value)),
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


def _export_rows(rows):
    yield [str(column.label) for column in EXPORT_COLUMNS]
    for row in rows:
        cells, position = [], 0
        for column in EXPORT_COLUMNS:
            values = row[position:position + len(column.fields)]
            position += len(column.fields)
            cells.append(column.render(*values) if column.render else values[0])
        yield cells


EXPORT_KIND = "complaints.list"
EXPORT_WIDTHS = [22, 17, 10, 8, 12, 28, 16, 20, 10, 14, 6, 8, 12, 18, 17, 18, 12]
EXPORT_CHUNK = 2000


def _export_query(user, data, selector, default_sort: str, **form_options):
    """The complaints of `selector` under the filters of `data` (a query string's values), as the export reads
    them; filters the form refuses are refused (never the whole list instead)."""
    form = ComplaintFilterForm(data or None, **form_options)
    exports.refuse_invalid(form)
    fields = [name for column in EXPORT_COLUMNS for name in column.fields]
    return form, selector(user, _filters(form, default_sort)).values_list(*fields)


def _about(form: ComplaintFilterForm) -> list[tuple[str, str]]:
    """When, and under which filters (their labels and the values as the form shows them)."""
    given = []
    for name, value in (form.cleaned_data if form.is_bound and form.is_valid() else {}).items():
        if value in (None, "", False) or name == "sort":
            continue
        choices = dict(getattr(form.fields[name], "choices", None) or []) if not hasattr(value, "pk") else {}
        shown = _("yes") if value is True else choices.get(value, choices.get(str(value), value))
        given.append(f"{form.fields[name].label}: {shown}")
    return [(_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
            (_("Filters"), "; ".join(given) or _("none"))]


def _complaints_document(user, data, title: str, filename: str, selector, default_sort: str,
                         **form_options) -> exports.Document:
    form, rows = _export_query(user, data, selector, default_sort, **form_options)
    sheet = exports.Sheet(title, [str(column.label) for column in EXPORT_COLUMNS],
                          _export_body(rows.iterator(chunk_size=EXPORT_CHUNK)), rows.count(), widths=EXPORT_WIDTHS)
    return exports.Document(title, f"{filename}-{timezone.localdate():%Y%m%d}", [sheet], about=_about(form))


def export_document(user, data) -> exports.Document:
    """The complaint list as an export (core/exports.py): the user's own scoped list, phones masked."""
    require(user, ComplaintPermission.EXPORT_COMPLAINTS)
    return _complaints_document(user, data, str(_("Complaint list")), "complaints", selectors.complaint_list,
                                "-received_at")


def queue_document(user, data) -> exports.Document:
    """The intake queue as an export, as the complaint list is (its selector asks for the review right)."""
    return _complaints_document(user, data, str(_("Intake queue")), "intake-queue", selectors.intake_queue, "",
                                statuses=QUEUE_STATUSES)


def _export_body(rows):
    body = _export_rows(rows)
    next(body)  # the header, which the sheet carries
    yield from body


@login_required
@require_GET
def export_csv(request):
    """The list's current filter as CSV: one streamed query, phones masked. A list longer than
    core.export_direct_row_limit is exported in the background instead (我的导出)."""
    require(request.user, ComplaintPermission.EXPORT_COMPLAINTS)
    form = ComplaintFilterForm(request.GET or None)
    filters = _filters(form, "-received_at")
    fields = [name for column in EXPORT_COLUMNS for name in column.fields]
    query = selectors.complaint_list(request.user, filters)
    large = background_instead(request, EXPORT_KIND, "csv", dict(request.GET.lists()), query.count())
    if large is not None:
        return large
    rows = query.values_list(*fields).iterator(chunk_size=2000)
    saving.record_export(request.user, vars(filters))
    return csv_download(f"complaints-{timezone.localdate():%Y%m%d}.csv", _export_rows(rows))


# --- Work pages --------------------------------------------------------------------------------------------------

def _work_filter(data) -> tuple[WorkFilterForm, selectors.WorkFilter]:
    form = WorkFilterForm(data or None, statuses=OPEN_STATUSES)
    values = form.cleaned_data if form.is_valid() else {}
    return form, selectors.WorkFilter(state=values.get("state"), status=values.get("status") or "",
                                      sort=values.get("sort") or "current_deadline")


WORK_COLUMNS = [
    exports.Column(gettext_lazy("Tracking number"), lambda complaint: complaint.tracking_number),
    exports.Column(gettext_lazy("Received at"), lambda complaint: exports.local(complaint.received_at)),
    exports.Column(gettext_lazy("Business category"), lambda complaint: str(complaint.business_category)),
    exports.Column(gettext_lazy("Complainant"), lambda complaint: complaint.complainant_name),
    exports.Column(gettext_lazy("Severity"), lambda complaint: complaint.get_severity_display()),
    exports.Column(gettext_lazy("Status"), lambda complaint: complaint.get_status_display()),
    exports.Column(gettext_lazy("Handler"), lambda complaint: str(complaint.handler) if complaint.handler_id else ""),
    exports.Column(gettext_lazy("Next deadline"), lambda complaint: exports.local(complaint.current_deadline)),
    exports.Column(gettext_lazy("Deadline"), lambda complaint: complaint.get_deadline_state_display()),
]


def _work_kind(key: str, label, filename: str, selector) -> exports.ExportKind:
    """A work list as an export (its selector asks for the list's own right, the kind for the export right)."""
    return exports.list_kind(key, label, ComplaintPermission.EXPORT_COMPLAINTS, filename,
                             lambda user, data: _work_filter(data), selector, WORK_COLUMNS)


def export_kinds() -> list[exports.ExportKind]:
    P = ComplaintPermission
    return [exports.ExportKind(EXPORT_KIND, gettext_lazy("Complaint list"), P.EXPORT_COMPLAINTS, export_document),
            exports.ExportKind("complaints.queue", gettext_lazy("Intake queue"), P.EXPORT_COMPLAINTS, queue_document),
            _work_kind("complaints.my_work", gettext_lazy("My work"), "my-work", selectors.my_work),
            _work_kind("complaints.team", gettext_lazy("Team's open complaints"), "team-work", selectors.team_work)]


@login_required
def my_work(request):
    require(request.user, ComplaintPermission.HANDLE_COMPLAINTS)
    form, filters = _work_filter(request.GET)
    page = page_of(request, selectors.my_work(request.user, filters), size=LIST_PAGE_SIZE)
    return render(request, "complaints/my_work.html", {
        "form": form, "page": page, "sort": filters.sort, "now": timezone.now(),
        "assist_requests": selectors.assist_requests_for(request.user)[:20]})


@login_required
def team(request):
    require(request.user, ComplaintPermission.APPROVE_DECISIONS)
    form, filters = _work_filter(request.GET)
    load = selectors.team_load(request.user)
    widest = max((row["open_count"] for row in load), default=0)
    for row in load:
        on_time = row["open_count"] - row["warned_count"] - row["overdue_count"]
        row["bar"] = {name: 100 * count // widest if widest else 0 for name, count in
                      (("on_time", on_time), ("warned", row["warned_count"]), ("overdue", row["overdue_count"]))}
    page = page_of(request, selectors.team_work(request.user, filters), size=LIST_PAGE_SIZE)
    return render(request, "complaints/team.html", {
        "form": form, "page": page, "sort": filters.sort, "now": timezone.now(), "load": load,
        "awaiting": selectors.awaiting_approval(request.user)[:20]})
