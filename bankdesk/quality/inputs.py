"""Checks every quality service makes of what it is given: the unit, the staff member, dates, amounts,
months. Each failure is a ValidationFailed naming the field, with a message saying what to fix."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.permissions import require_in_scope
from bankdesk.orgs.models import OrgUnit

MAX_AMOUNT = Decimal("999999999999.99")
HUNDRED = Decimal(100)


def unit_in_scope(actor, permission: str, unit: OrgUnit | None, field: str = "unit") -> OrgUnit:
    """The unit named, which the actor must hold `permission` over (403/404 otherwise)."""
    if unit is None:
        raise ValidationFailed(_("Choose the outlet."), field=field)
    if not unit.is_active:
        raise ValidationFailed(_("This unit is closed."), field=field)
    require_in_scope(actor, permission, unit)
    return unit


def staff_of(unit: OrgUnit, staff, field: str = "staff"):
    """A staff member named on a record works at the unit (or a unit under it)."""
    if staff is None:
        return None
    if not staff.is_active or staff.home_unit is None or not staff.home_unit.path.startswith(unit.path):
        raise ValidationFailed(_("Choose a staff member of this outlet."), field=field)
    return staff


def past_date(value: date | None, field: str, label: str) -> date:
    if value is None:
        raise ValidationFailed(_("Enter the %(what)s.") % {"what": label}, field=field)
    if value > timezone.localdate():
        raise ValidationFailed(_("The %(what)s cannot be in the future.") % {"what": label}, field=field)
    return value


def amount(value, field: str) -> Decimal:
    if value is None:
        raise ValidationFailed(_("Enter the amount."), field=field)
    value = Decimal(value)
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != round(value, 2):
        raise ValidationFailed(_("Enter an amount in yuan from 0, with at most two decimals."), field=field)
    return value


def score(value, field: str) -> Decimal:
    """A score out of 100 with at most two decimals."""
    if value is None:
        raise ValidationFailed(_("Enter a score from 0 to 100."), field=field)
    value = Decimal(value)
    if not value.is_finite() or not 0 <= value <= HUNDRED or value != round(value, 2):
        raise ValidationFailed(_("Enter a score from 0 to 100, with at most two decimals."), field=field)
    return value


def text(value: str, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    if max_length is not None and len(value) > max_length:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": max_length}, field=field)
    return value


def choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(message, field=field)
    return value


def month_start(value: date | None, field: str = "month") -> date:
    """The first day of the month of `value`, which may not lie after this month."""
    if value is None:
        raise ValidationFailed(_("Enter the month."), field=field)
    first = value.replace(day=1)
    if first > timezone.localdate().replace(day=1):
        raise ValidationFailed(_("The month cannot be in the future."), field=field)
    return first


def void_reason(reason: str) -> str:
    return text(reason, "reason", _("Give the reason for voiding the record."), 300)
