"""`manage.py backup`: the database and the media in one checksummed folder (see apps/ops/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: online backup API) and the media files into "
        "one folder with manifest.json and SHA256SUMS. Safe while the app runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="Folder for the backups (default: CHUANGWEI_BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Keep only the newest N backups in the folder (default: CHUANGWEI_BACKUP_KEEP; 0 keeps all).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, keep=None, database="default", **options):
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more")
        try:
            folder = backup_create(
                output_dir=output or settings.BACKUP_DIR,
                keep=keep or None,
                using=database,
                progress=self.stdout.write,
            )
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(str(folder)))
