"""Who may open the complaint pages and call the complaint operations (see core/access.py).

A step's own right (propose, approve, call back…) is checked by state_machine.require_step; the pages
and operations that take any step declare the right that lets a user see the complaint at all.
"""

from bankdesk.complaints.permissions import ComplaintPermission as P
from bankdesk.core.access import PUBLIC, SIGNED_IN
from bankdesk.core.permissions import CorePermission

RULES = {
    "complaints:list": P.VIEW_COMPLAINTS, "complaints:detail": P.VIEW_COMPLAINTS,
    "complaints:step": P.VIEW_COMPLAINTS, "complaints:step_box": P.VIEW_COMPLAINTS,
    "complaints:answer_assist": P.VIEW_COMPLAINTS,
    "complaints:attachment": P.VIEW_COMPLAINTS, "complaints:decision_letter": P.VIEW_COMPLAINTS,
    "complaints:reveal_representative": P.VIEW_COMPLAINTS, "complaints:reveal": CorePermission.REVEAL_PII,
    "complaints:export": P.EXPORT_COMPLAINTS, "complaints:register": P.REGISTER_COMPLAINT,
    "complaints:lookup": P.REGISTER_COMPLAINT, "complaints:queue": P.REVIEW_COMPLAINTS,
    "complaints:handler_options": P.REVIEW_COMPLAINTS, "complaints:refusal_notice": P.REVIEW_COMPLAINTS,
    "complaints:my_work": P.HANDLE_COMPLAINTS, "complaints:team": P.APPROVE_DECISIONS,
    **{f"complaint_imports:{name}": P.IMPORT_COMPLAINTS for name in (
        "jobs", "upload", "template", "job", "job_errors", "emails", "email", "email_original")},
    "track:new": PUBLIC, "track:receipt": PUBLIC, "track:status": PUBLIC, "track:letter": PUBLIC,
    "track:review": PUBLIC,
    # API
    "complaints_register": P.REGISTER_COMPLAINT, "complaints_customer_history": P.REGISTER_COMPLAINT,
    "complaints_list_complaints": P.VIEW_COMPLAINTS, "complaints_get_complaint": P.VIEW_COMPLAINTS,
    "complaints_complaint_timeline": P.VIEW_COMPLAINTS, "complaints_complaint_clocks": P.VIEW_COMPLAINTS,
    "complaints_decision_letter": P.VIEW_COMPLAINTS, "complaints_taxonomies": SIGNED_IN,
    "complaints_my_work": P.HANDLE_COMPLAINTS, "complaints_team_work": P.APPROVE_DECISIONS,
    "complaints_accept": P.REVIEW_COMPLAINTS, "complaints_refuse": P.REVIEW_COMPLAINTS,
    "complaints_merge": P.REVIEW_COMPLAINTS, "complaints_route": P.REVIEW_COMPLAINTS,
    "complaints_reclassify": P.REVIEW_COMPLAINTS, "complaints_record_regulator_feedback": P.REVIEW_COMPLAINTS,
    "complaints_withdraw": P.WITHDRAW_COMPLAINT,
    **{f"complaints_{name}": P.HANDLE_COMPLAINTS for name in (
        "sign_for", "start", "add_note", "log_contact", "request_assistance", "answer_assistance", "pause", "resume",
        "request_extension", "escalate", "propose_decision", "communicate")},
    "complaints_decide_extension": (P.APPROVE_DECISIONS, P.APPROVE_FURTHER_EXTENSION),
    "complaints_approve_decision": P.APPROVE_DECISIONS, "complaints_return_decision": P.APPROVE_DECISIONS,
    "complaints_record_callback": P.CALLBACK_COMPLAINTS, "complaints_close_unreachable": P.CALLBACK_COMPLAINTS,
    "complaints_reopen": P.REOPEN_COMPLAINTS, "complaints_screen_dissatisfaction": P.SCREEN_DISSATISFACTION,
    "complaints_public_register": PUBLIC, "complaints_public_status": PUBLIC, "complaints_public_letter": PUBLIC,
    "complaints_public_review": PUBLIC,
}
