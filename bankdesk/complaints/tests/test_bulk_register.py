"""The import's write pass registers batches at once: the same rows as registration.register_complaint, a few
statements per batch, and still all or nothing."""

import csv
import io
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bankdesk.complaints.intake import bulk_import, registration, registration_input
from bankdesk.complaints.intake import registration as registration_module
from bankdesk.complaints.intake.registration import build_complaint, register_complaint
from bankdesk.complaints.models import Clock, Complaint, ImportPhase, Severity, TrackingSequence
from bankdesk.complaints.review.severity import assess_severities, assess_severity
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent, AuditSource, JobStatus, Notification
from bankdesk.core.pii import BlindIndexField, blind_index
from bankdesk.knowledge.models import SearchEntry

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HEADER = ["complainant_name", "phone", "channel", "unit", "business_category", "cause", "description", "demand",
          "received_at", "amount_involved"]
EXISTING_PHONE, FAMILY_PHONE = "13700000001", "13700000002"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TASKS = IMMEDIATE_TASKS


def _row(number: int, **changes) -> list:
    values = {"complainant_name": f"客户{number}", "phone": f"139{number:08d}", "channel": "hotline",
              "unit": "A-O1", "business_category": "counter_waiting", "cause": "attitude",
              "description": f"第{number}号历史投诉：排队时间过长。", "demand": "要求道歉",
              "received_at": f"2024-03-{1 + number % 28:02d} 10:{number % 60:02d}", "amount_involved": ""}
    values.update(changes)
    return [values[name] for name in HEADER]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(user, content: bytes):
    job = bulk_import.start_import(user, SimpleUploadedFile("history.csv", content))
    job.refresh_from_db()
    return job


# --- The same rows as register_complaint ---------------------------------------------------------------------

SKIPPED = {"id", "repeat_of_id", "registered_at", "updated_at"}  # keys and the time of writing
CLOCK_FIELDS = ["kind", "state", "limit_count", "limit_unit", "started_at", "warn_at", "due_at", "provisional",
                "next_check_at"]
SEARCH_FIELDS = ["code", "group", "title", "body", "title_words", "body_words", "scope_words", "unit_path",
                 "lead_path", "handler_id"]
EVENT_FIELDS = ["actor", "actor_label", "source", "action", "object_type", "object_repr", "unit_path", "before",
                "after"]


def _registered() -> list[dict]:
    """Every complaint as registration left it, with its clocks, search entry, events and notifications."""
    state = []
    for complaint in Complaint.objects.order_by("id"):
        values = {field.attname: getattr(complaint, field.attname) for field in Complaint._meta.concrete_fields
                  if field.attname not in SKIPPED}
        object_id = str(complaint.pk)
        values.update(
            repeat_of=complaint.repeat_of.tracking_number if complaint.repeat_of_id else None,
            clocks=list(Clock.objects.filter(complaint=complaint).values(*CLOCK_FIELDS)),
            search=list(SearchEntry.objects.filter(kind="complaint", object_id=complaint.pk).values(*SEARCH_FIELDS)),
            events=list(AuditEvent.objects.filter(object_type="complaints.complaint", object_id=object_id)
                        .values(*EVENT_FIELDS)),
            notifications=_notifications(object_id))
        state.append(values)
    return state


def _notifications(object_id: str) -> list[tuple]:
    """(recipient, kind, text, whether the link leads to the complaint) of each notification about it."""
    rows = Notification.objects.filter(object_type="complaints.complaint", object_id=object_id).values_list(
        "recipient_id", "kind", "text", "link")
    return sorted((recipient, kind, text, link == f"/complaints/{object_id}/") for recipient, kind, text, link in rows)


def _one_by_one(actor, content: bytes) -> list[dict]:
    """What registering the file's rows one by one through registration.register_complaint leaves; rolled back."""
    job = SimpleNamespace(kind="csv", file=SimpleUploadedFile("history.csv", content))
    resolver = bulk_import.Resolver(actor)
    with transaction.atomic():
        with audit.audit_context(actor=actor, source=AuditSource.IMPORT):
            for _number, row in bulk_import.records(job):
                register_complaint(actor, resolver.registration(row))
        state = _registered()
        transaction.set_rollback(True)
    return state


def test_the_batches_leave_the_rows_register_complaint_leaves(desk, registration, monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH_ROWS", 3)
    register_complaint(desk.agent, registration(phone=EXISTING_PHONE, received_at=local(2024, 2, 20, 9)))
    content = _csv([
        _row(1, phone=EXISTING_PHONE),  # a repeat of a complaint already registered
        _row(2, phone=FAMILY_PHONE, received_at="2024-03-01 09:00"),
        _row(3, phone=FAMILY_PHONE, received_at="2024-03-05 09:00"),  # a repeat of the row before, same batch
        _row(4, description="客户称已联系记者，要求曝光。", received_at="2024-03-05 10:00"),  # major
        _row(5, amount_involved="60,000.00", received_at="2024-03-05 11:00"),  # important
        _row(6, phone=FAMILY_PHONE, received_at="2024-03-10 09:00", unit="B-O1"),  # a repeat from the first batch
    ])
    expected = _one_by_one(desk.cp, content)

    job = _import(desk.cp, content)

    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert _registered() == expected
    rows = {c.complainant_name: c for c in Complaint.objects.select_related("repeat_of")}
    assert rows["客户1"].repeat_of.complainant_name == "李女士"
    assert (rows["客户3"].repeat_of, rows["客户6"].repeat_of) == (rows["客户2"], rows["客户3"])
    assert not rows["客户2"].is_repeat and rows["客户3"].is_repeat
    assert (rows["客户4"].severity, rows["客户5"].severity) == (Severity.MAJOR, Severity.IMPORTANT)
    assert Notification.objects.filter(recipient=desk.head_a, kind="complaint.major",
                                       object_id=str(rows["客户4"].pk)).exists()
    assert all(len(entry["clocks"]) == 2 and len(entry["search"]) == 1 and len(entry["events"]) == 1
               for entry in expected)


def test_phone_is_encrypted_and_indexed_as_save_does(desk):
    job = _import(desk.cp, _csv([_row(1, phone="+86 139-0000-0001")]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    complaint = Complaint.objects.get()
    assert complaint.phone == "13900000001"
    assert Complaint.objects.filter(phone_index=blind_index("13900000001", "phone")).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {Complaint._meta.db_table}")
        assert cursor.fetchone()[0].startswith("v1:")


def test_tracking_numbers_follow_on_from_the_days_sequence(desk, registration):
    register_complaint(desk.agent, registration(received_at=local(2024, 3, 2, 9)))
    job = _import(desk.cp, _csv([_row(1), _row(2), _row(29)]))  # 2 and 3 March, 29 → 2 March again
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == [
        "TS-20240302-000001", "TS-20240302-000002", "TS-20240302-000003", "TS-20240303-000001"]
    assert dict(TrackingSequence.objects.values_list("day", "last")) == {
        datetime(2024, 3, 2).date(): 3, datetime(2024, 3, 3).date(): 1}


# --- All or nothing ----------------------------------------------------------------------------------------------

def test_a_batch_failing_after_others_were_written_leaves_nothing(desk, monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH_ROWS", 2)
    real = registration.Registrations.register
    calls = []

    def fail_second_batch(self, inputs):
        calls.append(len(inputs))
        if len(calls) == 2:
            raise ValidationFailed("Refused.", field="cause")
        real(self, inputs)

    monkeypatch.setattr(registration.Registrations, "register", fail_second_batch)
    job = _import(desk.cp, _csv([_row(n) for n in range(1, 6)]))
    assert job.status == JobStatus.FAILED and calls == [2, 2]
    assert job.errors == [{"row": None, "field": "cause", "message": "Refused."}]
    assert not Complaint.objects.exists() and not Clock.objects.exists()
    assert not TrackingSequence.objects.exists()
    assert not SearchEntry.objects.filter(kind="complaint").exists()
    assert not AuditEvent.objects.filter(action="complaint.register").exists()


# --- Queries -----------------------------------------------------------------------------------------------------

def _queries_by_phase(monkeypatch) -> dict[str, CaptureQueriesContext]:
    """The queries of the checking pass and of the write pass of the next import."""
    captured = {}
    real = bulk_import._progress

    def spy(job, **changes):
        phase = changes.get("phase")
        if phase in (ImportPhase.WRITING, ImportPhase.DONE) and captured:
            list(captured.values())[-1].__exit__(None, None, None)
        if phase in (ImportPhase.VALIDATING, ImportPhase.WRITING):
            captured[phase] = CaptureQueriesContext(connection).__enter__()
        real(job, **changes)

    monkeypatch.setattr(bulk_import, "_progress", spy)
    return captured


def test_the_checking_pass_queries_per_distinct_codes_not_per_row(desk, monkeypatch):
    captured = _queries_by_phase(monkeypatch)
    job = _import(desk.cp, _csv([_row(n, unit=("A-O1", "B-O1")[n % 2]) for n in range(1, 101)]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    # the lists read once (8) and once more for the registrations' look-ups (cached_lists: 3 lists and the
    # units, once for both codes), the uploader's roles, and the phase and count written
    assert len(captured[ImportPhase.VALIDATING]) == 8 + 3 + 1 + 1 + 2


def test_the_write_pass_queries_per_batch_not_per_row(desk, monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH_ROWS", 10)
    captured = _queries_by_phase(monkeypatch)
    per_batch = []
    real = registration.Registrations.register

    def counted(self, inputs):
        with CaptureQueriesContext(connection) as queries:
            real(self, inputs)
        per_batch.append(len(queries))

    monkeypatch.setattr(registration.Registrations, "register", counted)
    job = _import(desk.cp, _csv([_row(n) for n in range(1, 31)]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    # earlier complaints, severity rules and the calendar's days and years (the first batch; then the process's
    # copy, held for the pass), the savepoint (2), day sequences (update, insert of the days new to them,
    # update), the keys of complaints and clocks, complaints, clocks, events (the search entries follow: below)
    assert per_batch == [13, 10, 10]
    # once per pass: the phase, SQLite's page cache (4), the savepoint (2), the lists and
    # the codes of the file (12: 8 lists, 3 for cached_lists, the unit); the pass is counted until the job's
    # success, written inside its transaction, so the savepoint's release and the restoring of SQLite's page
    # cache (2) come after; the search entries queued with the rows (this test runs the task at once: the
    # categories, one chunk of 30 in its savepoint (2), the complaints without an entry, the entries)
    search_entries = 5
    page_cache = 4 if connection.vendor == "sqlite" else 0
    after_success = 1 + (2 if connection.vendor == "sqlite" else 0)
    # on SQLite, a file adding more than half the complaints there are: the complaints counted, the complaints'
    # and clocks' indexes listed (2) and dropped (one statement each), built again after the job's success
    dropped = [query for query in captured[ImportPhase.WRITING] if query["sql"].startswith("DROP INDEX")]
    assert len(dropped) == (_non_unique_indexes(Complaint) - 1 + _non_unique_indexes(Clock)  # the phone's kept
                            if connection.vendor == "sqlite" else 0)
    indexes = 1 + 2 + len(dropped) if connection.vendor == "sqlite" else 0
    assert len(captured[ImportPhase.WRITING]) - sum(per_batch) == (15 + search_entries + page_cache + indexes
                                                                    - after_success)


def _non_unique_indexes(model) -> int:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return sum(1 for constraint in found.values() if constraint["index"] and not constraint["unique"])


# --- Pieces --------------------------------------------------------------------------------------------------------

def test_the_checks_are_intake_validate_in_its_order():
    """The Resolver runs registration_input.validate's checks one by one (to run the classification's once per codes):
    a check added to registration_input.validate must be added to Resolver._validate too."""
    assert [name for name in registration_input.validate.__code__.co_names if name.startswith("validate")] == [
        "validate_person", "validate_classification", "validate_details"]


def test_the_checking_pass_reports_what_intake_validate_says(desk):
    job = _import(desk.cp, _csv([_row(1, business_category="counter", phone="12"), _row(2, business_category="counter"),
                                 _row(3, amount_involved="-5")]))
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        {"row": 2, "field": "phone", "message": "Enter a mobile number (11 digits) or a landline with area code."},
        {"row": 3, "field": "business_category", "message": "Choose a sub-category."},
        {"row": 4, "field": "amount_involved", "message": "The amount cannot be negative."}]


def test_assess_severities_reads_the_rules_once(desk, registration, django_assert_num_queries):
    inputs = [registration(description="客户称要找记者曝光。"), registration(amount_involved=60000), registration()]
    complaints = [build_complaint(desk.agent, data) for data in inputs]
    with django_assert_num_queries(1):
        assessed = assess_severities(complaints)
    assert assessed == [assess_severity(complaint) for complaint in complaints]
    assert [severity for severity, _rules in assessed] == [Severity.MAJOR, Severity.IMPORTANT, Severity.MINOR]


# --- The search entries follow the commit ------------------------------------------------------------------------

def test_the_search_entries_are_queued_with_the_rows_and_written_as_registration_writes_them(desk, settings):
    from django_tasks_db.models import DBTaskResult

    from bankdesk.complaints import saving

    content = _csv([_row(n) for n in range(1, 5)])
    expected = {entry["code"]: entry for state in _one_by_one(desk.cp, content) for entry in state["search"]}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = bulk_import.start_import(desk.cp, SimpleUploadedFile("history.csv", content))
    bulk_import.run(job.pk)  # as the worker runs the queued import
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert not SearchEntry.objects.filter(kind="complaint").exists()
    queued = DBTaskResult.objects.get(task_path="bankdesk.complaints.saving.index_registered_complaints")
    first, last = queued.args_kwargs["args"]
    assert (first, last) == (Complaint.objects.order_by("id").first().pk, Complaint.objects.order_by("id").last().pk)
    changed = Complaint.objects.get(pk=last)
    changed.description = "已改：客户补充了说明，要求尽快处理。"
    saving.index_for_search(changed)  # a service changed it before the entries were written

    assert saving.index_missing(first, last) == 3
    entries = {entry["code"]: entry for entry in SearchEntry.objects.filter(kind="complaint").values(*SEARCH_FIELDS)}
    assert entries.keys() == expected.keys()
    assert {code: entry for code, entry in entries.items() if code != changed.tracking_number} == {
        code: entry for code, entry in expected.items() if code != changed.tracking_number}
    assert "已改" in entries[changed.tracking_number]["body"]
    assert saving.index_missing(first, last) == 0


def test_registered_without_the_database_is_what_register_writes(desk, registration):
    """Registrations.registered (the bench's data generator registers through it) makes the complaint, clocks
    and event `register` writes for the same input, with the key and tracking number it is given."""
    from bankdesk.complaints import cached_lists

    data = registration(description="客户称已联系记者，要求曝光。", received_at=local(2024, 3, 5, 9))
    saved = register_complaint(desk.agent, data)
    event = AuditEvent.objects.get(action="complaint.register", object_id=str(saved.pk))
    pipeline = registration_module.Registrations(desk.agent)
    with CaptureQueriesContext(connection) as queries:
        complaint, started, made = pipeline.registered(
            data, cached_lists.active_severity_rules(), pk=saved.pk, tracking_number=saved.tracking_number,
            registered_at=saved.registered_at)
    assert len(queries) == 0
    saved.refresh_from_db()
    for field in Complaint._meta.concrete_fields:
        if isinstance(field, BlindIndexField):  # computed as the row is written
            field.pre_save(complaint, True)
    assert ({f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}
            == {f.attname: getattr(saved, f.attname) for f in Complaint._meta.concrete_fields
                if f.attname not in ("registered_at", "updated_at")} | {
                "registered_at": saved.registered_at, "updated_at": complaint.updated_at})
    assert [{name: getattr(clock, name) for name in CLOCK_FIELDS} | {"complaint_id": clock.complaint_id}
            for clock in started] == [
        {**values, "complaint_id": saved.pk} for values in Clock.objects.filter(complaint=saved).order_by("id")
        .values(*CLOCK_FIELDS)]
    assert ({name: getattr(made, name) for name in EVENT_FIELDS if name != "actor"}
            == {name: getattr(event, name) for name in EVENT_FIELDS if name != "actor"})
    assert made.actor_id == event.actor_id and made.object_id == event.object_id
