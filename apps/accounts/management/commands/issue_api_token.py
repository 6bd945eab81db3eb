"""`manage.py issue_api_token USERNAME [--days N] [--name TEXT]`: prints only the key.

For scripts and CI (the API contract test reads the key from stdout). The issue is audited
like one made on the page, with "system" as the actor.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.accounts import services
from apps.accounts.models import User
from apps.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Issue an API token to USERNAME and print only its key."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="days until it expires (default: settings)")
        parser.add_argument("--name", default="manage.py issue_api_token", help="what the token is for")

    def handle(self, *args, username, days, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username!r}")
        try:
            _token, key = services.api_token_issue(actor=None, owner=user, name=name, days=days)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(key)
