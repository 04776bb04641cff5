from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bankdesk.core import audit, key_rotation, pii
from bankdesk.core.models import AuditSource
from bankdesk.secrets import decode_field_key


class Command(BaseCommand):
    help = ("Re-encrypt every personal-data field and recompute every blind index under a new field key. "
            "Without --new-key-file the new key is BANKDESK_FIELD_KEY and the old ones BANKDESK_FIELD_KEY_PREVIOUS "
            "(the servers keep running); with it, the servers must be stopped. Safe to stop and run again.")

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", type=Path,
                            help="File holding the new key (32 bytes, base64); the configured keys become the old")
        parser.add_argument("--batch-size", type=int, default=key_rotation.BATCH_SIZE)

    def handle(self, *args, new_key_file, batch_size, verbosity, **options):
        configured = [settings.FIELD_ENCRYPTION_KEY, *settings.FIELD_ENCRYPTION_PREVIOUS_KEYS]
        if new_key_file:
            try:
                new_key = decode_field_key(new_key_file.read_text(), str(new_key_file))
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
            old_keys = configured
        else:
            new_key, old_keys = configured[0], configured[1:]
            if not old_keys:
                raise CommandError("Nothing to rotate: give --new-key-file, or set BANKDESK_FIELD_KEY to the new key "
                                   "and BANKDESK_FIELD_KEY_PREVIOUS to the old one.")
        self.stdout.write(f"rotating to key {pii.key_fingerprint(new_key)} "
                          f"from {', '.join(pii.key_fingerprint(key) for key in old_keys)}")

        def progress(label, rotated, skipped):
            if verbosity > 1:
                self.stdout.write(f"  {label}: {rotated} rotated, {skipped} already on the new key")

        with audit.audit_context(source=AuditSource.SYSTEM):
            try:
                report = key_rotation.rotate(new_key, old_keys, batch_size=batch_size, progress=progress)
            except key_rotation.RotationError as error:
                raise CommandError(f"{error}. Batches before it are rotated; give the missing key and run again.") \
                    from error
        for label in report.rotated:
            self.stdout.write(f"{label}: {report.rotated[label]} rotated, "
                              f"{report.skipped[label]} already on the new key")
        self.stdout.write(self.style.SUCCESS(
            f"done: {report.total_rotated} rows rotated. Now run every server with only the new key "
            "(BANKDESK_FIELD_KEY=new, no BANKDESK_FIELD_KEY_PREVIOUS); keep the old key as long as backups "
            "taken before today are kept."))
