"""The early-warning list as a file (kind analytics.warnings, written by core's export jobs): the rows of the
list page for the same filters, in the user's scope, with who handled each and the note."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.analytics.warnings import selectors
from bankdesk.analytics.warnings.forms import WarningFilterForm
from bankdesk.analytics.warnings.models import WarningKind
from bankdesk.analytics.warnings.permissions import WarningPermission as P
from bankdesk.core import exports
from bankdesk.core.exports import Column, local

EXPORT_KIND = "analytics.warnings"


def _subject(warning) -> str:
    if warning.business_category_id:
        return warning.business_category.name
    if warning.cause_id:
        return warning.cause.name
    return gettext("one customer") if warning.kind == WarningKind.CUSTOMER_CLUSTER else ""


def _with_unit(warning, value) -> str:
    return f"{value:g}%" if warning.kind == WarningKind.OVERDUE_SHARE else f"{value:g}"


COLUMNS = [
    Column(_("Day checked"), lambda warning: warning.day.isoformat()),
    Column(_("Kind"), lambda warning: warning.get_kind_display()),
    Column(_("Unit"), lambda warning: warning.unit.name),
    Column(_("Category or cause"), _subject),
    Column(_("Figure"), lambda warning: _with_unit(warning, warning.figure)),
    Column(_("Threshold"), lambda warning: _with_unit(warning, warning.threshold)),
    Column(_("Complaints behind it"), lambda warning: warning.complaint_count),
    Column(_("Status"), lambda warning: warning.get_status_display()),
    Column(_("Handled by"), lambda warning: str(warning.handled_by) if warning.handled_by_id else ""),
    Column(_("Handled at"), lambda warning: local(warning.handled_at)),
    Column(_("Note"), lambda warning: warning.note),
]


def _filters(user, data):
    form = WarningFilterForm(data or None, user=user)
    return form, selectors.WarningFilter(**{"sort": selectors.DEFAULT_SORT, **form.values()})


KIND = exports.list_kind(EXPORT_KIND, _("Early warnings"), P.VIEW_WARNINGS, "early-warnings", _filters,
                         selectors.warnings, COLUMNS)
