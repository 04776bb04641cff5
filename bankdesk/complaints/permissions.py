"""The complaints app's permissions and the roles that hold them."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_customer_data, register_permissions


class ComplaintPermission(StrEnum):
    REGISTER_COMPLAINT = "complaint.register"
    VIEW_COMPLAINTS = "complaint.view"
    REVIEW_COMPLAINTS = "complaint.review"
    WITHDRAW_COMPLAINT = "complaint.withdraw"
    EXPORT_COMPLAINTS = "complaint.export"
    IMPORT_COMPLAINTS = "complaint.import"
    MANAGE_TAXONOMIES = "complaint.taxonomies"
    HANDLE_COMPLAINTS = "complaint.handle"
    APPROVE_DECISIONS = "complaint.approve"
    APPROVE_FURTHER_EXTENSION = "complaint.approve_further_extension"
    CALLBACK_COMPLAINTS = "complaint.callback"
    SCREEN_DISSATISFACTION = "complaint.screen"
    REOPEN_COMPLAINTS = "complaint.reopen"
    # The agent's desk: a caller's complaints read-only (status, stage dates, decision summary, next deadline) and
    # the call logged for the handler. Not customer data in the dual-control sense: it shows what the caller on the
    # line may be told, like the earlier complaints of a number at registration.
    ANSWER_CALLERS = "complaint.answer_callers"


def register() -> None:
    from bankdesk.orgs.models import Role

    P = ComplaintPermission
    register_permissions(P)
    # Registering alone does not open customers' records (it sees only the status of earlier
    # complaints from the same number); these do, so a role holding one is granted under dual control.
    register_customer_data(P.VIEW_COMPLAINTS, P.EXPORT_COMPLAINTS, P.REVIEW_COMPLAINTS, P.HANDLE_COMPLAINTS,
                           P.CALLBACK_COMPLAINTS, P.APPROVE_DECISIONS, P.SCREEN_DISSATISFACTION)
    grant([Role.AGENT, Role.LOBBY_MANAGER, Role.TELLER, Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION],
          P.REGISTER_COMPLAINT)
    grant([Role.LOBBY_MANAGER, Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR],
          P.VIEW_COMPLAINTS, P.EXPORT_COMPLAINTS)
    # The callback (回访) belongs to the complaint post: the consumer-protection office and the call center's
    # callback seats, never the handler (docs/domain-rules.md §2); seats read the complaint they call back on.
    grant([Role.CALLBACK_SEAT], P.VIEW_COMPLAINTS)
    grant([Role.CALLBACK_SEAT, Role.CONSUMER_PROTECTION], P.CALLBACK_COMPLAINTS)
    # A "not satisfied" callback is screened (复核) by the consumer-protection office.
    grant([Role.CONSUMER_PROTECTION], P.SCREEN_DISSATISFACTION)
    grant([Role.CONSUMER_PROTECTION], P.REVIEW_COMPLAINTS, P.WITHDRAW_COMPLAINT, P.IMPORT_COMPLAINTS,
          P.MANAGE_TAXONOMIES)
    grant([Role.HANDLER], P.WITHDRAW_COMPLAINT)
    grant([Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], P.HANDLE_COMPLAINTS)
    grant([Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT], P.APPROVE_DECISIONS)
    grant([Role.CONSUMER_PROTECTION, Role.MANAGEMENT], P.APPROVE_FURTHER_EXTENSION, P.REOPEN_COMPLAINTS)
    grant([Role.AGENT, Role.UNIT_HEAD], P.ANSWER_CALLERS)
