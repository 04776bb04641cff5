"""The complaint state machine (domain.md §2): which step may be taken from which state, with which right.

Every service names its step; `require_step` refuses a user without the right (403) or outside the
complaint's scope (404), and `services.lock` refuses a step the current state does not allow.
The UI offers exactly the steps `available_steps` returns, so screen and rules cannot drift apart.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import HANDLING_STATUSES, OPEN_STATUSES, Complaint, Status
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission, require

AFTER_ROUTING = [*HANDLING_STATUSES, Status.DECISION_PROPOSED, Status.DECISION_APPROVED, Status.COMMUNICATED]
BEFORE_DECISION = [*HANDLING_STATUSES, Status.DECISION_PROPOSED, Status.DECISION_APPROVED]


@dataclass(frozen=True)
class Step:
    label: str
    permission: str
    from_states: tuple


STEPS = {
    "accept": Step(_("Accept"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.REGISTERED,)),
    "refuse": Step(_("Do not accept"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.REGISTERED,)),
    "route": Step(_("Route by hand"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.ACCEPTED, Status.ROUTED)),
    "merge": Step(_("Merge as a duplicate"), ComplaintPermission.REVIEW_COMPLAINTS,
                  (Status.REGISTERED, Status.ACCEPTED, Status.ROUTED)),
    "withdraw": Step(_("Record the customer's withdrawal"), ComplaintPermission.WITHDRAW_COMPLAINT, tuple(OPEN_STATUSES)),
    "start": Step(_("Start handling"), ComplaintPermission.HANDLE_COMPLAINTS, (Status.ROUTED,)),
    "note": Step(_("Add an investigation note"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(AFTER_ROUTING)),
    "contact": Step(_("Log a contact with the customer"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(AFTER_ROUTING)),
    "assist": Step(_("Ask an assisting department"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(HANDLING_STATUSES)),
    "pause": Step(_("Pause the clock"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(HANDLING_STATUSES)),
    "resume": Step(_("Resume the clock"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(HANDLING_STATUSES)),
    "extend": Step(_("Request an extension"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(BEFORE_DECISION)),
    "decide_extension": Step(_("Approve or refuse the extension"), ComplaintPermission.APPROVE_DECISIONS,
                             tuple(BEFORE_DECISION)),
    "propose": Step(_("Propose the decision"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(HANDLING_STATUSES)),
    "approve": Step(_("Approve the decision"), ComplaintPermission.APPROVE_DECISIONS, (Status.DECISION_PROPOSED,)),
    "return": Step(_("Return the decision for rework"), ComplaintPermission.APPROVE_DECISIONS, (Status.DECISION_PROPOSED,)),
    "communicate": Step(_("Tell the customer the decision"), ComplaintPermission.HANDLE_COMPLAINTS,
                        (Status.DECISION_APPROVED,)),
    "callback": Step(_("Record the callback"), ComplaintPermission.CALLBACK_COMPLAINTS, (Status.COMMUNICATED,)),
    "close_unreachable": Step(_("Close: customer unreachable"), ComplaintPermission.CALLBACK_COMPLAINTS,
                              (Status.COMMUNICATED,)),
    "reopen": Step(_("Reopen"), ComplaintPermission.REOPEN_COMPLAINTS, (Status.CLOSED,)),
    "escalate": Step(_("Escalate to the next level"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(OPEN_STATUSES)),
}
# Intake steps concern the unit complained about; handling steps may also be taken by the lead department.
INTAKE_STEPS = {"accept", "refuse", "route", "merge", "withdraw"}


def in_scope(user, step: str, complaint: Complaint) -> bool:
    permission = STEPS[step].permission
    if has_permission(user, permission, complaint.unit):
        return True
    return (step not in INTAKE_STEPS and complaint.lead_department_id is not None
            and has_permission(user, permission, complaint.lead_department))


def require_step(user, step: str, complaint: Complaint) -> None:
    """403 without the step's right anywhere, 404 when the complaint lies outside the user's reach."""
    require(user, STEPS[step].permission)
    if not in_scope(user, step, complaint):
        raise NotFound(str(_("Not found.")))


def available_steps(user, complaint: Complaint) -> list[str]:
    return [name for name, step in STEPS.items()
            if complaint.status in step.from_states and in_scope(user, name, complaint)]
