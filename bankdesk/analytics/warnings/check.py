"""The daily check (periodic job analytics.early_warning_check, also a task to run for any day): store what
detection.py finds as warnings, once per kind, unit, subject and day, with the complaints behind each copied
by the database (INSERT … SELECT), an audit event each, and a message with the link in the inbox of the
nearest consumer-protection office over the unit."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.analytics.warnings import detection
from bankdesk.analytics.warnings.audit_actions import WarningAction
from bankdesk.analytics.warnings.models import (
    EarlyWarning,
    EarlyWarningComplaint,
    WarningKind,
)
from bankdesk.complaints.models import BusinessCategory, Cause, Clock, Complaint
from bankdesk.core import audit, rules
from bankdesk.core.bulk import insert_select
from bankdesk.core.messaging import Message, notify_many
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment


def default_day() -> date:
    """Yesterday, China time: the last whole day."""
    return timezone.localdate() - timedelta(days=1)


def _quiet_days() -> dict[str, int]:
    """How many days a finding stays covered by the warning raised for it: a rise the day itself, a cluster its
    window, an overdue share the recent window (it stays high for days after a bad week)."""
    return {WarningKind.RISE: 1, WarningKind.CUSTOMER_CLUSTER: rules.get("warning.customer_cluster.window_days"),
            WarningKind.CAUSE_CLUSTER: rules.get("warning.cause_cluster.window_days"),
            WarningKind.OVERDUE_SHARE: rules.get("warning.overdue.recent_days")}


def _new(found: list[detection.Finding], day: date) -> list[detection.Finding]:
    """Drop what a warning raised on the day or within its quiet days before covers already."""
    quiet = _quiet_days()
    raised = {(kind, unit_id, subject): last for kind, unit_id, subject, last in EarlyWarning.objects.filter(
        day__gt=day - timedelta(days=max(quiet.values())), day__lte=day).values_list("kind", "unit_id", "subject")
        .annotate(last=Max("day")).order_by()}
    return [finding for finding in found
            if (last := raised.get((finding.kind, finding.unit_id, finding.subject))) is None
            or last <= day - timedelta(days=quiet[finding.kind])]


def _link_complaints(warning: EarlyWarning, finding: detection.Finding) -> None:
    constant = Value(warning.pk, output_field=IntegerField())
    if finding.from_clocks:
        rows = Clock.objects.filter(finding.complaint_filter).values_list(constant, "complaint_id").distinct()
    else:
        rows = Complaint.objects.filter(finding.complaint_filter).values_list(constant, "pk")
    insert_select(EarlyWarningComplaint, ["warning", "complaint"], rows)


def offices(units) -> dict[int, list[int]]:
    """{unit id: the consumer-protection officers at the nearest level over it that has any}, one query."""
    holders: dict[str, list[int]] = {}
    for path, user_id in (RoleAssignment.objects.filter(is_active=True, role=Role.CONSUMER_PROTECTION)
                          .values_list("unit__path", "user_id").order_by("unit__path", "user_id")):
        holders.setdefault(path, []).append(user_id)
    return {unit.pk: next((holders[path] for path in reversed(unit.ancestor_paths()) if path in holders), [])
            for unit in units}


def subject_label(warning: EarlyWarning) -> str:
    if warning.business_category_id:
        return warning.business_category.name
    if warning.cause_id:
        return warning.cause.name
    if warning.kind == WarningKind.CUSTOMER_CLUSTER:
        return str(_("one customer"))
    return ""


def number(value) -> str:
    """A figure as staff read it: 7, 12.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _message(warning: EarlyWarning, recipients: list[int]) -> Message:
    percent = "%" if warning.kind == WarningKind.OVERDUE_SHARE else ""
    text = _("Early warning, %(unit)s: %(kind)s %(subject)s, %(figure)s against a threshold of %(threshold)s "
             "(%(day)s)") % {"unit": warning.unit.name, "kind": warning.get_kind_display(),
                             "subject": subject_label(warning), "figure": number(warning.figure) + percent,
                             "threshold": number(warning.threshold) + percent, "day": warning.day.isoformat()}
    return Message(tuple(recipients), "analytics.warning", text,
                   reverse("analytics:warning", kwargs={"warning_id": warning.pk}), warning)


def run(day: date | None = None) -> list[EarlyWarning]:
    """Check `day` (default yesterday) and store, link, audit and deliver the new warnings."""
    day = day or default_day()
    found = _new(detection.findings(day), day)
    if not found:
        return []
    units = OrgUnit.objects.in_bulk({finding.unit_id for finding in found})
    categories = BusinessCategory.objects.in_bulk({f.business_category_id for f in found} - {None})
    causes = Cause.objects.in_bulk({f.cause_id for f in found} - {None})
    try:
        with transaction.atomic():
            warnings = []
            for finding in found:
                unit = units[finding.unit_id]
                warning = EarlyWarning.objects.create(
                    kind=finding.kind, unit=unit, unit_path=unit.path, subject=finding.subject,
                    business_category=categories.get(finding.business_category_id),
                    cause=causes.get(finding.cause_id), day=finding.day, period_start=finding.period_start,
                    period_end=finding.period_end, figure=finding.figure, baseline=finding.baseline,
                    threshold=finding.threshold)
                _link_complaints(warning, finding)
                warnings.append(warning)
            audit.save_all([audit.event_for(WarningAction.RAISE, warning, after=audit.snapshot(warning, [
                "kind", "unit", "business_category", "cause", "day", "period_start", "period_end", "figure",
                "baseline", "threshold"])) for warning in warnings])
            recipients = offices(units.values())
            notify_many([_message(warning, recipients[warning.unit_id]) for warning in warnings
                         if recipients[warning.unit_id]])
    except IntegrityError:
        return []  # another run of the same day stored them first
    return warnings
