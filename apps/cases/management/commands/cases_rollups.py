"""manage.py cases_rollups refresh|rebuild|check [--since YYYY-MM]: the case statistics' rollups."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.cases import rollups


class Command(BaseCommand):
    help = (
        "Bring the case statistics' rollups up to date, rebuild them from the cases, or check them against the cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "rebuild", "check"])
        parser.add_argument("--since", help="check: only months from this one on (YYYY-MM)")
        parser.add_argument("--repair", action="store_true", help="check: rebuild when a difference is found")

    def handle(self, *args, action, since=None, repair=False, **options):
        if action == "refresh":
            consumed = rollups.rollups_refresh()
            if consumed is None:
                raise CommandError("another process is refreshing the case rollups right now")
            self.stdout.write(f"{consumed} changes applied")
        elif action == "rebuild":
            self.stdout.write(f"{rollups.rollups_rebuild()} rollup rows written")
        else:
            first = None
            if since:
                try:
                    year, month = (int(part) for part in since.split("-"))
                    first = date(year, month, 1)
                except ValueError as error:
                    raise CommandError("--since must be YYYY-MM") from error
            problems = rollups.rollups_check(since=first)
            for problem in problems[:50]:
                self.stdout.write(problem)
            if problems and repair:
                self.stdout.write(f"{len(problems)} differences: rebuilding")
                rollups.rollups_rebuild()
            elif problems:
                raise CommandError(f"{len(problems)} differences between the rollups and the cases")
            else:
                self.stdout.write("rollups match the cases")
