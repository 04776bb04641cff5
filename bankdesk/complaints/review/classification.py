"""Classification (分类): the business category, cause and severity the regulatory statistics count a complaint
under. The acceptance review sets or corrects them; a later reclassification needs a reason and is audited.

A complaint is not accepted while its cause is "other" unless the reviewer confirms that none of the listed
causes fits: "other" is where a careless registration lands, and it says nothing in the statistics.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.complaints import saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, reports
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    ClockKind,
    Complaint,
    Severity,
)
from bankdesk.core.errors import ValidationFailed

OTHER_CAUSE = "other"


@dataclass(frozen=True)
class Classification:
    """What the reviewer chose; an empty entry keeps what the complaint has."""

    business_category: BusinessCategory | None = None
    cause: Cause | None = None
    severity: int | None = None


def check(classification: Classification) -> None:
    """The entries are active, the category is a leaf, the severity one of the three."""
    category, cause = classification.business_category, classification.cause
    if category is not None and (not category.is_active or category.children.filter(is_active=True).exists()):
        raise ValidationFailed(_("Choose an active sub-category."), field="business_category")
    if cause is not None and not cause.is_active:
        raise ValidationFailed(_("Choose an active cause."), field="cause")
    if classification.severity is not None and classification.severity not in Severity.values:
        raise ValidationFailed(_("Choose the severity."), field="severity")


def require_cause_confirmed(complaint: Complaint, confirmed: bool) -> None:
    if complaint.cause.code == OTHER_CAUSE and not confirmed:
        raise ValidationFailed(_("The cause is “other”: choose the cause that fits, or confirm that none of the "
                                 "listed causes does."), field="cause", code="cause_other")


def apply(complaint: Complaint, classification: Classification) -> dict:
    """Set the chosen entries on the (locked) complaint; answers what changed, as codes, for the audit trail."""
    changes = {}
    for name in ("business_category", "cause"):
        chosen = getattr(classification, name)
        current = getattr(complaint, name)
        if chosen is not None and chosen.pk != current.pk:
            changes[name] = [current.code, chosen.code]
            setattr(complaint, name, chosen)
    if classification.severity is not None and classification.severity != complaint.severity:
        changes["severity"] = [complaint.severity, classification.severity]
        complaint.severity = classification.severity
    return changes


def classification_record(complaint: Complaint, changes: dict) -> dict:
    """The classification as the audit event keeps it: the codes it ends with, and what was corrected."""
    return {"business_category": complaint.business_category.code, "cause": complaint.cause.code,
            "classification_changes": changes}


def severity_raised(changes: dict) -> bool:
    before, after = changes.get("severity", (0, 0))
    return after > before


def follow_severity(complaint: Complaint, changes: dict) -> None:
    """A handled complaint follows a new severity: the resolution target is recomputed, a complaint now major
    gets its clear-reply clock and a raised one is reported."""
    if "severity" not in changes:
        return
    if complaint.accepted_at is not None and not complaint.is_closed:
        clocks.extend(complaint, [ClockKind.RESOLUTION])
        if complaint.severity == Severity.MAJOR and not complaint.clocks.filter(kind=ClockKind.MAJOR_REPLY).exists():
            clocks.start(complaint, ClockKind.MAJOR_REPLY)
        clocks.refresh_complaint(complaint)
    if severity_raised(changes):
        reports.report_by_severity(complaint)


@transaction.atomic
def reclassify_complaint(actor, complaint: Complaint, classification: Classification, *, reason: str,
                         confirm_other_cause: bool = False, expected_version: int | None = None) -> Complaint:
    """重新分类: a later correction of category, cause or severity, with the reason on the audit trail."""
    state_machine.require_step(actor, "reclassify", complaint)
    if not (reason or "").strip():
        raise ValidationFailed(_("Write why the complaint is reclassified."), field="reason")
    check(classification)
    complaint = saving.lock(actor, complaint, "reclassify", expected_version)
    before = saving.snapshot(complaint)
    changes = apply(complaint, classification)
    if not changes:
        raise ValidationFailed(_("Nothing changes: choose another category, cause or severity."),
                               field="business_category", code="unchanged")
    if "cause" in changes:
        require_cause_confirmed(complaint, confirm_other_cause)
    complaint = saving.save_change(actor, complaint, ComplaintAction.RECLASSIFY, before,
                                   {**classification_record(complaint, changes), "note": reason.strip()})
    follow_severity(complaint, changes)
    saving.index_for_search(complaint)
    return complaint
