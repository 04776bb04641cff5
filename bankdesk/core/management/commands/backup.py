from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bankdesk.core import backup


class Command(BaseCommand):
    help = ("Back up the database into one file and a manifest (row counts and checksums per table), consistent "
            "while the servers write. The field-encryption key is not included unless --include-key.")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path,
                            help="Where to write (default BANKDESK_BACKUP_DIR, else BANKDESK_VAR_DIR/backups)")
        parser.add_argument("--include-key", action="store_true",
                            help="Also write the field-encryption key into a separate file (mode 600), to be moved "
                                 "to the bank's key management")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output_dir, include_key, database, **options):
        try:
            made = backup.create_backup(output_dir, include_key=include_key, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        tables = made.manifest["tables"]
        self.stdout.write(f"backup  {made.path}")
        self.stdout.write(f"manifest {made.manifest_path}: {len(tables)} tables, "
                          f"{sum(table['rows'] for table in tables.values())} rows")
        if made.key_path:
            self.stderr.write(self.style.WARNING(
                f"field key written to {made.key_path}: move it to the bank's key management, away from the "
                "backups (whoever holds both reads the personal data)"))
        else:
            self.stderr.write(self.style.WARNING(
                f"field key NOT included (fingerprint {made.manifest['field_key']['fingerprint']}): the personal data "
                "in this backup is readable only with BANKDESK_FIELD_KEY, which you back up separately"))
