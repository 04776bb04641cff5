"""Complaint writes up to routing: registration through any channel, acceptance review, routing.

Handling, decisions and callbacks are in `handling` and `decisions`; all of them go through `lock`
and `save_change`, and take their steps from `workflow`.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bankdesk.complaints import clocks, intake, notices, recipients, routing, workflow
from bankdesk.complaints.models import (
    Attachment,
    ChannelKind,
    ClockKind,
    Complaint,
    GroupRepresentative,
    IdempotencyKey,
    Severity,
    Status,
    StoredFile,
    TrackingSequence,
)
from bankdesk.core import audit, rules, uploads
from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.core.permissions import require
from bankdesk.core.pii import blind_index, normalize_identifier, normalize_phone
from bankdesk.knowledge import language, search
from bankdesk.orgs.models import OrgUnit, Role, User
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.audit_actions import ComplaintAction

AUDITED_FIELDS = ["status", "severity", "handler", "lead_department", "merged_into", "non_acceptance_reason",
                  "accepted_at", "routed_at", "closure_code", "extension_level", "escalation_level", "reopen_count",
                  "failed_callbacks", "paused_since", "communicated_at", "closed_at"]
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".txt": "text/plain", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".eml": "message/rfc822", ".mp3": "audio/mpeg", ".wav": "audio/wav", ".amr": "audio/amr",
}


def complaint_document(complaint: Complaint) -> search.Document:
    """The complaint as full-text search holds it, with the scope it is visible in."""
    category = complaint.business_category
    return search.Document(
        kind="complaint", object_id=complaint.pk, code=complaint.tracking_number,
        title=f"{complaint.tracking_number} {category}", body=f"{complaint.description}\n{complaint.demand}",
        group=category.parent.code if category.parent_id else category.code, unit_path=complaint.unit_path,
        lead_path=complaint.lead_department_path, handler_id=complaint.handler_id)


def _index(complaint: Complaint, new: bool = False) -> None:
    search.index(complaint_document(complaint), new=new)


def snapshot(complaint: Complaint) -> dict:
    return audit.snapshot(complaint, fields=AUDITED_FIELDS)


def _take_sequence_number(day) -> int | None:
    """The day's next number in one statement (the row stays locked until commit); None before the day's first."""
    table = TrackingSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE "day" = %s RETURNING "last"', [day])
        row = cursor.fetchone()
    return row[0] if row else None


def _next_tracking_number(day) -> str:
    number = _take_sequence_number(day)
    if number is None:
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(day=day, last=0)
        except IntegrityError:
            pass
        number = _take_sequence_number(day)
    return format_tracking_number(day, number)


def format_tracking_number(day, number: int) -> str:
    return f"TS-{day:%Y%m%d}-{number:06d}"


def _check_may_register(actor, data: intake.RegistrationInput) -> None:
    if actor is None:
        if data.channel.kind != ChannelKind.PUBLIC:
            raise PermissionDenied(_("You do not have the right to do this."))
    elif data.channel.kind == ChannelKind.REGULATOR:
        require(actor, ComplaintPermission.REVIEW_COMPLAINTS)
    else:
        require(actor, ComplaintPermission.REGISTER_COMPLAINT)


def _earlier_complaint(phone_index: str, received_at) -> Complaint | None:
    window = rules.get("complaint.repeat_window_calendar_days")
    since = received_at - timezone.timedelta(days=window)
    return (Complaint.objects.filter(phone_index=phone_index, received_at__gte=since)
            .exclude(status=Status.MERGED).order_by("-received_at", "-id").only("id", "tracking_number").first())


def build_complaint(actor, data: intake.RegistrationInput) -> Complaint:
    """The complaint a registration describes; not saved (its acceptance clock is started by the caller)."""
    received_at = data.received_at or timezone.now()
    staff_concerned = User.objects.filter(pk=data.staff_concerned_id).first() if data.staff_concerned_id else None
    return Complaint(
        complainant_name=data.complainant_name.strip(), phone=normalize_phone(data.phone),
        id_type=data.id_type, id_number=normalize_identifier(data.id_number) if data.id_number else "",
        account_number=normalize_identifier(data.account_number) if data.account_number else "",
        email=data.email, channel=data.channel, received_at=received_at, unit=data.unit, unit_path=data.unit.path,
        staff_concerned=staff_concerned, staff_concerned_name=data.staff_concerned_name,
        business_category=data.business_category, cause=data.cause, description=data.description.strip(),
        demand=data.demand.strip(), amount_involved=data.amount_involved, is_group=data.is_group,
        group_size=data.group_size, external_reference=data.external_reference.strip(),
        external_deadline=data.external_deadline, registered_by=actor,
    )


def register_complaint(actor, data: intake.RegistrationInput, attachments=()) -> Complaint:
    """Register a complaint from any channel; `actor` is None for the public form.

    Checks and reads come first; only the writes run in the transaction, which on SQLite holds the
    database's write lock, so concurrent registrations wait for each other as little as possible.
    """
    _check_may_register(actor, data)
    intake.validate(data)
    _check_attachments(attachments)
    complaint = build_complaint(actor, data)
    earlier = _earlier_complaint(blind_index(complaint.phone, "phone"), complaint.received_at)
    complaint.is_repeat, complaint.repeat_of = earlier is not None, earlier
    complaint.severity, matched = routing.assess_severity(complaint)
    acceptance_clock = clocks.new_clock(complaint, ClockKind.ACCEPTANCE, at=complaint.received_at)
    complaint.current_deadline = acceptance_clock.due_at
    complaint.acceptance_clock = acceptance_clock
    _save_registration(actor, complaint, acceptance_clock, data, attachments, matched)
    return complaint


@transaction.atomic
def _save_registration(actor, complaint: Complaint, acceptance_clock, data: intake.RegistrationInput,
                       attachments, severity_rules) -> None:
    complaint.tracking_number = _next_tracking_number(timezone.localdate(complaint.received_at))
    complaint.save()
    acceptance_clock.complaint = complaint
    acceptance_clock.save()
    if data.disputed_act_approver_ids:
        complaint.disputed_act_approvers.set(User.objects.filter(pk__in=data.disputed_act_approver_ids))
    GroupRepresentative.objects.bulk_create(
        [GroupRepresentative(complaint=complaint, name=r.name.strip(), phone=normalize_phone(r.phone))
         for r in data.representatives])
    for upload in attachments:
        _store_attachment(actor, complaint, upload)
    _index(complaint, new=True)
    audit.record(ComplaintAction.REGISTER, complaint, actor=actor,
                 after=registration_record(complaint, snapshot(complaint), severity_rules))
    report_by_severity(complaint)


def registration_record(complaint: Complaint, complaint_snapshot: dict, severity_rules) -> dict:
    """What the "complaint.register" event keeps: the complaint, its channel and the severity rules matched."""
    return {**complaint_snapshot, "channel": complaint.channel.code,
            "severity_rules": [str(rule) for rule in severity_rules]}


def report_by_severity(complaint: Complaint) -> None:
    if complaint.severity == Severity.MAJOR:
        report_major_complaint(complaint)
    elif complaint.severity == Severity.IMPORTANT:
        _report_important_complaint(complaint)


def register_once(actor, idempotency_key: str, request_hash: str, data: intake.RegistrationInput,
                  attachments=()) -> tuple[Complaint, bool]:
    """Register unless this client already sent this Idempotency-Key; returns (complaint, created).

    The same key with a different request is refused, so a client bug cannot hide a lost complaint.
    """
    def earlier() -> Complaint | None:
        entry = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).select_related("complaint").first()
        if entry is not None and entry.request_hash != request_hash:
            raise ValidationFailed(_("This Idempotency-Key was used for a different request."),
                                   field="Idempotency-Key", code="idempotency_mismatch")
        return entry.complaint if entry else None

    if len(idempotency_key) > 100:
        raise ValidationFailed(_("The Idempotency-Key may have at most 100 characters."), field="Idempotency-Key")
    if (complaint := earlier()) is not None:
        return complaint, False
    try:
        with transaction.atomic():
            complaint = register_complaint(actor, data, attachments)
            IdempotencyKey.objects.create(user=actor, key=idempotency_key, request_hash=request_hash,
                                          complaint=complaint)
    except IntegrityError:
        if (complaint := earlier()) is not None:
            return complaint, False
        raise
    return complaint, True


def _check_attachments(attachments) -> None:
    uploads.check_files(
        attachments, allowed=ALLOWED_ATTACHMENT_TYPES, max_count=rules.get("complaint.attachment_max_count"),
        max_megabytes=rules.get("complaint.attachment_max_megabytes"), field="attachments",
        refused_type=_("%(name)s: this file type is not accepted (PDF, pictures, Office documents, text, e-mail, "
                       "recordings)."))


def attachment_path(sha256: str) -> str:
    """Where a file's content is stored: by its hash, so the same content is kept once."""
    return f"attachments/{sha256[:2]}/{sha256}"


def store_file(name: str, content: bytes, field: str = "attachments") -> StoredFile:
    """Keep a file's content once by its SHA-256, after the virus scan: how every upload is kept
    (complaint attachments, inspection photos); `name` gives the type, already checked."""
    digest = hashlib.sha256(content).hexdigest()
    verdict = uploads.scan(content)
    if verdict == "infected":
        raise ValidationFailed(_("%(name)s was rejected by the virus scan.") % {"name": name}, field=field)
    stored = StoredFile.objects.filter(sha256=digest).first()
    if stored is None:
        default_storage.save(attachment_path(digest), ContentFile(content))
        stored = StoredFile.objects.create(sha256=digest, size=len(content), scan_status=verdict,
                                           content_type=ALLOWED_ATTACHMENT_TYPES[uploads.suffix_of(name)])
    return stored


def _store_attachment(actor, complaint: Complaint, upload) -> Attachment:
    stored = store_file(upload.name, upload.read())
    return Attachment.objects.create(complaint=complaint, file=stored, original_name=upload.name[:200],
                                     uploaded_by=actor if actor and actor.is_authenticated else None)


def report_major_complaint(complaint: Complaint) -> None:
    """重大投诉事项报告: the heads and the consumer-protection office above the unit are told at once."""
    unit = complaint.unit
    notify(recipients.over(unit, [Role.UNIT_HEAD, Role.CONSUMER_PROTECTION]), kind="complaint.major", obj=complaint,
           link=f"/complaints/{complaint.pk}/", sms=True,
           text=_("Major complaint %(number)s about %(unit)s: report at once.") % {
               "number": complaint.tracking_number, "unit": unit.name})


def _report_important_complaint(complaint: Complaint) -> None:
    """An important complaint is reported to the manager of the unit concerned (within the hour: at once)."""
    notify(recipients.heads(complaint.unit), kind="complaint.important", obj=complaint,
           link=f"/complaints/{complaint.pk}/",
           text=_("Important complaint %(number)s about %(unit)s.") % {
               "number": complaint.tracking_number, "unit": complaint.unit.name})


def lock(actor, complaint: Complaint, step: str, expected_version: int | None = None) -> Complaint:
    """Check the user may take `step`, re-read the complaint under a row lock, and refuse if someone
    changed it meanwhile (optimistic locking) or its state does not allow the step."""
    workflow.require_step(actor, step, complaint)
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(_("Someone else changed this complaint meanwhile; reload it and try again."))
    if current.status not in workflow.STEPS[step].from_states:
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


@transaction.atomic
def accept_complaint(actor, complaint: Complaint, expected_version: int | None = None) -> Complaint:
    """受理: the complaint is valid; it is routed at once by the routing rules."""
    complaint = lock(actor, complaint, "accept", expected_version)
    before = snapshot(complaint)
    complaint.status, complaint.accepted_at, complaint.reviewed_by = Status.ACCEPTED, timezone.now(), actor
    complaint = save_change(actor, complaint, ComplaintAction.ACCEPT, before)
    _start_handling_clocks(complaint)
    return _route(actor, complaint)


def _start_handling_clocks(complaint: Complaint) -> None:
    """Acceptance ends the review clock and starts the handling clocks of domain.md §2."""
    clocks.stop(complaint, [ClockKind.ACCEPTANCE], at=complaint.accepted_at)
    kinds = [ClockKind.DISPATCH, ClockKind.RESOLUTION, ClockKind.INTERNAL, ClockKind.DECISION,
             ClockKind.BECOMES_MAJOR]
    if complaint.severity == Severity.MAJOR:
        kinds.append(ClockKind.MAJOR_REPLY)
    for kind in kinds:
        clocks.start(complaint, kind, at=complaint.accepted_at)
    clocks.refresh_complaint(complaint)


def end_clocks(complaint: Complaint) -> None:
    """The complaint is finished (refused, merged, withdrawn, closed): no clock runs on."""
    now = timezone.now()
    clocks.stop(complaint, at=now)
    clocks.end_pause(complaint, now)
    clocks.refresh_complaint(complaint)


@transaction.atomic
def refuse_complaint(actor, complaint: Complaint, *, reason, notice_channel: str, notice_text: str,
                     expected_version: int | None = None) -> Complaint:
    """不予受理: the customer is told, with the reason, by the channel chosen."""
    workflow.require_step(actor, "refuse", complaint)
    if reason is None or not reason.is_active:
        raise ValidationFailed(_("Choose the reason for not accepting."), field="reason")
    notices.check_channel(complaint, notice_channel)
    if not notice_text.strip():
        raise ValidationFailed(_("Write the notice to the customer."), field="notice_text")
    language.require_clean(notice_text, field="notice_text")
    complaint = lock(actor, complaint, "refuse", expected_version)
    before = snapshot(complaint)
    complaint.status, complaint.reviewed_by, complaint.non_acceptance_reason = Status.NOT_ACCEPTED, actor, reason
    notice = notices.send(actor, complaint, kind="non_acceptance", channel=notice_channel, text=notice_text)
    end_clocks(complaint)
    return save_change(actor, complaint, ComplaintAction.REFUSE, before, {"notice": notice.pk, "channel": notice_channel})


def non_acceptance_notice(complaint: Complaint, reason) -> str:
    """The default wording of the non-acceptance notice, which the reviewer may edit; always in the
    bank's language, whatever the reviewer's screen is set to."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s, your complaint %(number)s received on %(date)s cannot be accepted. Reason: "
                 "%(reason)s. If you have questions, please call our customer service hotline.") % {
            "name": complaint.complainant_name, "number": complaint.tracking_number,
            "date": timezone.localtime(complaint.received_at).strftime("%Y-%m-%d"), "reason": reason.name}


def record_export(actor, filters: dict) -> None:
    """Exports of personal data leave a trace: who exported which selection, when."""
    audit.record_event(ComplaintAction.EXPORT, object_type="complaints.complaint", object_repr="CSV", actor=actor,
                       after={key: value for key, value in filters.items() if value not in (None, "", False)})


@transaction.atomic
def merge_complaint(actor, complaint: Complaint, into: Complaint, note: str = "",
                    expected_version: int | None = None) -> Complaint:
    """A duplicate is merged into an earlier complaint; both stay, linked."""
    workflow.require_step(actor, "merge", complaint)
    workflow.require_step(actor, "merge", into)
    if into.pk == complaint.pk or into.status in (Status.MERGED,):
        raise ValidationFailed(_("Choose another, open complaint to merge into."), field="into")
    complaint = lock(actor, complaint, "merge", expected_version)
    before = snapshot(complaint)
    complaint.status, complaint.merged_into = Status.MERGED, into
    end_clocks(complaint)
    complaint = save_change(actor, complaint, ComplaintAction.MERGE, before, {"into": into.tracking_number, "note": note})
    audit.record(ComplaintAction.MERGED_IN, into, actor=actor, after={"merged": complaint.tracking_number, "note": note})
    return complaint


@transaction.atomic
def withdraw_complaint(actor, complaint: Complaint, note: str, expected_version: int | None = None) -> Complaint:
    """撤诉: the customer withdraws; the clock ends."""
    workflow.require_step(actor, "withdraw", complaint)
    if not note.strip():
        raise ValidationFailed(_("Record how the customer withdrew (call, letter, in person)."), field="note")
    complaint = lock(actor, complaint, "withdraw", expected_version)
    before = snapshot(complaint)
    complaint.status = Status.WITHDRAWN
    end_clocks(complaint)
    return save_change(actor, complaint, ComplaintAction.WITHDRAW, before, {"note": note.strip()})


def _route(actor, complaint: Complaint) -> Complaint:
    rule = routing.matching_routing_rule(complaint)
    if rule is None:
        return complaint  # stays accepted in the review queue for routing by hand
    return _apply_route(actor, complaint, rule.lead_department, list(rule.assisting_departments.all()),
                        routing.least_loaded_handler(complaint, rule.lead_department), rule=rule.name)


def _apply_route(actor, complaint: Complaint, lead_department: OrgUnit, assisting: list[OrgUnit],
                 handler: User | None, rule: str = "") -> Complaint:
    before = snapshot(complaint)
    complaint.lead_department, complaint.lead_department_path = lead_department, lead_department.path
    complaint.handler, complaint.routed_at, complaint.status = handler, timezone.now(), Status.ROUTED
    complaint = save_change(actor, complaint, ComplaintAction.ROUTE, before,
                      {"assisting": [unit.code for unit in assisting], "rule": rule})
    complaint.assisting_departments.set(assisting)
    clocks.stop(complaint, [ClockKind.DISPATCH])
    clocks.refresh_complaint(complaint)
    _index(complaint)
    if handler is None:
        _tell_heads_no_handler(complaint, lead_department)
    return complaint


def _tell_heads_no_handler(complaint: Complaint, department: OrgUnit) -> None:
    notify(recipients.over(department, [Role.UNIT_HEAD]), kind="complaint.unassigned", obj=complaint,
           link=f"/complaints/{complaint.pk}/",
           text=_("Complaint %(number)s was routed to %(unit)s but no handler is available: assign one.") % {
               "number": complaint.tracking_number, "unit": department.name})


@transaction.atomic
def route_complaint(actor, complaint: Complaint, *, lead_department: OrgUnit, assisting=(), handler: User | None = None,
                    expected_version: int | None = None) -> Complaint:
    """Route by hand (or re-route): the lead department, assisting ones and, optionally, the handler."""
    workflow.require_step(actor, "route", complaint)
    complaint = lock(actor, complaint, "route", expected_version)
    if lead_department is None or not lead_department.is_active:
        raise ValidationFailed(_("Choose the lead department."), field="lead_department")
    if handler is None:
        handler = routing.least_loaded_handler(complaint, lead_department)
    else:
        _check_handler(complaint, lead_department, handler)
    return _apply_route(actor, complaint, lead_department, [u for u in assisting if u != lead_department], handler)


def _check_handler(complaint: Complaint, department: OrgUnit, handler: User) -> None:
    if handler.pk in routing.recused_user_ids(complaint):
        raise ValidationFailed(_("%(name)s is concerned by this complaint and may not handle it (recusal).")
                               % {"name": handler}, field="handler")
    if not routing.eligible_handlers(complaint, department).filter(pk=handler.pk).exists():
        raise ValidationFailed(_("%(name)s is not a handler of %(unit)s.") % {"name": handler, "unit": department},
                               field="handler")
