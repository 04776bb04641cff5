"""The audit trail as a background export (kind core.audit, core/exports.py): the trail's filters and scope, each
event on one line with its changes read as the page reads them (the related rows they name looked up once per
batch of events)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import audit_display, exports, selectors
from bankdesk.core.forms import AuditFilterForm
from bankdesk.core.permissions import CorePermission

BATCH = 500
HEADER = [_("Time"), _("Source"), _("Actor"), _("Action"), _("Object type"), _("Object"), _("What changed")]


def audit_filters(user, data) -> tuple[AuditFilterForm, selectors.AuditFilter]:
    """The trail's filter form and filters for a query string's values (the page's and its export's)."""
    form = AuditFilterForm(data or None)
    filters = selectors.AuditFilter(**form.cleaned_data) if form.is_valid() else selectors.AuditFilter()
    filters.sort = filters.sort or "-occurred_at"
    return form, filters


def _change(change) -> str:
    """A change in full (the page cuts long values, keeping the whole in its title)."""
    whole = change.title or (change.new if change.old is None else f"{change.old} → {change.new}")
    return f"{change.label}: {whole}"


def _rows(events):
    for line in audit_display.describe(events):
        event = line.event
        yield [exports.local(event.occurred_at), event.get_source_display(), event.actor_label, line.action,
               line.object_type, event.object_repr, "; ".join(_change(change) for change in line.changes)]


def _lines(query):
    batch = []
    for event in query.iterator(chunk_size=BATCH):
        batch.append(event)
        if len(batch) == BATCH:
            yield from _rows(batch)
            batch = []
    yield from _rows(batch)


def audit_document(user, data) -> exports.Document:
    form, filters = audit_filters(user, data)
    exports.refuse_invalid(form)
    query = selectors.audit_events(user, filters)
    title = gettext("Audit trail")
    sheet = exports.Sheet(title, [str(label) for label in HEADER], _lines(query), query.count(),
                          widths=[17, 8, 14, 20, 14, 24, 70])
    return exports.Document(title, f"audit-trail-{timezone.localdate():%Y%m%d}", [sheet],
                            about=[exports.exported_now()])


KIND = exports.ExportKind("core.audit", _("Audit trail"), CorePermission.VIEW_AUDIT, audit_document)
