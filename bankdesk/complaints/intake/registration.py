"""Registration of a complaint from any channel (counter, hotline, public form, e-mail, regulator): the
checks, the tracking number, the repeat flag, the severity, the acceptance clock, the attachments, the
audit event and the reports a serious complaint triggers; and the API's registration by Idempotency-Key."""

from collections import Counter, defaultdict
from itertools import chain

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import saving
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, reports
from bankdesk.complaints.intake import attachment_files, on_the_spot, registration_input
from bankdesk.complaints.models import (
    ChannelKind,
    Clock,
    ClockKind,
    Complaint,
    GroupRepresentative,
    IdempotencyKey,
    Status,
    TrackingSequence,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.review import severity
from bankdesk.core import audit, bulk, rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.core.permissions import require
from bankdesk.core.pii import blind_index, normalize_identifier, normalize_phone
from bankdesk.knowledge import search
from bankdesk.orgs.models import User


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


COMPLAINTS = bulk.Instances(Complaint)


def build_complaint(actor, data: registration_input.RegistrationInput, now=None) -> Complaint:
    """The complaint a registration describes, registered at `now`; not saved (its acceptance clock is
    started by the caller)."""
    now = now or timezone.now()
    received_at = data.received_at or now
    staff_concerned = User.objects.filter(pk=data.staff_concerned_id).first() if data.staff_concerned_id else None
    return COMPLAINTS.new({
        "complainant_name": data.complainant_name.strip(), "phone": normalize_phone(data.phone),
        "id_type": data.id_type, "id_number": normalize_identifier(data.id_number) if data.id_number else "",
        "account_number": normalize_identifier(data.account_number) if data.account_number else "",
        "email": data.email, "received_at": received_at, "unit_path": data.unit.path,
        "staff_concerned_name": data.staff_concerned_name, "description": data.description.strip(),
        "demand": data.demand.strip(), "amount_involved": data.amount_involved, "is_group": data.is_group,
        "group_size": data.group_size, "external_reference": data.external_reference.strip(),
        "external_deadline": data.external_deadline, "incident_at": data.incident_at,
        "incident_place": data.incident_place.strip(), "postal_address": data.postal_address.strip(),
        "resolved_on_the_spot": data.resolved_on_the_spot, "registered_at": now, "updated_at": now,
    }, related={"channel": data.channel, "unit": data.unit, "staff_concerned": staff_concerned,
                "business_category": data.business_category, "cause": data.cause, "registered_by": actor})


def register_complaint(actor, data: registration_input.RegistrationInput, attachments=()) -> Complaint:
    """Register a complaint from any channel; `actor` is None for the public form: every check, then the
    pipeline (`Registrations`) with a batch of one."""
    _check_may_register(actor, data)
    registration_input.validate(data)
    on_the_spot.check(actor, data)
    attachment_files.check_attachments(attachments)
    if not data.resolved_on_the_spot:
        return Registrations(actor).register([data], [attachments])[0]
    with transaction.atomic():  # resolved on the spot: registered and answered together, or neither
        complaint = Registrations(actor).register([data], [attachments])[0]
        return on_the_spot.close(actor, complaint, data.on_the_spot_answer)


class Registrations:
    """The registration pipeline, for one complaint or a batch of checked registrations.

    Each complaint is built by `build_complaint` and gets its repeat of an earlier complaint (in the
    database or earlier in the batch), its severity, its clocks from receipt, its tracking number, its
    representatives, approvers of the disputed act and attachments, its search entry and its
    "complaint.register" event, and a major or important complaint is reported. Per batch: one look-up of
    earlier complaints, one read of the severity rules, one statement for the tracking numbers of all its
    days (two more on a day's first), one for the keys of the complaints and of the clocks, and one
    prepared INSERT for each of complaints, clocks and events (`bulk.Rows`). Reads come first; only the
    writes run in the transaction, which on SQLite holds the database's write lock, so concurrent
    registrations wait for each other as little as possible.

    `index_later`: the search entries are not written with the complaints; the caller has them written
    by `saving.index_complaints` after (the bulk import queues it in its transaction: they follow within
    seconds of its commit). `registered_ids` keeps the keys of the complaints registered so far.
    """

    def __init__(self, actor, index_later: bool = False):
        self.actor = actor
        self.index_later = index_later
        self.registered_ids: list[int] = []
        self.snapshots: dict[tuple, dict] = {}
        self.records: dict[tuple, dict] = {}
        self.deadlines = clocks.Deadlines()

    def register(self, inputs: list[registration_input.RegistrationInput], attachments=None) -> list[Complaint]:
        now = timezone.now()
        complaints = [build_complaint(self.actor, data, now) for data in inputs]
        repeats_in_batch = _mark_repeats(complaints)
        assessed = severity.assess_severities(complaints)
        started_clocks = []
        for complaint, (level, _matched) in zip(complaints, assessed):
            started_clocks.extend(self._assess_and_start_clocks(complaint, level))
        with transaction.atomic():
            _give_tracking_numbers(complaints)
            _give_keys(complaints, started_clocks, repeats_in_batch)
            COMPLAINT_ROWS.insert(complaints)
            CLOCK_ROWS.insert(started_clocks)
            bulk.mark_saved(chain(complaints, started_clocks))
            _save_particulars(self.actor, complaints, inputs, attachments)
            if not self.index_later:
                search.index_many([saving.complaint_document(complaint) for complaint in complaints], new=True)
            EVENT_ROWS.insert(self._events(complaints, [matched for _level, matched in assessed], now))
            for complaint in complaints:
                reports.report_by_severity(complaint)
        self.registered_ids.extend(complaint.pk for complaint in complaints)
        return complaints

    def registered(self, data: registration_input.RegistrationInput, severity_rules, *, pk: int,
                   tracking_number: str, registered_at, repeat_of_id: int | None = None):
        """One registration as `register` leaves it, made without the database: the complaint, its clocks
        and its "complaint.register" event, unsaved. For a generator that owns its database and so gives
        out the key, the tracking number and the repeat itself (bench/datagen.py, which writes them with
        core.bulk.Rows); `severity_rules` are the active rules (cached_lists.active_severity_rules).
        No report is made."""
        complaint = build_complaint(self.actor, data, registered_at)
        complaint.pk, complaint.tracking_number = pk, tracking_number
        complaint.is_repeat, complaint.repeat_of_id = repeat_of_id is not None, repeat_of_id
        level, matched = severity.assess_severities([complaint], severity_rules)[0]
        started = self._assess_and_start_clocks(complaint, level)
        return complaint, started, self._events([complaint], [matched], registered_at)[0]

    def _assess_and_start_clocks(self, complaint: Complaint, level: int) -> list[Clock]:
        """The complaint's severity and its clocks from receipt (unsaved), its nearest deadline."""
        complaint.severity = level
        started = clocks.receipt_clocks(complaint, self.deadlines)
        complaint.current_deadline = min(clock.due_at for clock in started if clock.kind in clocks.OWNER_CLOCKS)
        complaint.acceptance_clock = next(clock for clock in started if clock.kind == ClockKind.ACCEPTANCE)
        return started

    def _events(self, complaints: list[Complaint], matched_rules: list, at) -> list[AuditEvent]:
        changes = [(complaint, None, self._record(complaint, matched))
                   for complaint, matched in zip(complaints, matched_rules)]
        return audit.events_for(ComplaintAction.REGISTER, changes, actor=self.actor, occurred_at=at)

    def _record(self, complaint: Complaint, severity_rules) -> dict:
        """`registration_record`, made once per distinct snapshot, channel and rules matched (a new complaint
        has few), so the events share it."""
        key = (*(getattr(complaint, name) for name in AUDITED_ATTRIBUTES), complaint.channel_id,
               *(rule.pk for rule in severity_rules))
        if key not in self.records:
            self.records[key] = registration_record(complaint, self._snapshot(complaint), severity_rules)
        return self.records[key]

    def _snapshot(self, complaint: Complaint) -> dict:
        """`saving.snapshot`, built once per distinct set of values (a new complaint has few)."""
        key = tuple(getattr(complaint, name) for name in AUDITED_ATTRIBUTES)
        if key not in self.snapshots:
            self.snapshots[key] = saving.snapshot(complaint)
        return self.snapshots[key]


COMPLAINT_ROWS = bulk.Rows(Complaint)
CLOCK_ROWS = bulk.Rows(Clock)
EVENT_ROWS = bulk.Rows(AuditEvent, with_ids=False)


def _give_keys(complaints: list[Complaint], started_clocks: list[Clock], repeats_in_batch) -> None:
    """The keys of the new complaints and clocks, and the links to them (clock to complaint, repeat to earlier)."""
    complaint_ids, clock_ids = bulk.reserve_ids((Complaint, len(complaints)), (Clock, len(started_clocks)))
    for complaint, pk in zip(complaints, complaint_ids):
        complaint.pk = pk
    for clock, pk in zip(started_clocks, clock_ids):
        clock.pk, clock.complaint_id = pk, clock.complaint.pk
    for repeat, earlier in repeats_in_batch:
        repeat.repeat_of = earlier


AUDITED_ATTRIBUTES = [Complaint._meta.get_field(name).attname for name in saving.AUDITED_FIELDS]


def _save_particulars(actor, complaints: list[Complaint], inputs, attachments) -> None:
    """What some registrations carry beside the complaint: representatives, approvers, attachments."""
    approvers = Complaint.disputed_act_approvers.through
    approver_ids = {pk for data in inputs for pk in data.disputed_act_approver_ids}
    known = set(User.objects.filter(pk__in=approver_ids).values_list("pk", flat=True)) if approver_ids else set()
    approvers.objects.bulk_create([approvers(complaint_id=complaint.pk, user_id=pk)
                                   for complaint, data in zip(complaints, inputs)
                                   for pk in dict.fromkeys(data.disputed_act_approver_ids) if pk in known])
    GroupRepresentative.objects.bulk_create(
        [GroupRepresentative(complaint=complaint, name=r.name.strip(), phone=normalize_phone(r.phone))
         for complaint, data in zip(complaints, inputs) for r in data.representatives])
    for complaint, uploads in zip(complaints, attachments or ()):
        for upload in uploads:
            attachment_files.store_attachment(actor, complaint, upload)


def _mark_repeats(complaints: list[Complaint]) -> list[tuple[Complaint, Complaint]]:
    """Mark repeats: the latest complaint (ties: the last registered) from the same phone received since
    the repeat window before, not merged. One query for the batch; complaints earlier in the batch count
    too, and those not saved yet are returned as (repeat, earlier) pairs to be linked once saved."""
    window = timezone.timedelta(days=rules.get("complaint.repeat_window_calendar_days"))
    phone_indexes = [blind_index(complaint.phone, "phone") for complaint in complaints]
    earlier: dict[str, list[Complaint]] = defaultdict(list)
    for complaint in _earlier_from_phones(set(phone_indexes), min(c.received_at for c in complaints) - window):
        earlier[complaint.phone_index].append(complaint)
    in_batch = []
    for complaint, phone_index in zip(complaints, phone_indexes):
        found = _latest(earlier[phone_index], since=complaint.received_at - window)
        complaint.is_repeat = found is not None
        if found is not None and found.pk is None:
            in_batch.append((complaint, found))
        elif found is not None:
            complaint.repeat_of = found
        earlier[phone_index].append(complaint)
    return in_batch


def _earlier_from_phones(phone_indexes: set[str], since) -> list[Complaint]:
    """Complaints (id, tracking number, phone index, receipt) from these phones received since `since`, not
    merged, oldest first: written as SQL, since Django compiling this filter cost more than running it
    (0.33 against 0.08 ms a registration)."""
    placeholders = ", ".join(["%s"] * len(phone_indexes))
    return list(Complaint.objects.raw(
        f'SELECT "id", "tracking_number", "phone_index", "received_at" FROM "{Complaint._meta.db_table}" '
        f'WHERE "phone_index" IN ({placeholders}) AND "received_at" >= %s AND "status" <> %s ORDER BY "id"',
        [*phone_indexes, connection.ops.adapt_datetimefield_value(since), Status.MERGED]))


def _latest(candidates: list[Complaint], since) -> Complaint | None:
    found = None
    for candidate in candidates:
        if candidate.received_at >= since and (found is None or candidate.received_at >= found.received_at):
            found = candidate
    return found


def _give_tracking_numbers(complaints: list[Complaint]) -> None:
    """TS-YYYYMMDD-NNNNNN: each day's next numbers, the block of each day taken at once."""
    zone = timezone.get_current_timezone()
    days = [complaint.received_at.astimezone(zone).date() for complaint in complaints]
    counts = Counter(days)
    taken = {day: last - counts[day] for day, last in _reserve_numbers(counts).items()}
    for complaint, day in zip(complaints, days):
        taken[day] += 1
        complaint.tracking_number = format_tracking_number(day, taken[day])


def _reserve_numbers(counts: Counter) -> dict:
    """Add each day's count to its sequence (the rows stay locked until commit); the new last number of
    each day. One statement when every day has its sequence; days without one get it first."""
    reserved = _add_to_sequences(counts)
    missing = Counter({day: count for day, count in counts.items() if day not in reserved})
    if missing:
        TrackingSequence.objects.bulk_create([TrackingSequence(day=day, last=0) for day in missing],
                                             ignore_conflicts=True)
        reserved.update(_add_to_sequences(missing))
    return reserved


def _add_to_sequences(counts: Counter) -> dict:
    table = TrackingSequence._meta.db_table
    steps = " ".join(["WHEN %s THEN %s"] * len(counts))
    days = ", ".join(["%s"] * len(counts))
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET "last" = "last" + CASE "day" {steps} END WHERE "day" IN ({days}) '
                       f'RETURNING "day", "last"', [*chain.from_iterable(counts.items()), *counts])
        rows = cursor.fetchall()
    day_field = TrackingSequence._meta.get_field("day")
    return {day_field.to_python(day): last for day, last in rows}


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
        entry = next(iter(IdempotencyKey.objects.filter(user=actor, key=idempotency_key)
                          .values_list("request_hash", "complaint_id")[:1]), None)  # narrow: read on every POST
        if entry is not None and entry[0] != request_hash:
            raise ValidationFailed(_("This Idempotency-Key was used for a different request."),
                                   field="Idempotency-Key", code="idempotency_mismatch")
        return Complaint.objects.get(pk=entry[1]) if entry else None

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
