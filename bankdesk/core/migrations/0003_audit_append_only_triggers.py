"""The database itself refuses UPDATE and DELETE on the audit trail, whatever the client.

The one exception is an explicit maintenance switch (core.audit_guard), which only the test
suite turns on, to empty its own throw-away database between tests.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION bankdesk_audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('bankdesk.audit_maintenance', true), 'off') = 'on' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM core_auditevent) THEN
            RETURN NULL;  -- emptying an empty trail loses nothing
        END IF;
        RAISE EXCEPTION 'core_auditevent is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION bankdesk_audit_append_only();
    """,
    """
    CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION bankdesk_audit_append_only();
    """,
]
SQLITE = [
    """
    CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END;
    """,
    """
    CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    WHEN NOT bankdesk_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END;
    """,
]


def create_triggers(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
