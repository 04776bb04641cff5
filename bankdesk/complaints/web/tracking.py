"""What the customer's tracking page shows once number and phone match: the stage in plain words, the stages
passed with their dates, the date the decision is due, the decision in the customer's words with the letter,
and whether a review (核查) may still be asked for. Nothing internal (codes, staff, notes) is shown."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.decisions import customer_review, letter_pdf
from bankdesk.complaints.models import (
    Clock,
    ClockKind,
    Complaint,
    Decision,
    DecisionStatus,
    Status,
)
from bankdesk.complaints.web.progress import customer_stage


@dataclass
class Stage:
    label: str
    at: datetime | None  # None: not reached yet


@dataclass
class DecisionSummary:
    conclusion: str
    remedies: list[str]
    fee_refund_amount: object = None
    compensation_amount: object = None
    communicated_at: datetime | None = None
    has_letter: bool = False


@dataclass
class Progress:
    tracking_number: str
    received_at: datetime
    stage: str
    explanation: str
    decision_due: date | None
    stages: list[Stage] = field(default_factory=list)
    decision: DecisionSummary | None = None
    on_the_spot_answer: str = ""
    review_until: date | None = None
    review_requested_at: datetime | None = None


def last_day(moment: datetime) -> date:
    """The day a deadline falls on as the customer reads it: a deadline at midnight is the end of the day before."""
    return timezone.localtime(moment - timedelta(microseconds=1)).date()


def decision_due(complaint: Complaint) -> date | None:
    """The last day of the statutory decision clock (from receipt, extensions included); None once answered."""
    if complaint.status not in (Status.REGISTERED, Status.ACCEPTED, Status.ROUTED, Status.INVESTIGATING,
                                Status.DECISION_PROPOSED, Status.DECISION_APPROVED, Status.REOPENED):
        return None
    clock = (Clock.objects.filter(complaint=complaint, kind=ClockKind.DECISION).order_by("-started_at", "-id")
             .only("due_at").first())
    return last_day(clock.due_at) if clock else None


def _stages(complaint: Complaint) -> list[Stage]:
    stages = [Stage(_("Received"), complaint.received_at)]
    if complaint.status == Status.NOT_ACCEPTED:
        notice = complaint.notices.filter(kind="non_acceptance").order_by("-created_at").first()
        return [*stages, Stage(_("Not accepted"), notice.created_at if notice else complaint.updated_at)]
    stages.append(Stage(_("Accepted"), complaint.accepted_at))
    if not complaint.resolved_on_the_spot:  # answered at once: never handed to a department
        stages.append(Stage(_("Being handled"), complaint.routed_at))
    return [*stages, Stage(_("Answered"), complaint.communicated_at), Stage(_("Closed"), complaint.closed_at)]


def _decision(complaint: Complaint) -> DecisionSummary | None:
    decision = (Decision.objects.filter(complaint=complaint, status=DecisionStatus.COMMUNICATED)
                .select_related("closure_code").order_by("-communicated_at", "-id").first())
    if decision is None:
        return None
    return DecisionSummary(
        conclusion=decision.closure_code.customer_text or letter_pdf.NO_CONCLUSION, remedies=decision.remedy_labels(),
        fee_refund_amount=decision.fee_refund_amount, compensation_amount=decision.compensation_amount,
        communicated_at=decision.communicated_at, has_letter=bool(decision.letter))


def progress(complaint: Complaint) -> Progress:
    stage, explanation = customer_stage(complaint)
    ends = customer_review.review_window_ends(complaint)
    requested = customer_review.already_requested(complaint)
    answer = complaint.contacts.order_by("id").values_list("summary", flat=True).first() \
        if complaint.resolved_on_the_spot else ""
    return Progress(
        tracking_number=complaint.tracking_number, received_at=complaint.received_at, stage=stage,
        explanation=explanation, decision_due=decision_due(complaint), stages=_stages(complaint),
        decision=_decision(complaint), on_the_spot_answer=answer or "",
        review_until=last_day(ends) if ends and customer_review.may_request_review(complaint) else None,
        review_requested_at=requested.requested_at if requested else None)


def stored_letter(complaint: Complaint) -> bytes | None:
    """The decision letter as it was sent, for the customer; None when none was sent."""
    decision = (Decision.objects.filter(complaint=complaint, status=DecisionStatus.COMMUNICATED).exclude(letter="")
                .order_by("-communicated_at", "-id").first())
    if decision is None:
        return None
    with default_storage.open(decision.letter, "rb") as stored:
        return stored.read()
