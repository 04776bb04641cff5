"""Writes of the monthly outlet figures the ratings read: customers served (orgs.CustomerCount, also
the denominator of analytics' complaint rates) and the counter's customer-evaluator results.
Entering a month again corrects it (the change is on the audit trail)."""

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.orgs.models import CustomerCount
from bankdesk.quality import inputs
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.models import EvaluatorTally
from bankdesk.quality.permissions import QualityPermission as P

MAX_COUNT = 100_000_000


def _count(value, field: str) -> int:
    if value is None or isinstance(value, bool) or int(value) != value or not 0 <= value <= MAX_COUNT:
        raise ValidationFailed(_("Enter a whole number from 0 to %(max)d.") % {"max": MAX_COUNT}, field=field)
    return int(value)


def _save(actor, model, action: str, *, unit, month, values: dict):
    unit = inputs.unit_in_scope(actor, P.MANAGE_FIGURES, unit)
    month = inputs.month_start(month)
    row = model.objects.select_for_update().filter(unit=unit, month=month).first()
    before = None if row is None else audit.snapshot(row, list(values))
    row = row or model(unit=unit, unit_path=unit.path, month=month)
    for field, value in values.items():
        setattr(row, field, value)
    row.updated_by = actor
    row.save()
    audit.record(action, row, actor=actor, before=before, after={"unit": unit.pk, "month": month, **values})
    return row


@transaction.atomic
def set_customer_count(actor, *, unit, month, customers: int) -> CustomerCount:
    return _save(actor, CustomerCount, QualityAction.CUSTOMER_COUNT_SET, unit=unit, month=month,
                 values={"customers": _count(customers, "customers")})


@transaction.atomic
def set_evaluator_tally(actor, *, unit, month, responses: int, satisfied: int) -> EvaluatorTally:
    responses, satisfied = _count(responses, "responses"), _count(satisfied, "satisfied")
    if satisfied > responses:
        raise ValidationFailed(_("There cannot be more satisfied evaluations than evaluations."), field="satisfied")
    return _save(actor, EvaluatorTally, QualityAction.EVALUATOR_TALLY_SET, unit=unit, month=month,
                 values={"responses": responses, "satisfied": satisfied})
