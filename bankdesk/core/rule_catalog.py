"""The registry of rules with a number: each app declares its RuleDefinitions (default from
docs/domain-rules.md, unit, where the default comes from) in `<app>/rule_settings.py` and registers them from
AppConfig.ready(); core declares the security rules it reads itself.

An administrator changes the value in the rule-settings admin page; code reads it with
`bankdesk.core.rules.get(key)`. A key no app registered is a programming error, and so is a key
registered that no code reads (an administrator would edit a number that changes nothing;
tests/test_rules.py checks it). A capability registers its settings with the code that reads them.

The admin pages list and edit only registered keys: a stored RuleSetting whose key was removed keeps
its value and history (nothing is deleted) but is neither shown nor editable, and nothing reads it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bankdesk.core.registry import Registry, owner_of


@dataclass(frozen=True)
class RuleDefinition:
    key: str
    default: int | Decimal | bool
    unit: str
    label: str
    basis: str = ""
    minimum: int | Decimal = 0
    maximum: int | Decimal | None = None
    # Why the maximum may not be exceeded, when a law sets it (a statutory limit a bank may only shorten)
    maximum_reason: str = ""

    def display(self, value) -> str:
        """The value with its unit, as staff read it: "90%", "15 个自然日"."""
        unit = str(self.unit)
        return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


WORKING_DAYS = _("working days")
CALENDAR_DAYS = _("calendar days")
PERCENT = _("%")
YUAN = _("yuan")
TIMES = _("times")
PEOPLE = _("people")
CHARACTERS = _("characters")
FILES = _("files")
COMPLAINTS = _("complaints")
IT_POLICY = _("bank IT policy")

RULES = Registry("rule setting")  # key -> RuleDefinition, in the order apps registered them


def register(definitions: list[RuleDefinition], owner: str) -> None:
    """An app registers its rule definitions from AppConfig.ready() (`owner`: the app's package)."""
    for rule in definitions:
        RULES.add(rule.key, rule, owner_of(owner))


def all_rules() -> list[RuleDefinition]:
    return RULES.values()


def definition(key: str) -> RuleDefinition | None:
    return RULES.get(key)


SECURITY_RULES = [
    RuleDefinition("security.login_failure_limit", 5, TIMES,
                   _("Failed logins before the account is locked"), IT_POLICY, 3, 20),
    RuleDefinition("security.lockout_minutes", 30, _("minutes"),
                   _("How long a locked account stays locked"), IT_POLICY, 1, 1440),
    RuleDefinition("security.session_idle_minutes", 30, _("minutes"),
                   _("Sign out after this long without activity"), IT_POLICY, 5, 480),
    RuleDefinition("security.api_token_lifetime_days", 90, CALENDAR_DAYS,
                   _("An API token stops working this long after it was created"), IT_POLICY, 1, 730),
    RuleDefinition("security.password_min_length", 10, CHARACTERS,
                   _("Minimum password length"), IT_POLICY, 8, 64),
]

# Exports (core/export_jobs.py)
EXPORT_RULES = [
    RuleDefinition("core.export_retention_days", 7, CALENDAR_DAYS,
                   _("An exported file is kept this long after it was written, then deleted"), IT_POLICY, 1, 90),
    RuleDefinition("core.export_pdf_row_limit", 2000, _("rows"),
                   _("Most rows an export as PDF may hold (larger lists: CSV or XLSX)"), IT_POLICY, 1, 20000),
    RuleDefinition("core.export_direct_row_limit", 5000, _("rows"),
                   _("A list with more rows than this is exported in the background instead of at once"), IT_POLICY,
                   0, 1000000),
    RuleDefinition("core.export_active_limit", 3, _("exports"),
                   _("Exports one user may have queued or being written at a time"), IT_POLICY, 1, 20),
]
