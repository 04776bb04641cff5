"""What every input must be before a view or service may use it, one declaration for the API and the pages.

Four kinds of values broke requests with a 500 before they reached a rule: a date-time without a time
zone (compared with aware ones), integers beyond 64 bits (the database cannot hold them), dates at the
ends of the calendar (date arithmetic overflows) and text with a lone surrogate or a NUL (it cannot be
encoded, stored or encrypted). `input_problem` names what is wrong with such a value; the API's input
schemas (`InputSchema`, and the annotated types for single parameters) and the web forms (`InputForm`,
`InputModelForm`) both ask it, so a bad value is a field error saying what to fix wherever it comes in.

API date-times must carry their UTC offset ("2025-09-26T10:00:00+08:00"): a time without one is
ambiguous between the client's and the server's zone, so it is refused rather than guessed. The web
forms read a time without offset as local time (USE_TZ, Asia/Shanghai), as staff type it.
"""

import unicodedata
from datetime import date, datetime
from typing import Annotated, get_args

from django import forms
from django.core.exceptions import ValidationError
from django.urls.converters import IntConverter
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1  # the largest value of a 64-bit database column
MIN_INTEGER = -(2**63)
MAX_PAGE = 10**9  # (MAX_PAGE - 1) * the largest page size stays far inside 64 bits
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
OFFSET_EXAMPLE = "2025-09-26T10:00:00+08:00"


def text_problem(value: str) -> str | None:
    """Why the text cannot be stored, or None: a lone surrogate cannot be encoded, PostgreSQL refuses NUL."""
    for position, character in enumerate(value):
        if "\ud800" <= character <= "\udfff" or character == "\x00":
            return _("Remove the character that cannot be stored (position %(position)d): an unpaired surrogate "
                     "or a NUL.") % {"position": position + 1}
    return None


def control_character_problem(value: str) -> str | None:
    """Why a name or code cannot hold the text, or None: control and invisible format characters (and what
    `text_problem` refuses) have no place in a name people read and type."""
    for position, character in enumerate(value):
        if unicodedata.category(character) in ("Cc", "Cf", "Cs"):
            return _("Remove the control or invisible character at position %(position)d.") % {
                "position": position + 1}
    return None


def date_problem(value: date) -> str | None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return _("Enter a date between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
    return None


def integer_problem(value: int, minimum: int = MIN_INTEGER, maximum: int = MAX_ID) -> str | None:
    if not minimum <= value <= maximum:
        return _("Enter a whole number from %(minimum)d to %(maximum)d.") % {"minimum": minimum, "maximum": maximum}
    return None


def input_problem(value, *, require_offset: bool = False) -> str | None:
    """What is wrong with a parsed input value (nested lists and dicts included), or None."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, datetime):
        if require_offset and value.utcoffset() is None:
            return _("Give the time with its UTC offset, e.g. %(example)s.") % {"example": OFFSET_EXAMPLE}
        return date_problem(value)
    if isinstance(value, date):
        return date_problem(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return integer_problem(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return next(filter(None, (input_problem(item, require_offset=require_offset) for item in value)), None)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
        return next(filter(None, (input_problem(item, require_offset=require_offset) for item in items)), None)
    return None


# --- API (pydantic) ------------------------------------------------------------------------------------------------


def _refuse(problem: str | None, value):
    if problem:
        raise PydanticCustomError("invalid_input", problem)
    return value


def _api_value(value):
    return _refuse(input_problem(value, require_offset=True), value)


def _id(value: int) -> int:
    return _refuse(integer_problem(value, 1, MAX_ID), value)


def _page(value: int) -> int:
    return _refuse(integer_problem(value, 1, MAX_PAGE), value)


def _calendar_text(value):
    """Dates and times come as ISO 8601 text: pydantic alone would also read 0 or "0" as 1970-01-01."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        raise PydanticCustomError("invalid_input", _("Enter the date as YYYY-MM-DD (a time as %(example)s).")
                                  % {"example": OFFSET_EXAMPLE})
    return value


def _is_calendar_field(annotation) -> bool:
    return any(kind in (date, datetime) for kind in (annotation, *get_args(annotation)))


class InputSchema(Schema):
    """Base of every API input schema: an object (a JSON list or number is refused, not read as an object with
    every field left at its default, as ninja's Schema reads attributes), each field's value passing
    `input_problem` (time zones required)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        given = value._obj if isinstance(value, DjangoGetter) else value
        if isinstance(given, Schema) or hasattr(given, "keys"):
            return value
        raise PydanticCustomError("invalid_input", _("Send an object with named fields."))

    @field_validator("*", mode="before")
    @classmethod
    def _iso_dates(cls, value, info):
        if _is_calendar_field(cls.model_fields[info.field_name].annotation):
            return _calendar_text(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value):
        return _api_value(value)


# Single parameters of an endpoint (path, query) take these types; fields of an InputSchema may too.
Id = Annotated[int, AfterValidator(_id), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID})]
PageNumber = Annotated[int, AfterValidator(_page),
                       WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE})]
Text = Annotated[str, AfterValidator(_api_value)]
Date = Annotated[date, BeforeValidator(_calendar_text), AfterValidator(_api_value)]


# --- Web forms -----------------------------------------------------------------------------------------------------


def validate_input(value) -> None:
    """Django validator of every form field (empty values are not validated by Django)."""
    problem = input_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_input")


class InputFormMixin:
    """Adds `validate_input` to every field, those a subclass adds in __init__ too, before the form cleans."""

    def full_clean(self):
        for field in self.fields.values():
            if validate_input not in field.validators:
                field.validators.append(validate_input)
        super().full_clean()


class InputForm(InputFormMixin, forms.Form):
    pass


class InputModelForm(InputFormMixin, forms.ModelForm):
    pass


class IdConverter(IntConverter):
    """<id:name> in URLs: the int converter without the numbers no row can have (0, beyond 64 bits): a 404."""

    def to_python(self, value):
        number = int(value)
        if integer_problem(number, 1, MAX_ID):
            raise ValueError(value)
        return number
