from django.core.management import call_command
from django.core.management.base import BaseCommand

from bankdesk.complaints.demo import load_demo_complaints
from bankdesk.core import rules
from bankdesk.core.services import seed_calendar_from_package
from bankdesk.orgs.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo bank (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        rules.ensure_defaults()
        seed_calendar_from_package()
        logins = load_demo()
        call_command("load_knowledge", owner="admin", stdout=self.stdout)
        made = load_demo_complaints()
        if made:
            self.stdout.write(f"演示投诉 / demo complaints: {made}")
        self.stdout.write("\nBankDesk 演示账号 / demo logins (password 密码: %s)" % DEMO_PASSWORD)
        for username, name, role in logins:
            self.stdout.write(f"  {username:<14} {name:<8} {role}")
        self.stdout.write("")
