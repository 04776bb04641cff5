"""Import complaint e-mails saved as .eml files (or folders of them): manage.py import_eml PATH..."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bankdesk.complaints.intake import email_intake


class Command(BaseCommand):
    help = ("Import .eml files as complaints (or as e-mails awaiting completion when they lack a phone number). "
            "A Message-ID already imported is skipped.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=".eml files, or folders whose *.eml files are imported")

    def handle(self, *args, paths, **options):
        try:
            actor = email_intake.intake_user()
        except email_intake.EmailIntakeError as error:
            raise CommandError(str(error)) from error
        failed = 0
        for path in self._files(paths):
            try:
                outcome = email_intake.import_message(path.read_bytes(), actor=actor)
            except email_intake.EmailIntakeError as error:
                raise CommandError(str(error)) from error
            except Exception as error:  # noqa: BLE001 - report and go on with the next file
                failed += 1
                self.stderr.write(f"{path}: FAILED: {error}")
                continue
            if not outcome.created:
                self.stdout.write(f"{path}: already imported (e-mail #{outcome.inbound.pk}), nothing new")
            elif outcome.complaint is not None:
                self.stdout.write(f"{path}: registered {outcome.complaint.tracking_number}")
            else:
                self.stdout.write(f"{path}: needs completion (e-mail #{outcome.inbound.pk}): "
                                  f"{outcome.inbound.review_reason}")
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported")

    @staticmethod
    def _files(paths):
        for name in paths:
            path = Path(name)
            if path.is_dir():
                yield from sorted(path.glob("*.eml"))
            elif path.is_file():
                yield path
            else:
                raise CommandError(f"{name}: no such file or folder")
