from django.core.management.base import BaseCommand

from apps.accounts.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, scope in demo_accounts():
            self.stdout.write(f"  {username:<10} {role:<12} {scope}")
