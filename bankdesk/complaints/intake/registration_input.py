"""What a registration must contain, checked the same way for every channel.

`RegistrationInput` is what the staff form, the public form, the API, the e-mail importer and the
bulk import all produce; `validate` raises ValidationFailed naming the first field to fix.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bankdesk.complaints import cached_lists
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ChannelKind,
    IdType,
)
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import OFFSET_EXAMPLE
from bankdesk.core.pii import normalize_identifier, normalize_phone
from bankdesk.orgs.models import OrgUnit

PHONE_PATTERN = re.compile(r"1\d{10}|0\d{9,11}|\d{7,8}|400\d{7}|95\d{3,6}")
RESIDENT_ID_PATTERN = re.compile(r"\d{17}[\dX]")
ACCOUNT_PATTERN = re.compile(r"\d{8,30}")
RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RESIDENT_ID_CHECK = "10X98765432"


@dataclass
class Representative:
    name: str
    phone: str = ""


@dataclass
class RegistrationInput:
    complainant_name: str
    phone: str
    channel: Channel
    unit: OrgUnit
    business_category: BusinessCategory
    cause: Cause
    description: str
    received_at: datetime | None = None
    demand: str = ""
    id_type: str = ""
    id_number: str = ""
    account_number: str = ""
    email: str = ""
    staff_concerned_name: str = ""
    staff_concerned_id: int | None = None
    amount_involved: Decimal | None = None
    is_group: bool = False
    group_size: int | None = None
    representatives: list[Representative] = field(default_factory=list)
    external_reference: str = ""
    external_deadline: datetime | None = None
    disputed_act_approver_ids: list[int] = field(default_factory=list)
    incident_at: datetime | None = None
    incident_place: str = ""
    postal_address: str = ""
    resolved_on_the_spot: bool = False
    on_the_spot_answer: str = ""  # what the customer was told or what was done, when resolved on the spot


def resident_id_is_valid(number: str) -> bool:
    if not RESIDENT_ID_PATTERN.fullmatch(number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK[total % 11] == number[17]


def _require_text(value: str, field_name: str, message: str, max_length: int) -> None:
    """`message` is untranslated (gettext_noop): translated only when raised, not for every valid row."""
    if not value or not value.strip():
        raise ValidationFailed(_(message), field=field_name)
    if len(value) > max_length:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": max_length}, field=field_name)


def validate_person(data: RegistrationInput) -> None:
    _require_text(data.complainant_name, "complainant_name", gettext_noop("Enter the complainant's name."), 100)
    if not PHONE_PATTERN.fullmatch(normalize_phone(data.phone or "")):
        raise ValidationFailed(_("Enter a mobile number (11 digits) or a landline with area code."), field="phone")
    if data.id_number:
        if not data.id_type:
            raise ValidationFailed(_("Choose the ID type."), field="id_type")
        number = normalize_identifier(data.id_number)
        if data.id_type == IdType.RESIDENT_ID and not resident_id_is_valid(number):
            raise ValidationFailed(_("The resident ID number is not valid: 18 characters, check digit last."),
                                   field="id_number")
    if data.id_type and data.id_type not in IdType.values:
        raise ValidationFailed(_("Choose the ID type."), field="id_type")
    if data.account_number and not ACCOUNT_PATTERN.fullmatch(normalize_identifier(data.account_number)):
        raise ValidationFailed(_("An account or card number has 8 to 30 digits."), field="account_number")
    if len(data.postal_address) > 300:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": 300}, field="postal_address")


def validate_classification(data: RegistrationInput) -> None:
    for name, value in (("channel", data.channel), ("business_category", data.business_category),
                        ("cause", data.cause)):
        if value is None or not value.is_active:
            raise ValidationFailed(_("Choose an entry from the list."), field=name)
    if cached_lists.has_active_sub_categories(data.business_category):
        raise ValidationFailed(_("Choose a sub-category."), field="business_category")
    if data.unit is None or not data.unit.is_active:
        raise ValidationFailed(_("Choose the outlet or department concerned."), field="unit")


def _validate_content(data: RegistrationInput) -> None:
    _require_text(data.description, "description", gettext_noop("Write down the customer's own words."), 10000)
    if len(data.demand) > 5000:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": 5000}, field="demand")
    if data.received_at:
        _validate_received_at(data.received_at)
    if data.amount_involved is not None and data.amount_involved < 0:
        raise ValidationFailed(_("The amount cannot be negative."), field="amount_involved")
    _validate_incident(data)


def _validate_incident(data: RegistrationInput) -> None:
    """When and where it happened: before the complaint was received, the place at most 200 characters."""
    if len(data.incident_place) > 200:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": 200}, field="incident_place")
    if data.incident_at is None:
        return
    if timezone.is_naive(data.incident_at):
        raise ValidationFailed(_("Give the time with its UTC offset, e.g. %(example)s.") % {"example": OFFSET_EXAMPLE},
                               field="incident_at")
    received_at = data.received_at or timezone.now()
    tolerance = timedelta(minutes=rules.get("complaint.received_future_tolerance_minutes"))
    if data.incident_at > received_at + tolerance:
        raise ValidationFailed(_("The incident cannot have happened after the complaint was received."),
                               field="incident_at")


def _validate_received_at(received_at: datetime) -> None:
    """Aware, not in the future beyond the clocks' skew, and not further back than a plausible late entry."""
    if timezone.is_naive(received_at):
        raise ValidationFailed(_("Give the time with its UTC offset, e.g. %(example)s.") % {"example": OFFSET_EXAMPLE},
                               field="received_at")
    now = timezone.now()
    if received_at > now + timedelta(minutes=rules.get("complaint.received_future_tolerance_minutes")):
        raise ValidationFailed(_("The time received cannot be in the future."), field="received_at")
    days_back = rules.get("complaint.received_max_days_back")
    if received_at < now - timedelta(days=days_back):
        raise ValidationFailed(_("The time received lies more than %(days)d days back; check the date.")
                               % {"days": days_back}, field="received_at")


def _validate_group(data: RegistrationInput) -> None:
    if not data.is_group:
        return
    if data.group_size is not None and data.group_size < 2:
        raise ValidationFailed(_("A group complaint has at least 2 people."), field="group_size")
    largest = rules.get("complaint.group_max_size")
    if data.group_size is not None and data.group_size > largest:
        raise ValidationFailed(_("A group complaint has at most %(max)d people; check the number.")
                               % {"max": largest}, field="group_size")
    limit = rules.get("complaint.group_max_representatives")
    if len(data.representatives) > limit:
        raise ValidationFailed(_("A group sends at most %(max)d representatives.") % {"max": limit},
                               field="representatives")
    for representative in data.representatives:
        if not representative.name.strip():
            raise ValidationFailed(_("Enter each representative's name."), field="representatives")


def _validate_transfer(data: RegistrationInput) -> None:
    if data.channel.kind != ChannelKind.REGULATOR:
        return
    if not data.external_reference.strip():
        raise ValidationFailed(_("Enter the regulator's reference number."), field="external_reference")
    if data.external_deadline is None:
        raise ValidationFailed(_("Enter the regulator's deadline."), field="external_deadline")
    if data.received_at and data.external_deadline <= data.received_at:
        raise ValidationFailed(_("The regulator's deadline must come after the time received."),
                               field="external_deadline")


def validate_details(data: RegistrationInput) -> None:
    """What the complaint says: its content, its group and its transfer from a regulator."""
    _validate_content(data)
    _validate_group(data)
    _validate_transfer(data)


def validate(data: RegistrationInput) -> None:
    validate_person(data)
    validate_classification(data)
    validate_details(data)


def _unit(code: str) -> OrgUnit:
    unit = cached_lists.active_unit(code)
    if unit is None:
        raise ValidationFailed(_("Unknown unit code."), field="unit")
    return unit


def build_registration(values: dict) -> RegistrationInput:
    """A RegistrationInput from codes (API, imports): `channel`, `business_category`, `cause` and `unit`
    are codes; unknown codes are field errors. The lists and units are read from the process's copy
    (cached_lists)."""
    values = dict(values)
    messages = {"channel": _("Unknown channel code."), "business_category": _("Unknown business category code."),
                "cause": _("Unknown cause code.")}
    for name, message in messages.items():
        values[name] = cached_lists.active_entry(name, values.get(name) or "")
        if values[name] is None:
            raise ValidationFailed(message, field=name)
    values["unit"] = _unit(values.get("unit") or "")
    values["representatives"] = [Representative(**r) if isinstance(r, dict) else r
                                 for r in values.get("representatives") or []]
    known = set(RegistrationInput.__dataclass_fields__)
    return RegistrationInput(**{key: value for key, value in values.items() if key in known and value is not None})
