"""`manage.py restore BACKUP`: verify a backup, then replace the database and the media with it."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ops.backup import BackupError, backup_restore, backup_verify, restore_check


class Command(BaseCommand):
    help = (
        "Restore a backup folder written by `manage.py backup`: checks every checksum first, refuses another "
        "engine or newer code, replaces the database and MEDIA_ROOT, then verifies row counts and checksums. "
        "Stop the web server and workers first."
    )

    stealth_options = ("interactive",)

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup folder (chuangwei-backup-…).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--verify-only", action="store_true", help="Check the checksums and stop.")
        parser.add_argument(
            "--allow-connected",
            action="store_true",
            help="PostgreSQL: restore although other sessions are connected (idle ones hold no locks).",
        )
        parser.add_argument("--database", default="default")

    def handle(
        self, *args, backup: Path, yes=False, verify_only=False, allow_connected=False, database="default", **options
    ):
        try:
            manifest = backup_verify(backup, progress=self.stdout.write)
            self.stdout.write(
                f"Backup of {manifest['created_at']}: {manifest['database']['engine']}, "
                f"{sum(manifest['rows'].values())} rows, {len(manifest['files'])} files, all checksums match."
            )
            if verify_only:
                return
            restore_check(manifest, database)
            if not yes:
                if not options.get("interactive", True) or not self.stdin_is_tty():
                    raise CommandError("Restoring replaces the database and the media: pass --yes to confirm.")
                answer = input("This REPLACES the database and every media file. Type 'yes' to continue: ")
                if answer.strip() != "yes":
                    raise CommandError("Restore cancelled.")
            notes = backup_restore(
                folder=backup, using=database, allow_connected=allow_connected, progress=self.stdout.write
            )
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore stopped: {error}") from error
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    @staticmethod
    def stdin_is_tty() -> bool:
        return sys.stdin.isatty()
