from django.core.management.base import BaseCommand

from apps.demo.services import demo_build
from apps.organization.models import Jurisdiction


class Command(BaseCommand):
    help = "Build the demo street: organisation, accounts, six weeks of cases and two months of inspections."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when jurisdictions already exist.")

    def handle(self, *args, if_empty=False, **options):
        if Jurisdiction.objects.exists():
            if if_empty:
                return
            self.stderr.write("The database already holds jurisdictions; the demo needs an empty database.")
            raise SystemExit(1)
        demo = demo_build()
        self.stdout.write(
            f"Demo built: {len(demo.communities)} communities, {len(demo.estates)} resident groups, "
            f"{len(demo.units)} units."
        )
