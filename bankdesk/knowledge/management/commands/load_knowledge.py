from django.core.management.base import BaseCommand, CommandError

from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.knowledge import importer
from bankdesk.knowledge.models import Case, CaseLibrary, ImportRun
from bankdesk.orgs.models import User


class Command(BaseCommand):
    help = "Import both case libraries and the FAQ articles (idempotent), printing the import report."

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="admin", help="User who owns the FAQ articles and runs the import")
        parser.add_argument("--again", action="store_true", help="Import libraries that are already loaded again")

    def handle(self, *args, owner, again, **options):
        user = User.objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"No user named {owner!r}; pass --owner with an administrator's user name.")
        with audit.audit_context(actor=user, source=AuditSource.IMPORT):
            for library in (CaseLibrary.SERVICE, CaseLibrary.MANAGEMENT):
                if not again and Case.objects.filter(library=library).exists():
                    continue
                run = importer.import_cases(ImportRun.objects.create(library=library, started_by=user))
                self.stdout.write(f"{run.get_library_display()}: {run.cases_imported} cases, "
                                  f"{len(run.report)} report items")
            self.stdout.write(f"FAQ articles created: {importer.load_articles(user)}")
