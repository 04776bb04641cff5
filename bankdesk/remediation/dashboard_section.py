"""The analytics dashboards' "trace to the source" section (registered with analytics.board_sections): the
figures of `reports.trace_to_source` for the dashboard's period and unit, for users with remediation.view."""

from urllib.parse import urlencode

from django.urls import reverse

from bankdesk.analytics.board_sections import BoardSection
from bankdesk.core.permissions import has_permission
from bankdesk.remediation.permissions import RemediationPermission as P
from bankdesk.remediation.rectification import reports


def context(user, period, under) -> dict | None:
    if not has_permission(user, P.VIEW):
        return None
    query = urlencode({"date_from": period.first.isoformat(), "date_to": period.last.isoformat()})
    return {"trace": reports.trace_to_source(user, period.first, period.last, under),
            "report_link": f"{reverse('remediation:rectification_report')}?{query}"}


SECTION = BoardSection("remediation.trace_to_source", boards=("management", "consumer_protection"),
                       template="remediation/_board_trace.html", context=context)
