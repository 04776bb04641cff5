import base64
import json
import shutil
import sqlite3
import stat
import threading
from contextlib import closing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.core import backup, pii


def source_figures() -> tuple[dict, dict]:
    """The figures of the test database read directly, not through the backup."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return backup.sqlite_figures(connection.connection)
    import psycopg

    with closing(psycopg.connect(**backup._pg_params(connection.settings_dict))) as conn, conn.transaction():
        return backup.postgresql_figures(conn)


@pytest.fixture
def targets(tmp_path, request):
    """Empty databases to restore into: SQLite files, or new PostgreSQL databases dropped afterwards."""
    if connection.vendor == "sqlite":
        files = iter(range(100))
        yield lambda: str(tmp_path / f"restored-{next(files)}.sqlite3")
        return
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore not on PATH (install postgresql-client of the server's major version)")
    import psycopg

    params = backup._pg_params(connection.settings_dict)
    made = []

    def admin():
        return psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True)

    def make():
        name = f"{params['dbname']}_restore_{len(made)}"
        with closing(admin()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        user = params.get("user", "")
        auth = f"{user}:{params['password']}@" if params.get("password") else f"{user}@" if user else ""
        return f"postgres://{auth}{params.get('host', 'localhost')}:{params.get('port', 5432)}/{name}"

    yield make
    with closing(admin()) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_registered(target: str) -> tuple[int, int]:
    """Complaints and their registration events in a restored database."""
    sql = ("SELECT (SELECT count(*) FROM complaints_complaint), "
           "(SELECT count(*) FROM core_auditevent WHERE action = 'complaint.register')")
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(target)) as conn:
            return conn.execute(sql).fetchone()
    import psycopg

    with closing(psycopg.connect(target)) as conn:
        return conn.execute(sql).fetchone()


def test_restore_into_an_empty_database_gives_the_source_figures(committed_db, desk, registration, tmp_path,
                                                                 targets):
    for phone in ("13912345678", "13700001111"):
        register_complaint(desk.agent, registration(phone=phone))
    made = backup.create_backup(tmp_path / "backups")
    tables, migrations = source_figures()
    assert made.manifest["tables"] == tables and made.manifest["migrations"] == migrations
    assert made.manifest["tables"]["complaints_complaint"]["rows"] == 2
    assert made.manifest["engine"] == connection.vendor and made.path.name.startswith("bankdesk-")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600

    target = targets()
    report = backup.restore_backup(made.path, target=target)

    assert report.ok, report.problems
    assert report.tables == len(tables) and report.rows == sum(table["rows"] for table in tables.values())
    assert count_registered(target) == (2, 2)
    assert report.warnings == []


def test_restore_refuses_a_database_with_tables_unless_forced_and_a_damaged_file(committed_db, desk, tmp_path,
                                                                                  targets):
    made = backup.create_backup(tmp_path)
    target = targets()
    assert backup.restore_backup(made.path, target=target).ok
    with pytest.raises(backup.BackupError, match="already holds"):
        backup.restore_backup(made.path, target=target)
    assert backup.restore_backup(made.path, target=target, force=True).ok

    with made.path.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(backup.BackupError, match="not the file its manifest describes"):
        backup.restore_backup(made.path, target=target, force=True)


def test_restore_reports_what_does_not_match_the_manifest(committed_db, desk, tmp_path, targets, capsys):
    call_command("backup", output_dir=tmp_path)
    manifest_path = next(tmp_path.glob("*.manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    units = manifest["tables"]["orgs_orgunit"]["rows"]
    manifest["tables"]["orgs_orgunit"]["rows"] += 1
    manifest["tables"]["orgs_user"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError) as raised:
        call_command("restore", str(manifest_path), target=targets())
    assert f"table orgs_orgunit: {units} rows, the backup has {units + 1}" in str(raised.value)
    assert "table orgs_user: the rows differ" in str(raised.value)


def test_the_field_key_is_kept_apart_from_the_data(committed_db, desk, tmp_path, settings, targets, capsys):
    encoded = base64.b64encode(settings.FIELD_ENCRYPTION_KEY).decode()
    call_command("backup", output_dir=tmp_path / "plain")
    assert "field key NOT included" in capsys.readouterr().err
    assert [path.suffix for path in sorted((tmp_path / "plain").iterdir())] == [".json", backup.SUFFIXES[
        connection.vendor]]
    manifest_path = next((tmp_path / "plain").glob("*.manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    assert manifest["field_key"]["included"] is False
    assert manifest["field_key"]["fingerprint"] == pii.key_fingerprint(settings.FIELD_ENCRYPTION_KEY)
    assert encoded not in manifest_path.read_text()

    made = backup.create_backup(tmp_path / "with_key", include_key=True)
    assert made.key_path.read_text().strip() == encoded
    assert stat.S_IMODE(made.key_path.stat().st_mode) == 0o600
    assert made.manifest["field_key"]["file"] == made.key_path.name

    settings.FIELD_ENCRYPTION_KEY = bytes(32)
    report = backup.restore_backup(made.path, target=targets())
    assert report.ok and "not the key of this backup" in report.warnings[0]


def test_backup_inside_a_transaction_is_refused(db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("pg_dump reads through its own connection")
    with pytest.raises(backup.BackupError, match="inside a transaction"):
        backup.create_backup(tmp_path)


def test_a_backup_taken_while_complaints_are_registered_is_consistent(shared_db, desk, registration, tmp_path,
                                                                     targets):
    """A writer thread registers complaints (each with its audit event) while backups are taken through
    another connection: every backup restores to exactly its manifest, and holds whole registrations."""
    stop, written, failures = threading.Event(), [], []

    def write():
        with shared_db.connection():
            try:
                while not stop.is_set():
                    register_complaint(desk.agent, registration(phone=f"139{len(written):08d}"))
                    written.append(1)
            except Exception as error:  # reported by the test below, not lost in the thread
                failures.append(error)

    def wait_for(count):
        while len(written) < count and not failures:
            stop.wait(0.01)

    writer = threading.Thread(target=write)
    with shared_db.connection():
        writer.start()
        try:
            backups = []
            for round_number in range(3 if connection.vendor == "sqlite" else 1):
                wait_for(len(written) + 3)
                backups.append((len(written), backup.create_backup(tmp_path / "backups")))
            wait_for(len(written) + 2)
        finally:
            stop.set()
            writer.join()
    assert not failures, failures
    for seen_before, made in backups:
        target = targets()
        report = backup.restore_backup(made.path, target=target)
        assert report.ok, report.problems
        complaints, registered = count_registered(target)
        assert complaints == registered == made.manifest["tables"]["complaints_complaint"]["rows"]
        assert seen_before <= complaints < len(written)
