"""`flush` that may empty the audit table: Django's own, inside the audit maintenance switch.

Only tests (pytest-django's transactional tests reset the database with `flush`) and people
starting a database over use it; without the switch the audit table's trigger refuses the
TRUNCATE (PostgreSQL) or DELETE (SQLite) and the flush fails.
"""

from django.core.management.commands import flush

from apps.core.audit_guard import audit_maintenance


class Command(flush.Command):
    def handle(self, **options):
        with audit_maintenance(using=options["database"]):
            return super().handle(**options)
