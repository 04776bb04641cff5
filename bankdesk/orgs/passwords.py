"""Password rules; the minimum length is a rule setting."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bankdesk.core import rules


class RuleLengthValidator:
    def validate(self, password, user=None):
        minimum = rules.get("security.password_min_length")
        if len(password) < minimum:
            raise ValidationError(_("The password needs at least %(min)d characters.") % {"min": minimum},
                                  code="password_too_short")

    def get_help_text(self):
        return _("At least %(min)d characters.") % {"min": rules.get("security.password_min_length")}


class CharacterClassValidator:
    """Letters, digits and a symbol, as banks' IT policies ask."""

    def validate(self, password, user=None):
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        has_symbol = any(not c.isalnum() for c in password)
        if not (has_letter and has_digit and has_symbol):
            raise ValidationError(_("The password needs letters, digits and at least one symbol."),
                                  code="password_classes")

    def get_help_text(self):
        return _("Letters, digits and at least one symbol.")
