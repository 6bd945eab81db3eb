"""manage.py rollups refresh|rebuild|check [--source KEY] [--repair]: the apps' record rollups
(apps/core/rollups.py; the case statistics have their own command, cases_rollups)."""

from django.core.management.base import BaseCommand, CommandError

from apps.core import rollups


class Command(BaseCommand):
    help = (
        "Bring the record rollups (activities, pest control …) up to date, rebuild them, "
        "or check them against the records."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "rebuild", "check"])
        parser.add_argument("--source", action="append", help="only this rollup (repeatable); default: every one")
        parser.add_argument("--repair", action="store_true", help="check: rebuild a rollup that differs")

    def handle(self, *args, action, source=None, repair=False, **options):
        known = rollups.record_rollups()
        keys = source or sorted(known)
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise CommandError(f"unknown rollup {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        differing = []
        for key in keys:
            if action == "refresh":
                consumed = rollups.rollup_refresh(key)
                if consumed is None:
                    raise CommandError(f"another process is refreshing the {key} rollup right now")
                self.stdout.write(f"{key}: {consumed} changes applied")
            elif action == "rebuild":
                self.stdout.write(f"{key}: {rollups.rollup_rebuild(key)} entries written")
            else:
                mismatches = rollups.rollup_check(key, repair=repair)
                if mismatches:
                    differing.append(key)
                    verb = "rebuilt" if repair else "differ"
                    self.stdout.write(f"{key}: {mismatches} totals {verb}")
                else:
                    self.stdout.write(f"{key}: matches the records")
        if differing and not repair:
            raise CommandError(f"rollups differ from the records: {', '.join(differing)} (run with --repair)")
