"""Fetch unseen mail from the complaints mailbox (IMAP) and import it: manage.py poll_mailbox [--once]."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from bankdesk.complaints.intake import email_intake

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Import unseen mail of the IMAP folder (BANKDESK_IMAP_HOST, _PORT, _USER, _PASSWORD, _FOLDER); a mail "
            "is flagged Seen only after it is imported. Runs until stopped, or once with --once.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="poll once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between polls (default 60)")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            try:
                result = self._poll_once()
            except email_intake.EmailIntakeError as error:
                raise CommandError(str(error)) from error
            except Exception as error:  # noqa: BLE001 - the server may be away for a while
                if once:
                    raise CommandError(f"E-mail intake: polling failed: {error}") from error
                logger.exception("E-mail intake: polling failed; trying again in %s s", interval)
            if once:
                if result.failed:
                    raise CommandError(f"{result.failed} mail(s) could not be imported; they stay unseen")
                return
            time.sleep(max(1, interval))

    def _poll_once(self):
        client = email_intake.open_mailbox()
        try:
            result = email_intake.poll_mailbox(client)
        finally:
            try:
                client.logout()
            except Exception:  # noqa: BLE001 - the connection may already be gone
                pass
        self.stdout.write(f"imported {result.imported} (registered: {', '.join(result.complaints) or '-'}; "
                          f"needing completion: {result.needs_review}), already imported {result.duplicates}, "
                          f"failed {result.failed}")
        if result.failed:
            self.stderr.write(f"{result.failed} mail(s) could not be imported; they stay unseen and are tried again")
        return result
