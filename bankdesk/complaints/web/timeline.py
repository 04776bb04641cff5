"""The complaint page's timeline: each audit event of the complaint worded for staff."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.complaints import selectors
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    ClockKind,
    ExtensionKind,
    ReopenKind,
    Satisfaction,
    ScreeningOutcome,
)
from bankdesk.complaints.web import labels
from bankdesk.core import formats
from bankdesk.core.audit import action_label
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.models import AuditSource
from bankdesk.orgs.models import OrgUnit, User

FIELD_LABELS = {
    "phone": gettext_lazy("phone"), "id_number": gettext_lazy("ID number"),
    "account_number": gettext_lazy("account or card number"),
}


CLASSIFICATION_LABELS = {
    "business_category": gettext_lazy("Business category: %(before)s → %(after)s"),
    "cause": gettext_lazy("Cause: %(before)s → %(after)s"),
    "severity": gettext_lazy("Severity: %(before)s → %(after)s"),
}


def _classification_details(changes: dict, names: dict) -> list[str]:
    """What the acceptance review or a reclassification corrected, by name."""
    return [str(label) % {"before": names.get((key, changes[key][0]), changes[key][0]),
                          "after": names.get((key, changes[key][1]), changes[key][1])}
            for key, label in CLASSIFICATION_LABELS.items() if key in changes]


def _classification_names(events) -> dict:
    """(field, code) → name for the categories and causes the events' corrections name; one query each."""
    codes: dict[str, set] = {"business_category": set(), "cause": set()}
    for event in events:
        for key, pair in ((event.after or {}).get("classification_changes") or {}).items():
            if key in codes:
                codes[key].update(pair)
    names = {("severity", value): str(label) for value, label in labels.SEVERITY_LABELS.items()}
    for key, model in (("business_category", BusinessCategory), ("cause", Cause)):
        if codes[key]:
            names.update({(key, entry.code): str(entry) for entry in model.objects.filter(code__in=codes[key])})
    return names


def _event_details(event, units: dict, users: dict, names: dict) -> list[str]:
    before, after = event.before or {}, event.after or {}
    details = []
    if before.get("status") and after.get("status") and before["status"] != after["status"]:
        details.append(_("Status: %(before)s → %(after)s") % {
            "before": labels.STATUS_LABELS.get(before["status"], before["status"]),
            "after": labels.STATUS_LABELS.get(after["status"], after["status"])})
    if event.action == ComplaintAction.REGISTER:
        severity = labels.SEVERITY_LABELS.get(after.get("severity"), "")
        details.append(_("Severity: %(severity)s") % {"severity": severity})
        if after.get("severity_rules"):
            details.append(_("Severity rules matched: %(rules)s") % {"rules": "; ".join(after["severity_rules"])})
    if event.action == ComplaintAction.ROUTE:
        details.append(_("Lead department: %(unit)s") % {"unit": units.get(after.get("lead_department"), "—")})
        details.append(_("Handler: %(name)s") % {"name": users.get(after.get("handler")) or _("none available")})
        if after.get("assisting"):
            details.append(_("Assisting: %(units)s") % {"units": "、".join(
                str(units.get(code, code)) for code in after["assisting"])})
        if after.get("rule"):
            details.append(_("Routing rule: %(rule)s") % {"rule": after["rule"]})
        if after.get("raised_from"):
            details.append(_("Raised one level from %(unit)s: the complaint is about its head (recusal)")
                           % {"unit": units.get(after["raised_from"], after["raised_from"])})
    if event.action in (ComplaintAction.REFUSE, ComplaintAction.COMMUNICATE, ComplaintAction.CONTACT) and after.get("channel"):
        details.append(_("Customer told by: %(channel)s") % {
            "channel": labels.CHANNEL_LABELS.get(after["channel"], after["channel"])})
    if after.get("classification_changes"):
        details += _classification_details(after["classification_changes"], names)
    if event.action == ComplaintAction.MERGE:
        details.append(_("Into: %(number)s") % {"number": after.get("into", "")})
    if event.action == ComplaintAction.MERGED_IN:
        details.append(_("Merged: %(number)s") % {"number": after.get("merged", "")})
    details += _handling_details(after, units)
    if event.action == CoreAction.PII_REVEAL:
        details.append(_("Field: %(field)s") % {"field": FIELD_LABELS.get(after.get("field"), after.get("field"))})
    if after.get("note"):
        details.append(_("Note: %(note)s") % {"note": after["note"]})
    return details


HANDLING_DETAIL_LABELS = {
    "department": gettext_lazy("Department: %(value)s"),
    "amount": gettext_lazy("Compensation: %(value)s"),
    "fee_refund": gettext_lazy("Fee refund: %(value)s"),
    "satisfaction": gettext_lazy("Satisfaction: %(value)s"),
    "clock": gettext_lazy("Clock: %(value)s"),
    "kind": gettext_lazy("Kind: %(value)s"),
    "outcome": gettext_lazy("Screening: %(value)s"),
}


HANDLING_VALUE_LABELS = {**dict(Satisfaction.choices), **dict(ClockKind.choices), **dict(ReopenKind.choices),
                         **dict(ExtensionKind.choices), **dict(ScreeningOutcome.choices)}


def _handling_value(key: str, value, units: dict) -> str:
    if key == "department":
        return units.get(value, value)
    if key in ("amount", "fee_refund"):
        return formats.money(value)
    return HANDLING_VALUE_LABELS.get(value, value)


def _handling_details(after: dict, units: dict) -> list[str]:
    """Handling events carry a few facts worth a line each: the department asked, the amount, the survey ..."""
    return [str(label) % {"value": _handling_value(key, after[key], units)}
            for key, label in HANDLING_DETAIL_LABELS.items() if after.get(key)]


def timeline_rows(complaint) -> list[dict]:
    events = list(selectors.timeline(complaint))
    routed = [event.after or {} for event in events if event.action == ComplaintAction.ROUTE]
    unit_ids = {after.get("lead_department") for after in routed} - {None}
    user_ids = {after.get("handler") for after in routed} - {None}
    # departments asked to assist and units raised from are stored by code: shown by name, in the same query
    codes = {code for event in events for code in _unit_codes(event.after or {})}
    units = {}
    if unit_ids or codes:
        for pk, code, name in OrgUnit.objects.filter(Q(pk__in=unit_ids) | Q(code__in=codes)).values_list(
                "pk", "code", "name"):
            units.update({pk: name, code: name})
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids).only(*selectors.PERSON_SHOWN)} \
        if user_ids else {}
    names = _classification_names(events)
    return [{"event": event, "label": action_label(event.action), "actor": _actor(event),
             "details": _event_details(event, units, users, names)} for event in events]


def _unit_codes(after: dict) -> list:
    codes = [*after.get("assisting", ()), after.get("raised_from"), after.get("department")]
    return [code for code in codes if isinstance(code, str) and code]


def _actor(event) -> str:
    if event.actor_id is None and event.action == ComplaintAction.REGISTER and event.source == AuditSource.WEB:
        return _("the customer, online")
    return event.actor_label
