"""Registration of a complaint from any channel (counter, hotline, public form, e-mail, regulator): the
checks, the tracking number, the repeat flag, the severity, the acceptance clock, the attachments, the
audit event and the reports a serious complaint triggers; and the API's registration by Idempotency-Key."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, reports
from bankdesk.complaints.intake import attachment_files, registration_input
from bankdesk.complaints.models import (
    ChannelKind,
    ClockKind,
    Complaint,
    GroupRepresentative,
    IdempotencyKey,
    Status,
    TrackingSequence,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.review import severity
from bankdesk.core import audit, rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.permissions import require
from bankdesk.core.pii import blind_index, normalize_identifier, normalize_phone
from bankdesk.orgs.models import User


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


def _check_may_register(actor, data: registration_input.RegistrationInput) -> None:
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


def build_complaint(actor, data: registration_input.RegistrationInput) -> Complaint:
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


def register_complaint(actor, data: registration_input.RegistrationInput, attachments=()) -> Complaint:
    """Register a complaint from any channel; `actor` is None for the public form.

    Checks and reads come first; only the writes run in the transaction, which on SQLite holds the
    database's write lock, so concurrent registrations wait for each other as little as possible.
    """
    _check_may_register(actor, data)
    registration_input.validate(data)
    attachment_files.check_attachments(attachments)
    complaint = build_complaint(actor, data)
    earlier = _earlier_complaint(blind_index(complaint.phone, "phone"), complaint.received_at)
    complaint.is_repeat, complaint.repeat_of = earlier is not None, earlier
    complaint.severity, matched = severity.assess_severity(complaint)
    started = clocks.receipt_clocks(complaint)
    complaint.current_deadline = min(clock.due_at for clock in started)
    complaint.acceptance_clock = next(clock for clock in started if clock.kind == ClockKind.ACCEPTANCE)
    _save_registration(actor, complaint, started, data, attachments, matched)
    return complaint


@transaction.atomic
def _save_registration(actor, complaint: Complaint, started_clocks, data: registration_input.RegistrationInput,
                       attachments, severity_rules) -> None:
    complaint.tracking_number = _next_tracking_number(timezone.localdate(complaint.received_at))
    complaint.save()
    for clock in started_clocks:
        clock.complaint = complaint
        clock.save()
    if data.disputed_act_approver_ids:
        complaint.disputed_act_approvers.set(User.objects.filter(pk__in=data.disputed_act_approver_ids))
    GroupRepresentative.objects.bulk_create(
        [GroupRepresentative(complaint=complaint, name=r.name.strip(), phone=normalize_phone(r.phone))
         for r in data.representatives])
    for upload in attachments:
        attachment_files.store_attachment(actor, complaint, upload)
    saving.index_for_search(complaint, new=True)
    audit.record(ComplaintAction.REGISTER, complaint, actor=actor,
                 after=registration_record(complaint, saving.snapshot(complaint), severity_rules))
    reports.report_by_severity(complaint)


def registration_record(complaint: Complaint, complaint_snapshot: dict, severity_rules) -> dict:
    """What the "complaint.register" event keeps: the complaint, its channel and the severity rules matched."""
    return {**complaint_snapshot, "channel": complaint.channel.code,
            "severity_rules": [str(rule) for rule in severity_rules]}


def register_once(actor, idempotency_key: str, request_hash: str, data: registration_input.RegistrationInput,
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
