"""The one change a person makes to a warning: marking it handled with a note (the consumer-protection
office, over the warning's unit), with the row locked and an audit event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.analytics.warnings.audit_actions import WarningAction
from bankdesk.analytics.warnings.models import EarlyWarning, WarningStatus
from bankdesk.analytics.warnings.permissions import WarningPermission as P
from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import require, require_in_scope

NOTE_MAX_LENGTH = 2000
FIELDS = ["status", "handled_by", "handled_at", "note"]


@transaction.atomic
def handle_warning(actor, warning: EarlyWarning, note: str) -> EarlyWarning:
    require(actor, P.HANDLE_WARNINGS)
    warning = EarlyWarning.objects.select_for_update(of=("self",)).select_related("unit").get(pk=warning.pk)
    require_in_scope(actor, P.HANDLE_WARNINGS, warning.unit)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Say what was done about the warning."), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(_("The note is too long."), field="note")
    if warning.status != WarningStatus.OPEN:
        raise Conflict(_("This warning has been handled already."))
    before = audit.snapshot(warning, FIELDS)
    warning.status, warning.handled_by, warning.handled_at, warning.note = (
        WarningStatus.HANDLED, actor, timezone.now(), note)
    warning.save(update_fields=FIELDS)
    audit.record(WarningAction.HANDLE, warning, actor=actor, before=before, after=audit.snapshot(warning, FIELDS))
    return warning
