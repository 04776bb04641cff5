"""Who may open the remediation pages and call its operations (see core/access.py). The services still check
the object's scope and the step (and who may not take it: the proposer, the staff concerned)."""

from bankdesk.core.access import SIGNED_IN
from bankdesk.remediation.permissions import RemediationPermission as P

PAGES = {
    **{f"remediation:{name}": P.VIEW for name in (
        "payments", "payment", "items", "item", "item_evidence_file", "rectification_report")},
    "remediation:records": P.VIEW_ACCOUNTABILITY, "remediation:record": P.VIEW_ACCOUNTABILITY,
    **{f"remediation:{name}": P.EXPORT for name in ("payments_export", "items_export", "records_export")},
    "remediation:payment_new": P.PROPOSE_PAYMENT, "remediation:payment_cancel": P.PROPOSE_PAYMENT,
    "remediation:payment_approve": P.APPROVE_PAYMENT, "remediation:payment_reject": P.APPROVE_PAYMENT,
    "remediation:authenticator": P.APPROVE_PAYMENT,
    **{f"remediation:{name}": P.PAY for name in ("payment_paid", "payment_file", "payment_file_again")},
    **{f"remediation:{name}": P.RECTIFY for name in ("item_edit", "item_evidence", "item_link", "item_report")},
    "remediation:item_verify": P.VERIFY,
    "remediation:record_new": P.PROPOSE_ACCOUNTABILITY,
    "remediation:record_decide": P.APPROVE_ACCOUNTABILITY,
    "remediation:record_decide_appeal": P.DECIDE_APPEAL,
    "remediation:my_records": SIGNED_IN, "remediation:my_record": SIGNED_IN,
}

OPERATIONS = {
    **{f"remediation_{name}": P.VIEW for name in (
        "list_payment_orders", "get_payment_order", "list_rectification_items", "get_rectification_item",
        "get_rectification_evidence")},
    **{f"remediation_{name}": P.VIEW_ACCOUNTABILITY for name in (
        "list_accountability_records", "get_accountability_record")},
    "remediation_propose_payment_order": P.PROPOSE_PAYMENT, "remediation_cancel_payment_order": P.PROPOSE_PAYMENT,
    "remediation_approve_payment_order": P.APPROVE_PAYMENT, "remediation_reject_payment_order": P.APPROVE_PAYMENT,
    "remediation_mark_payment_order_paid": P.PAY, "remediation_export_payment_file": P.PAY,
    **{f"remediation_{name}": P.RECTIFY for name in (
        "update_rectification_item", "report_rectification_done", "link_rectification_complaint",
        "add_rectification_evidence")},
    "remediation_verify_rectification": P.VERIFY,
    "remediation_propose_accountability": P.PROPOSE_ACCOUNTABILITY,
    "remediation_decide_accountability": P.APPROVE_ACCOUNTABILITY,
    "remediation_decide_accountability_appeal": P.DECIDE_APPEAL,
    "remediation_list_my_accountability_records": SIGNED_IN, "remediation_appeal_accountability": SIGNED_IN,
}

RULES = {**PAGES, **OPERATIONS}
