"""The database itself refuses to change a frozen report's copy (analytics_frozenreport), whatever the client:
UPDATE always, DELETE and TRUNCATE unless the test suite's maintenance switch (core.audit_guard) is on."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION bankdesk_frozen_report_unchanged() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('bankdesk.audit_maintenance', true), 'off') = 'on' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM analytics_frozenreport) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'a frozen report is never changed';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER analytics_frozenreport_unchanged
    BEFORE UPDATE OR DELETE ON analytics_frozenreport
    FOR EACH ROW EXECUTE FUNCTION bankdesk_frozen_report_unchanged();
    """,
    """
    CREATE TRIGGER analytics_frozenreport_no_truncate
    BEFORE TRUNCATE ON analytics_frozenreport
    FOR EACH STATEMENT EXECUTE FUNCTION bankdesk_frozen_report_unchanged();
    """,
]
SQLITE = [
    """
    CREATE TRIGGER analytics_frozenreport_no_update BEFORE UPDATE ON analytics_frozenreport
    BEGIN SELECT RAISE(ABORT, 'a frozen report is never changed'); END;
    """,
    """
    CREATE TRIGGER analytics_frozenreport_no_delete BEFORE DELETE ON analytics_frozenreport
    WHEN NOT bankdesk_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, 'a frozen report is never changed'); END;
    """,
]


def create_triggers(apps, schema_editor):
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS analytics_frozenreport_unchanged ON analytics_frozenreport",
                   "DROP TRIGGER IF EXISTS analytics_frozenreport_no_truncate ON analytics_frozenreport",
                   "DROP FUNCTION IF EXISTS bankdesk_frozen_report_unchanged()"],
    "sqlite": ["DROP TRIGGER IF EXISTS analytics_frozenreport_no_update",
               "DROP TRIGGER IF EXISTS analytics_frozenreport_no_delete"],
}


def drop_triggers(apps, schema_editor):
    """Unapplied (a migration test going back before it): the triggers go, so applying it again works."""
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_early_warnings"), ("core", "0003_audit_append_only_triggers")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
