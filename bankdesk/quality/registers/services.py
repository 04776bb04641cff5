"""Writes of the outlet registers: commendations (表扬), fraud interceptions (拦截电信诈骗) and care
services for elderly and special customers. Outlet staff record what happened at their outlet; a
record entered by mistake is voided with a reason by its author or the outlet head, never deleted."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.permissions import has_permission, require_in_scope
from bankdesk.quality import inputs
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.models import (
    AgeGroup,
    CareKind,
    CareOutcome,
    CareService,
    Commendation,
    CommendationChannel,
    CustomerGroup,
    Interception,
    InterceptionOutcome,
    InterceptionSetting,
    ScamType,
    Trigger,
)
from bankdesk.quality.permissions import QualityPermission as P

COMMENDATION_FIELDS = ["channel", "received_on", "unit", "staff", "staff_name", "praised_by", "summary"]
INTERCEPTION_FIELDS = ["occurred_on", "unit", "staff", "setting", "trigger", "scam_type", "description",
                       "amount_protected", "customer_age_group", "police_involved", "outcome"]
CARE_FIELDS = ["kind", "customer_group", "customer_label", "service_on", "unit", "staff", "description", "outcome",
               "outcome_note"]


def _owned(actor, unit, staff) -> dict:
    unit = inputs.unit_in_scope(actor, P.RECORD, unit)
    return {"unit": unit, "unit_path": unit.path, "staff": inputs.staff_of(unit, staff), "recorded_by": actor}


@transaction.atomic
def record_commendation(actor, *, channel: str, received_on: date, unit, summary: str, staff=None,
                        staff_name: str = "", praised_by: str = "") -> Commendation:
    commendation = Commendation(
        **_owned(actor, unit, staff),
        channel=inputs.choice(channel, CommendationChannel, "channel", _("Choose how the praise came in.")),
        received_on=inputs.past_date(received_on, "received_on", _("date it was received")),
        summary=inputs.text(summary, "summary", _("Say what the customer praised.")),
        staff_name=(staff_name or "").strip()[:100], praised_by=(praised_by or "").strip()[:100])
    commendation.save()
    audit.record(QualityAction.COMMENDATION_RECORD, commendation, actor=actor,
                 after=audit.snapshot(commendation, COMMENDATION_FIELDS))
    return commendation


def _scam_type(scam_type) -> ScamType:
    if scam_type is None or not ScamType.objects.filter(pk=scam_type.pk, is_active=True).exists():
        raise ValidationFailed(_("Choose the type of scam."), field="scam_type")
    return scam_type


@transaction.atomic
def record_interception(actor, *, occurred_on: date, unit, setting: str, trigger: str, scam_type,
                        description: str, amount_protected: Decimal, customer_age_group: str, staff=None,
                        police_involved: bool = False,
                        outcome: str = InterceptionOutcome.STOPPED) -> Interception:
    interception = Interception(
        **_owned(actor, unit, staff),
        occurred_on=inputs.past_date(occurred_on, "occurred_on", _("date of the interception")),
        setting=inputs.choice(setting, InterceptionSetting, "setting", _("Choose where the fraud was stopped.")),
        trigger=inputs.choice(trigger, Trigger, "trigger", _("Choose how the fraud was spotted.")),
        scam_type=_scam_type(scam_type),
        description=inputs.text(description, "description", _("Describe what happened and the evidence.")),
        amount_protected=inputs.amount(amount_protected, "amount_protected"),
        customer_age_group=inputs.choice(customer_age_group, AgeGroup, "customer_age_group",
                                         _("Choose the customer's age group.")),
        police_involved=bool(police_involved),
        outcome=inputs.choice(outcome, InterceptionOutcome, "outcome", _("Choose the outcome.")))
    interception.save()
    audit.record(QualityAction.INTERCEPTION_RECORD, interception, actor=actor,
                 after=audit.snapshot(interception, INTERCEPTION_FIELDS))
    return interception


def _care_outcome(outcome: str, service_on: date) -> str:
    outcome = inputs.choice(outcome, CareOutcome, "outcome", _("Choose the outcome."))
    if outcome != CareOutcome.SCHEDULED and service_on > timezone.localdate():
        raise ValidationFailed(_("A service in the future can only be scheduled."), field="outcome")
    return outcome


@transaction.atomic
def record_care_service(actor, *, kind: str, customer_group: str, customer_label: str, service_on: date, unit,
                        description: str, staff=None, outcome: str = CareOutcome.COMPLETED,
                        outcome_note: str = "") -> CareService:
    """A service done (with its outcome) or booked (outcome "scheduled", the date may lie ahead)."""
    if service_on is None:
        raise ValidationFailed(_("Enter the date of the service."), field="service_on")
    care = CareService(
        **_owned(actor, unit, staff),
        kind=inputs.choice(kind, CareKind, "kind", _("Choose the service.")),
        customer_group=inputs.choice(customer_group, CustomerGroup, "customer_group", _("Choose the customer group.")),
        customer_label=inputs.text(customer_label, "customer_label", _("Say how the customer is called."), 50),
        service_on=service_on, description=inputs.text(description, "description", _("Say what the customer needed.")),
        outcome=_care_outcome(outcome, service_on), outcome_note=(outcome_note or "").strip())
    if care.outcome != CareOutcome.SCHEDULED:
        care.outcome_at = timezone.now()
    care.save()
    audit.record(QualityAction.CARE_RECORD, care, actor=actor, after=audit.snapshot(care, CARE_FIELDS))
    return care


@transaction.atomic
def record_care_outcome(actor, care: CareService, *, outcome: str, outcome_note: str = "") -> CareService:
    """The outcome of a booked service; it is given once."""
    care = CareService.objects.select_for_update().select_related("unit").get(pk=care.pk)
    require_in_scope(actor, P.RECORD, care.unit)
    if care.is_void or care.outcome != CareOutcome.SCHEDULED:
        raise Conflict(_("This service already has its outcome."))
    outcome = _care_outcome(outcome, care.service_on)
    if outcome == CareOutcome.SCHEDULED:
        raise ValidationFailed(_("Choose what came of the appointment."), field="outcome")
    before = {"outcome": care.outcome}
    care.outcome, care.outcome_note, care.outcome_at = outcome, (outcome_note or "").strip(), timezone.now()
    care.save(update_fields=["outcome", "outcome_note", "outcome_at"])
    audit.record(QualityAction.CARE_OUTCOME, care, actor=actor, before=before,
                 after={"outcome": outcome, "outcome_note": care.outcome_note})
    return care


def _void(actor, model, record, action: str, reason: str):
    record = model.objects.select_for_update().select_related("unit").get(pk=record.pk)
    require_in_scope(actor, P.RECORD, record.unit)
    if record.recorded_by_id != actor.pk and not has_permission(actor, P.CORRECT, record.unit):
        raise PermissionDenied(_("Only its author or the outlet head may void a record."))
    if record.is_void:
        raise Conflict(_("This record is already voided."))
    record.is_void, record.void_reason = True, inputs.void_reason(reason)
    record.save(update_fields=["is_void", "void_reason"])
    audit.record(action, record, actor=actor, before={"is_void": False},
                 after={"is_void": True, "reason": record.void_reason})
    return record


@transaction.atomic
def void_commendation(actor, commendation: Commendation, reason: str) -> Commendation:
    return _void(actor, Commendation, commendation, QualityAction.COMMENDATION_VOID, reason)


@transaction.atomic
def void_interception(actor, interception: Interception, reason: str) -> Interception:
    return _void(actor, Interception, interception, QualityAction.INTERCEPTION_VOID, reason)


@transaction.atomic
def void_care_service(actor, care: CareService, reason: str) -> CareService:
    return _void(actor, CareService, care, QualityAction.CARE_VOID, reason)
