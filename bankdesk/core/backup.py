"""Backups that can be restored and checked.

A backup is one data file and a manifest beside it (`bankdesk-<UTC time>.sqlite3` or `.pgdump`, and
`bankdesk-<UTC time>.manifest.json`): the engine, the migrations applied, and for every table its
row count and a SHA-256 of its rows read in primary-key order. `restore` refuses a database that
already holds tables (unless forced), restores, computes the same figures on what it restored and
reports every difference.

Consistency while the servers write:
- SQLite: the online backup API copies the whole database in one step under one read transaction
  (WAL lets writers go on meanwhile), and the manifest is computed on the copy.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump (custom format) dumps that
  snapshot and the manifest is computed inside the same transaction.

The field-encryption key is not in the backup: the personal data in it cannot be read without the
key, and a key kept beside the data would protect nothing. The manifest names the key by its
fingerprint; `include_key` writes a copy into a separate file, for the operator to move away.
"""

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from bankdesk.core import pii

MANIFEST_FORMAT = 1
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
KEY_NOTE = ("The field-encryption key is NOT in this backup: personal data (phone, ID and account numbers) in it "
            "cannot be read without the key whose fingerprint is given. Keep that key in the bank's key management.")
PG_CONNINFO_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "options", "application_name",
                       "connect_timeout", "service", "passfile", "target_session_attrs")
PG_READ_SETTINGS = ("SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
                    "SET extra_float_digits = 3", "SET bytea_output = 'hex'")


class BackupError(Exception):
    """The backup or restore could not be done (a tool missing or failing, a target not empty)."""


@dataclass
class Backup:
    path: Path
    manifest_path: Path
    manifest: dict
    key_path: Path | None = None


@dataclass
class RestoreReport:
    target: str
    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)  # the restored data differs from the manifest
    warnings: list[str] = field(default_factory=list)  # restored as in the manifest, but act on these

    @property
    def ok(self) -> bool:
        return not self.problems


# --- backup ---------------------------------------------------------------------------------------------------------

def default_directory() -> Path:
    return Path(os.environ.get("BANKDESK_BACKUP_DIR") or settings.VAR_DIR / "backups")


def create_backup(directory: Path | None = None, *, include_key: bool = False, using: str = "default",
                  now: datetime | None = None) -> Backup:
    connection = connections[using]
    engine = _engine(connection.vendor)
    now = now or datetime.now(timezone.utc)
    directory = Path(directory or default_directory())
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = _free_name(directory, now, SUFFIXES[engine])
    partial = path.with_name(path.name + ".partial")
    try:
        if engine == "sqlite":
            tables, migrations = _backup_sqlite(connection, partial)
        else:
            tables, migrations = _backup_postgresql(connection.settings_dict, partial)
        partial.chmod(0o600)  # complaint texts and names are in clear: only the operator reads backups
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    manifest = {
        "format": MANIFEST_FORMAT, "engine": engine, "file": path.name, "file_sha256": _file_sha256(path),
        "created_at": now.isoformat(timespec="seconds"),
        "migrations": migrations, "tables": tables,
        "field_key": {"fingerprint": pii.key_fingerprint(settings.FIELD_ENCRYPTION_KEY), "included": include_key,
                      "note": KEY_NOTE},
    }
    key_path = None
    if include_key:
        key_path = path.with_suffix(".field_key")
        _write_secret(key_path, _encoded_key())
        manifest["field_key"]["file"] = key_path.name
        manifest["field_key"]["note"] = (f"A copy of the field-encryption key is in {key_path.name}: move it to the "
                                         "bank's key management, away from the database backups.")
    manifest_path = manifest_path_for(path)
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return Backup(path, manifest_path, manifest, key_path)


def manifest_path_for(path: Path) -> Path:
    return path.with_suffix(".manifest.json")


def _engine(vendor: str) -> str:
    if vendor not in SUFFIXES:
        raise BackupError(f"backups of {vendor} databases are not supported: use the database's own tools")
    return vendor


def _free_name(directory: Path, now: datetime, suffix: str) -> Path:
    stem = f"bankdesk-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    path, number = directory / f"{stem}{suffix}", 1
    while path.exists() or manifest_path_for(path).exists():
        number += 1
        path = directory / f"{stem}-{number}{suffix}"
    return path


def _encoded_key() -> str:
    return base64.b64encode(settings.FIELD_ENCRYPTION_KEY).decode() + "\n"


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _backup_sqlite(connection, path: Path) -> tuple[dict, dict]:
    """One step of the online backup API: a consistent copy however busy the writers are."""
    if connection.in_atomic_block:
        raise BackupError("a backup cannot be taken inside a transaction of the same connection")
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    with closing(sqlite3.connect(path)) as copy:
        return sqlite_figures(copy)


def _backup_postgresql(settings_dict: dict, path: Path) -> tuple[dict, dict]:
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    with closing(psycopg.connect(**_pg_params(settings_dict))) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}",
                  f"--dbname={_pg_conninfo(settings_dict)}"], settings_dict)
            return postgresql_figures(conn)


# --- restore --------------------------------------------------------------------------------------------------------

def restore_backup(path: Path, *, force: bool = False, target: str | None = None,
                   using: str = "default") -> RestoreReport:
    """Restore `path` into the configured database (or `target`: a file for SQLite, a URL for PostgreSQL),
    then compare what is there with the manifest."""
    path = Path(path)
    if path.name.endswith(".manifest.json"):
        manifest_path = path
        path = path.with_name(json.loads(path.read_text())["file"])
    else:
        manifest_path = manifest_path_for(path)
    if not manifest_path.exists():
        raise BackupError(f"{manifest_path.name} is missing: a backup is not restored without its manifest")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{manifest_path.name}: manifest format {manifest.get('format')} is not known")
    if _file_sha256(path) != manifest["file_sha256"]:
        raise BackupError(f"{path.name} is not the file its manifest describes (damaged or replaced)")
    settings_dict = connections[using].settings_dict
    if not target:
        connections[using].close()  # the configured database is replaced under this process's connection
    if manifest["engine"] == "sqlite":
        target_name = target or settings_dict["NAME"]
        tables, migrations, integrity = _restore_sqlite(path, Path(target_name), force)
    else:
        if target:
            settings_dict = dj_database_url.parse(target)
        target_name = f"{settings_dict.get('HOST') or 'localhost'}/{settings_dict['NAME']}"
        tables, migrations, integrity = _restore_postgresql(path, settings_dict, force)
    report = RestoreReport(str(target_name))
    report.problems = compare(manifest, tables, migrations) + integrity
    report.tables, report.rows = len(tables), sum(table["rows"] for table in tables.values())
    report.warnings = _warnings(manifest, migrations)
    return report


def _restore_sqlite(path: Path, target: Path, force: bool) -> tuple[dict, dict, list[str]]:
    if str(target).startswith(":memory:") or "mode=memory" in str(target):
        raise BackupError("restore into a database file, not an in-memory database")
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(target)) as existing:
        if not force and _sqlite_tables(existing):
            raise BackupError(f"{target} already holds tables: restore into an empty database, or give --force")
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as restored:
        source.backup(restored)
    with closing(sqlite3.connect(target)) as restored:
        restored.execute("PRAGMA journal_mode=WAL")
        check = [row[0] for row in restored.execute("PRAGMA integrity_check")]
        tables, migrations = sqlite_figures(restored)
    return tables, migrations, [] if check == ["ok"] else [f"integrity check: {'; '.join(check[:5])}"]


def _restore_postgresql(path: Path, settings_dict: dict, force: bool) -> tuple[dict, dict, list[str]]:
    import psycopg

    pg_restore = _pg_tool("pg_restore")
    with closing(psycopg.connect(**_pg_params(settings_dict), autocommit=True)) as conn:
        existing = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
        ).fetchone()[0]
    if existing and not force:
        raise BackupError(f"{settings_dict['NAME']} already holds {existing} tables and sequences: restore into an "
                          "empty database, or give --force")
    _run([pg_restore, "--single-transaction", "--exit-on-error", *(["--clean", "--if-exists"] if existing else []),
          f"--dbname={_pg_conninfo(settings_dict)}", str(path)], settings_dict)
    with closing(psycopg.connect(**_pg_params(settings_dict))) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            tables, migrations = postgresql_figures(conn)
    return tables, migrations, []


def compare(manifest: dict, tables: dict, migrations: dict) -> list[str]:
    """Every difference between a manifest and the figures of a database, one line each."""
    problems = []
    expected = manifest["tables"]
    for name in sorted(set(expected) - set(tables)):
        problems.append(f"table {name} is missing")
    for name in sorted(set(tables) - set(expected)):
        problems.append(f"table {name} is not in the backup")
    for name in sorted(set(expected) & set(tables)):
        if tables[name]["rows"] != expected[name]["rows"]:
            problems.append(f"table {name}: {tables[name]['rows']} rows, the backup has {expected[name]['rows']}")
        elif tables[name]["sha256"] != expected[name]["sha256"]:
            problems.append(f"table {name}: the rows differ from the backup's (checksum)")
    if migrations != manifest["migrations"]:
        problems.append("the applied migrations differ from the backup's")
    return problems


def _warnings(manifest: dict, migrations: dict) -> list[str]:
    warnings = []
    if manifest["field_key"]["fingerprint"] != pii.key_fingerprint(settings.FIELD_ENCRYPTION_KEY):
        warnings.append(f"the configured BANKDESK_FIELD_KEY is not the key of this backup (fingerprint "
                        f"{manifest['field_key']['fingerprint']}): personal data cannot be read until that key is set")
    applied = {(app, name) for app, names in migrations.items() for name in names}
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if on_disk - applied:
        warnings.append(f"{len(on_disk - applied)} migrations of this code are not applied: run manage.py migrate")
    unknown = {(app, name) for app, name in applied - on_disk if app in {a for a, _n in on_disk}}
    if unknown:
        warnings.append(f"the backup was taken by newer code ({len(unknown)} migrations this code does not have): "
                        "restore it with the release that took it")
    return warnings


# --- figures: row counts and checksums ------------------------------------------------------------------------------

def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest_rows(rows) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(row.encode() + b"\n")
        count += 1
    return count, digest.hexdigest()


def _sqlite_tables(conn) -> list[str]:
    """Ordinary tables; FTS5 virtual tables are left out, their shadow tables hold (and check) the data."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                        "ESCAPE '\\' ORDER BY name").fetchall()
    return [name for name, sql in rows if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]


def sqlite_figures(conn) -> tuple[dict, dict]:
    """Per-table row counts and checksums, and the applied migrations, of an SQLite database (sqlite3 connection).

    Each row is printed by SQL (`quote()` of every column: type-exact, and untouched by the type
    converters a connection such as Django's may have), so any connection gives the same figures.
    """
    tables = {}
    for name in _sqlite_tables(conn):
        info = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
        key = [column[1] for column in sorted(info, key=lambda column: column[5]) if column[5]]
        order = ", ".join(_quote(column) for column in key) or "rowid"
        text = " || char(9) || ".join(f"quote({_quote(column[1])})" for column in info)
        rows = (row[0] for row in conn.execute(f"SELECT {text} FROM {_quote(name)} ORDER BY {order}"))
        count, checksum = _digest_rows(rows)
        tables[name] = {"rows": count, "sha256": checksum}
    return tables, _migrations(conn.execute, "django_migrations" in tables)


def postgresql_figures(conn) -> tuple[dict, dict]:
    """The same for PostgreSQL (a psycopg connection inside a transaction): rows as the server prints them."""
    for statement in PG_READ_SETTINGS:
        conn.execute(statement)
    names = [row[0] for row in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.relname")]
    tables = {}
    for name in names:
        key = [row[0] for row in conn.execute(
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY k.ord", [_quote(name)])]
        order = ", ".join(_quote(column) for column in key) or "t::text"
        with conn.cursor(name=f"figures_{len(tables)}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f"SELECT t::text FROM {_quote(name)} AS t ORDER BY {order}")
            count, checksum = _digest_rows(row[0] for row in cursor)
        tables[name] = {"rows": count, "sha256": checksum}
    return tables, _migrations(conn.execute, "django_migrations" in tables)


def _migrations(execute, present: bool) -> dict:
    applied = {}
    if present:
        for app, name in execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall():
            applied.setdefault(app, []).append(name)
    return applied


# --- PostgreSQL tools -----------------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore from BANKDESK_PG_BIN (e.g. /usr/lib/postgresql/16/bin) or PATH: the server's version."""
    directory = os.environ.get("BANKDESK_PG_BIN", "")
    found = shutil.which(name, path=directory or None)
    if not found:
        raise BackupError(f"{name} not found{' in ' + directory if directory else ' on PATH'}: install the PostgreSQL "
                          "client of the server's version or set BANKDESK_PG_BIN")
    return found


def _pg_params(settings_dict: dict) -> dict:
    options = settings_dict.get("OPTIONS") or {}
    params = {"dbname": settings_dict["NAME"], "user": settings_dict.get("USER"),
              "password": settings_dict.get("PASSWORD"), "host": settings_dict.get("HOST"),
              "port": settings_dict.get("PORT"),
              **{key: options[key] for key in PG_CONNINFO_OPTIONS if key in options}}
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _pg_conninfo(settings_dict: dict) -> str:
    """The connection string for the tools, without the password (given through PGPASSWORD, not the command line)."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(**{key: value for key, value in _pg_params(settings_dict).items() if key != "password"})


def _run(command: list[str], settings_dict: dict) -> None:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    with tempfile.TemporaryFile() as errors:
        finished = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=errors, check=False)
        if finished.returncode:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"{Path(command[0]).name} failed ({finished.returncode}): {message[-2000:]}")
