"""The complaint page's remediation panel (registered with complaints.page_panels): the complaint's payment
orders, its rectification item and its accountability records, with links to propose them. Each list is read
only when the complaint has entries in it (flags read with the complaint), so the panel costs at most one query
per kind and none to a user without remediation.view over the complaint."""

from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.page_panels import PagePanel
from bankdesk.complaints.selectors import related_entries
from bankdesk.core.permissions import scope_paths
from bankdesk.remediation.models import RectificationItem
from bankdesk.remediation.permissions import RemediationPermission as P

TITLE = _("Remediation")


def _reaches(user, permission: str, complaint) -> bool:
    """The right over the complaint's unit or its lead department (scope.over_complaint, from the paths the
    complaint carries: no unit is read)."""
    paths = [path for path in (complaint.unit_path, complaint.lead_department_path) if path]
    return any(path.startswith(root) for root in scope_paths(user, permission) for path in paths)


def context(user, complaint) -> dict | None:
    if not _reaches(user, P.VIEW, complaint):
        return None
    orders = list(related_entries(complaint, "payment_orders").select_related("proposed_by").only(
        "id", "kind", "amount", "status", "proposed_at", "complaint_id", "proposed_by__id", "proposed_by__username",
        "proposed_by__display_name").order_by("proposed_at", "id"))
    item = None
    if getattr(complaint, "has_rectification_link", True):
        item = (RectificationItem.objects.filter(links__complaint_id=complaint.pk)
                .select_related("root_cause", "owner").first())
    records = []
    if _reaches(user, P.VIEW_ACCOUNTABILITY, complaint):  # staff and penalties: not for every handler
        records = list(related_entries(complaint, "accountability_records").select_related("staff", "penalty").only(
            "id", "status", "proposed_at", "complaint_id", "staff__id", "staff__username", "staff__display_name",
            "penalty__id", "penalty__name").order_by("proposed_at", "id"))
    may_pay = _reaches(user, P.PROPOSE_PAYMENT, complaint) and getattr(complaint, "has_decisions", True)
    may_hold = _reaches(user, P.PROPOSE_ACCOUNTABILITY, complaint)
    if not (orders or item or records or may_pay or may_hold):
        return None
    return {"title": TITLE, "orders": orders, "item": item, "records": records, "may_propose_payment": may_pay,
            "may_propose_accountability": may_hold}


PANEL = PagePanel("remediation", "remediation/_complaint_panel.html", context,
                  relations=("payment_orders", "rectification_link", "accountability_records"), order=100)
