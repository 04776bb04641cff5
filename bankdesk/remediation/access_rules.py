"""Who may open the remediation pages and call its operations (see core/access.py). The services still check
the object's scope and the step (and who may not take it: the proposer, the staff concerned)."""

from bankdesk.core.access import SIGNED_IN
from bankdesk.remediation.permissions import RemediationPermission as P

PAGES = {
    **{f"remediation:{name}": P.VIEW for name in (
        "payments", "payment", "items", "item", "item_evidence_file", "rectification_report", "records", "record")},
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

OPERATIONS = {}

RULES = {**PAGES, **OPERATIONS}
