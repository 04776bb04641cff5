"""What every complaint write shares: the row lock with the version check, the snapshot of the audited
fields, the save with its audit event, and the complaint's entry in full-text search.

Every stage (intake, review, handling, decisions) changes a complaint through `lock` and `save_change`,
and takes its steps from `state_machine`.
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django_tasks import task
from django.utils.translation import gettext as _

from bankdesk.complaints import state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.models import BusinessCategory, Complaint
from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.knowledge import search
from bankdesk.knowledge.models import SearchEntry

AUDITED_FIELDS = ["status", "severity", "handler", "lead_department", "merged_into", "non_acceptance_reason",
                  "accepted_at", "routed_at", "closure_code", "extension_level", "escalation_level", "reopen_count",
                  "failed_callbacks", "paused_since", "communicated_at", "closed_at", "archived_at"]


def complaint_document(complaint: Complaint) -> search.Document:
    """The complaint as full-text search holds it, with the scope it is visible in."""
    category = complaint.business_category
    return _document(complaint.pk, complaint.tracking_number, _category_terms(category), complaint.description,
                     complaint.demand, complaint.unit_path, complaint.lead_department_path, complaint.handler_id)


def _category_terms(category: BusinessCategory) -> tuple[str, str]:
    """What a complaint's document takes from its category: its name in the title, its group."""
    return str(category), category.parent.code if category.parent_id else category.code


def _document(pk, tracking_number, category_terms, description, demand, unit_path, lead_path, handler_id):
    name, group = category_terms
    return search.Document(
        kind="complaint", object_id=pk, code=tracking_number, title=f"{tracking_number} {name}",
        body=f"{description}\n{demand}", group=group, unit_path=unit_path, lead_path=lead_path, handler_id=handler_id)


def index_for_search(complaint: Complaint, new: bool = False) -> None:
    search.index(complaint_document(complaint), new=new)


INDEX_CHUNK = 2000


def index_missing(first_id: int, last_id: int) -> int:
    """Write the search entries the complaints with keys from `first_id` to `last_id` lack (those registered
    with `Registrations(index_later=True)`), INDEX_CHUNK complaints per transaction; returns how many.
    Complaints that have their entry keep it (a service changed them meanwhile and refreshed it).
    The complaints are read as plain values (no model instances) and their documents made as
    `complaint_document` makes them."""
    categories = {category.pk: _category_terms(category)
                  for category in BusinessCategory.objects.select_related("parent")}
    written = 0
    for start in range(first_id, last_id + 1, INDEX_CHUNK):
        with transaction.atomic():
            complaints = list(
                Complaint.objects.filter(pk__gte=start, pk__lte=min(start + INDEX_CHUNK - 1, last_id))
                .exclude(Exists(SearchEntry.objects.filter(kind="complaint", object_id=OuterRef("pk"))))
                .order_by("pk").values_list("pk", "tracking_number", "description", "demand", "unit_path",
                                            "lead_department_path", "handler_id", "business_category_id"))
            search.index_many([_document(pk, number, categories[category_id], *texts_and_scope)
                               for pk, number, *texts_and_scope, category_id in complaints], new=True)
        written += len(complaints)
    return written


@task()
def index_registered_complaints(first_id: int, last_id: int) -> dict:
    """The search entries of complaints registered without them (a bulk import), written after its commit."""
    return {"first": first_id, "last": last_id, "indexed": index_missing(first_id, last_id)}


def snapshot(complaint: Complaint) -> dict:
    return audit.snapshot(complaint, fields=AUDITED_FIELDS)


def lock(actor, complaint: Complaint, step: str, expected_version: int | None = None) -> Complaint:
    """Check the user may take `step`, re-read the complaint under a row lock, and refuse if someone
    changed it meanwhile (optimistic locking) or its state does not allow the step."""
    state_machine.require_step(actor, step, complaint)
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    archived = state_machine.archived_refusal(current)
    if archived is not None:
        raise archived
    if expected_version is not None and current.version != expected_version:
        raise Conflict(_("Someone else changed this complaint meanwhile; reload it and try again."))
    if current.status not in state_machine.STEPS[step].from_states:
        raise ValidationFailed(_("This step is not possible while the complaint is “%(status)s”.")
                               % {"status": current.get_status_display()}, field="status", code="invalid_state")
    return current


def save_change(actor, complaint: Complaint, action: str, before: dict, extra: dict | None = None) -> Complaint:
    """Save the complaint with a new version and put the change on the audit trail."""
    complaint.version = F("version") + 1
    complaint.save()
    complaint.refresh_from_db()
    audit.record(action, complaint, actor=actor, before=before, after={**snapshot(complaint), **(extra or {})})
    return complaint


def record_export(actor, filters: dict) -> None:
    """Exports of personal data leave a trace: who exported which selection, when."""
    audit.record_event(ComplaintAction.EXPORT, object_type="complaints.complaint", object_repr="CSV", actor=actor,
                       after={key: value for key, value in filters.items() if value not in (None, "", False)})
