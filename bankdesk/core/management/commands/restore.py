from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bankdesk.core import backup as backups


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into an empty database (the configured one, or --target) "
            "and check it against its manifest: row counts and checksums of every table, the migrations applied.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup file (or its .manifest.json)")
        parser.add_argument("--target", help="SQLite: a database file; PostgreSQL: a postgres:// URL "
                                             "(default: the configured database)")
        parser.add_argument("--force", action="store_true", help="Restore over a database that holds tables")
        parser.add_argument("--database", default="default")

    def handle(self, *args, backup: Path, target, force, database, **options):
        try:
            report = backups.restore_backup(backup, force=force, target=target, using=database)
        except (backups.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {backup} into {report.target}: {report.tables} tables, {report.rows} rows")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if not report.ok:
            raise CommandError("the restored database does not match the backup's manifest:\n  "
                               + "\n  ".join(report.problems))
        self.stdout.write(self.style.SUCCESS("checked: every table's row count and checksum match the manifest"))
