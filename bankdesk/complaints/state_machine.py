"""The complaint state machine (docs/domain-rules.md §2): which step may be taken from which state, with which right.

Every service names its step; `require_step` refuses a user without the right (403) or outside the
complaint's scope (404), and `saving.lock` refuses a step the current state does not allow.
The UI offers exactly the steps `available_steps` returns, so screen and rules cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import (
    HANDLING_STATUSES,
    OPEN_STATUSES,
    Complaint,
    Decision,
    DecisionStatus,
    Status,
)
from bankdesk.complaints import recusal
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.permissions import has_permission, require, roles_over
from bankdesk.orgs.models import Role

AFTER_ROUTING = [*HANDLING_STATUSES, Status.DECISION_PROPOSED, Status.DECISION_APPROVED, Status.COMMUNICATED]
# Classification may be corrected once accepted, also after closure: the regulatory statistics count it.
AFTER_ACCEPTANCE = [Status.ACCEPTED, *AFTER_ROUTING, Status.CLOSED]
BEFORE_DECISION = [*HANDLING_STATUSES, Status.DECISION_PROPOSED, Status.DECISION_APPROVED]


APPROVAL_LIMIT_RULES = {Role.UNIT_HEAD: "approval.unit_head_limit_yuan",
                        Role.CONSUMER_PROTECTION: "approval.consumer_protection_limit_yuan",
                        Role.MANAGEMENT: "approval.management_limit_yuan"}


def highest_approval_limit() -> Decimal:
    """The largest compensation any approver could approve: the highest of the approval-limit rules."""
    return max(rules.get(key) for key in APPROVAL_LIMIT_RULES.values())


def approval_limit(user, complaint: Complaint) -> Decimal:
    """The largest compensation the user may approve on this complaint, from the roles over it."""
    paths = [complaint.unit_path, complaint.lead_department_path]
    limits = [rules.get(APPROVAL_LIMIT_RULES[role]) for role in roles_over(user, paths) if role in APPROVAL_LIMIT_RULES]
    return max(limits, default=Decimal("0"))


def approval_refusal(user, complaint: Complaint, decision: Decision | None = None) -> ValidationFailed | None:
    """Why `user` may not approve the decision proposed on `complaint` (授权), or None when they may.

    The one place approving is decided: nobody approves their own proposal (maker-checker), and a compensation
    needs an approver whose limit (rule settings per role) covers it. The step table offers "approve" only when
    this finds nothing, and approval.approve_decision raises what it finds. `decision` is the proposed one
    (read when not given).
    """
    if decision is None:
        decision = Decision.objects.filter(complaint=complaint, status=DecisionStatus.PROPOSED).first()
        if decision is None:
            return None  # nothing to approve: the state check refuses the step
    if decision.proposed_by_id == user.pk:
        return ValidationFailed(gettext("Nobody approves their own proposal."), field="note", code="self_approval")
    if decision.payout:
        limit = approval_limit(user, complaint)
        if decision.payout > limit:
            return ValidationFailed(
                gettext("The compensation of %(amount)s yuan is above your approval limit of %(limit)s yuan; a "
                        "holder of a higher limit must approve it.")
                % {"amount": decision.payout, "limit": limit}, field="note", code="over_limit")
    return None


def sign_for_refusal(user, complaint: Complaint) -> ValidationFailed | None:
    """Why `user` may not sign for (签收) the routed complaint, or None: it is signed for once, by the lead
    department's staff (handling.dispatch)."""
    if complaint.signed_for_at is not None:
        return ValidationFailed(gettext("The complaint is already signed for."), field="status", code="invalid_state")
    if complaint.lead_department_id is None or not has_permission(
            user, ComplaintPermission.HANDLE_COMPLAINTS, complaint.lead_department):
        return ValidationFailed(gettext("Only the department the complaint is routed to signs for it."),
                                field="status", code="not_lead_department")
    return None


def regulator_feedback_refusal(user, complaint: Complaint) -> ValidationFailed | None:
    """Why `user` may not record the feedback to the regulator (申诉反馈) on `complaint`, or None: only a regulator's
    transfer has a regulator to report back to (decisions.regulator_feedback)."""
    if not complaint.is_regulator_transfer:
        return ValidationFailed(gettext("Only a complaint transferred by a regulator has feedback to the regulator."),
                                field="content", code="not_regulator_transfer")
    return None


@dataclass(frozen=True)
class Step:
    label: str
    permission: str
    from_states: tuple
    # (user, complaint) -> why this user may not take the step on this complaint now, or None
    refusal: Callable | None = None


STEPS = {
    "accept": Step(_("Accept"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.REGISTERED,)),
    "refuse": Step(_("Do not accept"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.REGISTERED,)),
    "route": Step(_("Route by hand"), ComplaintPermission.REVIEW_COMPLAINTS, (Status.ACCEPTED, Status.ROUTED)),
    "reclassify": Step(_("Reclassify"), ComplaintPermission.REVIEW_COMPLAINTS, tuple(AFTER_ACCEPTANCE)),
    "merge": Step(_("Merge as a duplicate"), ComplaintPermission.REVIEW_COMPLAINTS,
                  (Status.REGISTERED, Status.ACCEPTED, Status.ROUTED)),
    "withdraw": Step(_("Record the customer's withdrawal"), ComplaintPermission.WITHDRAW_COMPLAINT, tuple(OPEN_STATUSES)),
    "sign_for": Step(_("Sign for (签收)"), ComplaintPermission.HANDLE_COMPLAINTS, (Status.ROUTED,),
                     refusal=sign_for_refusal),
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
    "approve": Step(_("Approve the decision"), ComplaintPermission.APPROVE_DECISIONS, (Status.DECISION_PROPOSED,),
                    refusal=approval_refusal),
    "return": Step(_("Return the decision for rework"), ComplaintPermission.APPROVE_DECISIONS, (Status.DECISION_PROPOSED,)),
    "communicate": Step(_("Tell the customer the decision"), ComplaintPermission.HANDLE_COMPLAINTS,
                        (Status.DECISION_APPROVED,)),
    "callback": Step(_("Record the callback"), ComplaintPermission.CALLBACK_COMPLAINTS, (Status.COMMUNICATED,),
                     refusal=recusal.complaint_post_refusal),
    "close_unreachable": Step(_("Close: customer unreachable"), ComplaintPermission.CALLBACK_COMPLAINTS,
                              (Status.COMMUNICATED,), refusal=recusal.complaint_post_refusal),
    "screen": Step(_("Screen the customer's dissatisfaction"), ComplaintPermission.SCREEN_DISSATISFACTION,
                   (Status.SCREENING,), refusal=recusal.complaint_post_refusal),
    "reopen": Step(_("Reopen"), ComplaintPermission.REOPEN_COMPLAINTS, (Status.CLOSED,)),
    "escalate": Step(_("Escalate to the next level"), ComplaintPermission.HANDLE_COMPLAINTS, tuple(OPEN_STATUSES)),
    # The bank reports back to the regulator at any stage, also once the complaint has ended: the office's duty.
    "regulator_feedback": Step(_("Record the feedback to the regulator (申诉反馈)"),
                               ComplaintPermission.REVIEW_COMPLAINTS, tuple(Status),
                               refusal=regulator_feedback_refusal),
}
# Intake steps concern the unit complained about; handling steps may also be taken by the lead department.
INTAKE_STEPS = {"accept", "refuse", "route", "merge", "withdraw", "reclassify", "regulator_feedback"}


def in_scope(user, step: str, complaint: Complaint) -> bool:
    permission = STEPS[step].permission
    if has_permission(user, permission, complaint.unit):
        return True
    return (step not in INTAKE_STEPS and complaint.lead_department_id is not None
            and has_permission(user, permission, complaint.lead_department))


def archived_refusal(complaint: Complaint) -> ValidationFailed | None:
    """An archived complaint is read-only: every step on it is refused, with the reason."""
    if complaint.archived_at is None:
        return None
    return ValidationFailed(
        gettext("Complaint %(number)s is archived (%(date)s): its record is kept read-only and cannot be changed, "
                "reopened or reclassified.") % {"number": complaint.tracking_number,
                                                "date": timezone.localtime(complaint.archived_at).strftime("%Y-%m-%d")},
        field="status", code="archived")


def require_step(user, step: str, complaint: Complaint) -> None:
    """403 without the step's right anywhere, 404 when the complaint lies outside the user's reach, 403 for a
    user concerned by the complaint (recusal), 400 on an archived complaint."""
    require(user, STEPS[step].permission)
    if not in_scope(user, step, complaint):
        raise NotFound(str(_("Not found.")))
    recusal.require_not_recused(user, complaint)
    archived = archived_refusal(complaint)
    if archived is not None:
        raise archived


def available_steps(user, complaint: Complaint) -> list[str]:
    if recusal.is_recused(user, complaint) or complaint.archived_at is not None:
        return []
    return [name for name, step in STEPS.items()
            if complaint.status in step.from_states and in_scope(user, name, complaint)
            and (step.refusal is None or step.refusal(user, complaint) is None)]
