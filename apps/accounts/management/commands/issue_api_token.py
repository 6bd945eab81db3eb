"""Print an API token for a user (ONLY the key on stdout, so scripts can capture it).

Minimal stand-in used by scripts/api_contract.sh; the auth work of issue 9 replaces it with
the in-app token model (expiry, revocation) under the same interface.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Issue (or reuse) an API token for USERNAME and print only its key."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
