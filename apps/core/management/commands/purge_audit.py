"""Delete audit events older than the retention period (at least 180 days); see README."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import DomainError
from apps.core.services import audit_purge, audit_retention_days


class Command(BaseCommand):
    help = (
        "Delete the audit events that occurred before --before (YYYY-MM-DD). Refuses a date inside the "
        "retention period (CHUANGWEI_AUDIT_RETENTION_DAYS, never under 180 days) and records the purge "
        "as an audit event itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="Cut-off date, YYYY-MM-DD (local time).")

    def handle(self, *args, before: str, **options):
        try:
            cutoff = date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(f"--before must be a date YYYY-MM-DD, not {before!r}") from error
        try:
            count = audit_purge(before=cutoff)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"Deleted {count} audit events before {cutoff.isoformat()} (retention {audit_retention_days()} days)."
        )
