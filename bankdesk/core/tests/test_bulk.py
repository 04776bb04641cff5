"""core.bulk: many new rows written with one prepared statement, their keys given out first."""

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from bankdesk.core import audit, bulk
from bankdesk.core.models import AuditEvent, AuditSource

AT = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def _stored(event_ids) -> list[tuple]:
    """The columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source, action, object_id, before, after FROM {AuditEvent._meta.db_table} "
                       f"WHERE id IN ({', '.join(['%s'] * len(event_ids))}) ORDER BY id", list(event_ids))
        return cursor.fetchall()


def test_rows_store_what_bulk_create_stores(db):
    shared = {"status": "registered", "amount": "12.50", "rules": ["媒体"]}
    made = [AuditEvent(occurred_at=AT, source=AuditSource.IMPORT, action="x", object_type="t", object_id=str(n),
                       before=None, after=shared if n % 2 else {"n": n}) for n in range(4)]
    AuditEvent.objects.bulk_create(made)
    written = [bulk.Instances(AuditEvent).new(
        {"occurred_at": AT, "source": AuditSource.IMPORT, "action": "x", "object_type": "t", "object_id": str(n),
         "before": None, "after": shared if n % 2 else {"n": n}}) for n in range(4)]
    bulk.Rows(AuditEvent, with_ids=False).insert(written)
    new_ids = AuditEvent.objects.filter(action="x").order_by("id").values_list("id", flat=True)[4:]
    assert _stored(new_ids) == _stored([event.pk for event in made])
    assert [e.after for e in AuditEvent.objects.filter(pk__in=new_ids).order_by("id")] == [
        {"n": 0}, shared, {"n": 2}, shared]
    # auto_now does not run: the time is the one given (bulk_create's pre_save puts the present instead)
    assert set(AuditEvent.objects.filter(pk__in=new_ids).values_list("occurred_at", flat=True)) == {AT}


def test_reserved_keys_follow_every_key_given_and_are_not_given_again(db):
    first = audit.record_event("rule.change", object_type="t")
    (reserved,) = bulk.reserve_ids((AuditEvent, 3))
    assert reserved[0] > first.pk and len(set(reserved)) == 3
    rows = [bulk.Instances(AuditEvent).new({"id": pk, "occurred_at": AT, "source": AuditSource.SYSTEM,
                                            "action": "y", "object_type": "t", "object_id": str(pk)})
            for pk in reserved]
    bulk.Rows(AuditEvent).insert(rows)
    assert sorted(AuditEvent.objects.filter(action="y").values_list("id", flat=True)) == sorted(reserved)
    after = audit.record_event("rule.change", object_type="t")
    assert after.pk > max(reserved)
    (more,) = bulk.reserve_ids((AuditEvent, 2))
    assert min(more) > after.pk


def test_keys_of_several_tables_in_one_statement(db, django_assert_num_queries):
    from bankdesk.core.models import RuleSetting

    with django_assert_num_queries(1):
        events, settings_ = bulk.reserve_ids((AuditEvent, 2), (RuleSetting, 1))
    assert len(events) == 2 and len(settings_) == 1
    assert bulk.reserve_ids((AuditEvent, 0)) == [[]]


def test_instances_take_defaults_values_and_related_objects(db):
    from bankdesk.orgs.models import User

    user = User.objects.create(username="someone")
    event = bulk.Instances(AuditEvent).new({"action": "z"}, related={"actor": user})
    assert event.pk is None and event._state.adding and event.action == "z"
    assert event.actor_id == user.pk and event.actor is user and event.before is None
    assert bulk.Instances(AuditEvent).new({"after": {"a": 1}}).object_repr == ""


def test_indexes_built_after_keeps_indexes_over_an_expression(transactional_db):
    """An index over an expression cannot be matched against `keep`, so it stays; a plain one is rebuilt."""
    if connection.vendor != "sqlite":
        pytest.skip("indexes_built_after changes nothing elsewhere than SQLite")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX "test_audit_lower_action" ON "{table}" (lower("action"))')
        cursor.execute(f'CREATE INDEX "test_audit_plain_object" ON "{table}" ("object_type")')

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pragma_index_list(%s)", [table])
            return {name for (name,) in cursor.fetchall()}

    with transaction.atomic(), bulk.indexes_built_after(AuditEvent):
        during = indexes()
    assert "test_audit_lower_action" in during and "test_audit_plain_object" not in during
    assert {"test_audit_lower_action", "test_audit_plain_object"} <= indexes()
