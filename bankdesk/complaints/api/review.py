"""The acceptance review over the API: accept, refuse, merge, withdraw, route; one thin endpoint per step."""

from django.utils.translation import gettext as _
from ninja import Field, Router

from bankdesk.complaints import selectors
from bankdesk.complaints.api.schemas import ComplaintDetailOut, VersionIn, complaint_in_scope
from bankdesk.complaints.models import BusinessCategory, Cause, NonAcceptanceReason
from bankdesk.complaints.review import acceptance, classification, routing
from bankdesk.complaints.review.classification import Classification
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import Id
from bankdesk.orgs.models import OrgUnit, User

router = Router(tags=["complaints"])


class AcceptIn(VersionIn):
    business_category: str | None = Field(None, description="Code of the corrected business category; empty: keep")
    cause: str | None = Field(None, description="Code of the corrected cause; empty: keep")
    severity: int | None = Field(None, description="1 minor, 2 important, 3 major; empty: keep")
    confirm_other_cause: bool = Field(False, description="Accept with the cause “other”: none of the listed fits")


class ReclassifyIn(AcceptIn):
    reason: str = Field(..., description="Why the classification changes")


def _classification(payload: AcceptIn) -> Classification:
    """The entries named by code (400 with the field for an unknown code)."""
    found = {}
    for name, model in (("business_category", BusinessCategory), ("cause", Cause)):
        code = getattr(payload, name)
        if code:
            found[name] = model.objects.filter(code=code).first()
            if found[name] is None:
                raise ValidationFailed(_("Unknown code."), field=name)
    return Classification(found.get("business_category"), found.get("cause"), payload.severity)


class RefuseIn(VersionIn):
    reason: str = Field(..., description="Code of the reason for not accepting")
    notice_channel: str = Field(..., description="phone, sms, email or letter")
    notice_text: str = Field("", description="Left empty: the standard wording with the reason")


class MergeIn(VersionIn):
    into: str = Field(..., description="Tracking number of the earlier complaint")
    note: str = ""


class WithdrawIn(VersionIn):
    note: str


class RouteIn(VersionIn):
    lead_department: str = Field(..., description="Unit code")
    assisting_departments: list[str] = []
    handler: str | None = Field(None, description="User name; empty: the least-loaded eligible handler")


@router.post("/complaints/{complaint_id}/accept", response=ComplaintDetailOut)
def accept(request, complaint_id: Id, payload: AcceptIn):
    """受理, classifying the complaint: the entries sent correct the registered ones."""
    complaint = complaint_in_scope(request, complaint_id)
    return acceptance.accept_complaint(request.user, complaint, payload.version, classification=_classification(payload),
                                       confirm_other_cause=payload.confirm_other_cause)


@router.post("/complaints/{complaint_id}/reclassify", response=ComplaintDetailOut)
def reclassify(request, complaint_id: Id, payload: ReclassifyIn):
    """A later correction of category, cause or severity, with the reason (audited)."""
    complaint = complaint_in_scope(request, complaint_id)
    return classification.reclassify_complaint(
        request.user, complaint, _classification(payload), reason=payload.reason,
        confirm_other_cause=payload.confirm_other_cause, expected_version=payload.version)


@router.post("/complaints/{complaint_id}/refuse", response=ComplaintDetailOut)
def refuse(request, complaint_id: Id, payload: RefuseIn):
    complaint = complaint_in_scope(request, complaint_id)
    reason = NonAcceptanceReason.objects.filter(code=payload.reason, is_active=True).first()
    text = payload.notice_text or (acceptance.non_acceptance_notice(complaint, reason) if reason else "")
    return acceptance.refuse_complaint(request.user, complaint, reason=reason, notice_channel=payload.notice_channel,
                                       notice_text=text, expected_version=payload.version)


@router.post("/complaints/{complaint_id}/merge", response=ComplaintDetailOut)
def merge(request, complaint_id: Id, payload: MergeIn):
    complaint = complaint_in_scope(request, complaint_id)
    into = selectors.visible_complaints(request.user).filter(tracking_number=payload.into.strip().upper()).first()
    if into is None:
        raise ValidationFailed(_("No complaint with this tracking number in your scope."), field="into")
    return acceptance.merge_complaint(request.user, complaint, into, payload.note, payload.version)


@router.post("/complaints/{complaint_id}/withdraw", response=ComplaintDetailOut)
def withdraw(request, complaint_id: Id, payload: WithdrawIn):
    return acceptance.withdraw_complaint(request.user, complaint_in_scope(request, complaint_id), payload.note,
                                         payload.version)


@router.post("/complaints/{complaint_id}/route", response=ComplaintDetailOut)
def route(request, complaint_id: Id, payload: RouteIn):
    complaint = complaint_in_scope(request, complaint_id)
    lead = OrgUnit.objects.filter(code=payload.lead_department).first()
    if lead is None:
        raise ValidationFailed(_("Unknown unit code."), field="lead_department")
    assisting = list(OrgUnit.objects.filter(code__in=payload.assisting_departments))
    handler = None
    if payload.handler:
        handler = User.objects.filter(username=payload.handler).first()
        if handler is None:
            raise ValidationFailed(_("Unknown user name."), field="handler")
    return routing.route_complaint(request.user, complaint, lead_department=lead, assisting=assisting,
                                   handler=handler, expected_version=payload.version)
