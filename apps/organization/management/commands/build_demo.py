from django.core.management.base import BaseCommand

from apps.organization.demo import DemoBuilder
from apps.organization.models import Jurisdiction


class Command(BaseCommand):
    help = "Build the demo street (one district, 6 communities, 81 resident groups, ~300 units, accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when jurisdictions already exist.")

    def handle(self, *args, if_empty=False, **options):
        if Jurisdiction.objects.exists():
            if if_empty:
                return
            self.stderr.write("The database already holds jurisdictions; the demo needs an empty database.")
            raise SystemExit(1)
        result = DemoBuilder().build()
        self.stdout.write(
            f"Demo built: {len(result['communities'])} communities, {len(result['estates'])} resident groups, "
            f"{len(result['units'])} units."
        )
