"""The analytics dashboards' "trace to the source" section (registered with analytics.board_sections): the
figures of `reports.trace_to_source` for the dashboard's period and unit, for users with remediation.view."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from bankdesk.analytics.board_sections import BoardSection
from bankdesk.core import exports
from bankdesk.core.permissions import has_permission
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.rectification import reports


def context(user, period, under) -> dict | None:
    if not has_permission(user, P.VIEW):
        return None
    query = urlencode({"date_from": period.first.isoformat(), "date_to": period.last.isoformat()})
    return {"trace": reports.trace_to_source(user, period.first, period.last, under),
            "report_link": f"{reverse('remediation:rectification_report')}?{query}"}


def sheet(data: dict) -> exports.Sheet:
    """The section's table in the dashboard's export, with the shares the page shows beside the counts."""
    def counted(part, share):
        return part if share is None else f"{part} ({share}%)"

    rows = [[row.unit_name, row.bank_at_fault, counted(row.with_item, row.item_share),
             counted(row.verified_on_time, row.on_time_share), row.repeats] for row in data["trace"]]
    header = [_("Unit"), _("Closed as the bank's fault"), _("With a rectification item"), _("Verified on time"),
              _("Repeat complaints")]
    return exports.Sheet(_("Trace to the source"), header, rows, len(rows), widths=[30, 16, 18, 18, 14])


SECTION = BoardSection("remediation.trace_to_source", boards=("management", "consumer_protection"),
                       template="remediation/_board_trace.html", context=context, sheet=sheet)
