"""Backups of the database and the media files, checked by checksums, and restoring one.

A backup is one folder per run, `chuangwei-backup-<UTC time>`, holding

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a copy
  made with SQLite's online backup API, consistent while the app writes);
- `media/`, a copy of MEDIA_ROOT (photos, generated documents, import files);
- `manifest.json`: format, when, the app's version and commit, Django's version, the database
  engine, the applied migrations per app, the row count of every model's table (counted in the
  same snapshot the dump was taken from) and every file's path, size and SHA-256;
- `SHA256SUMS`: the same checksums plus the manifest's, in `sha256sum -c` format, so a copy
  can be checked on any machine without Python.

The folder is written as `<name>.partial` and renamed when complete: a folder without the suffix
is a whole backup. Restoring checks every checksum before it touches anything, refuses a backup of
another engine or one made by newer code, and refuses to go back under a database that has
migrations the backup lacks; it then replaces the database and makes MEDIA_ROOT identical to the
backup's media, and counts the rows and checksums the media again against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from apps.core.storage import on_filesystem

FORMAT = 1
PREFIX = "chuangwei-backup-"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
PG_TIMEOUT = 6 * 3600  # seconds: pg_dump / pg_restore of a large database

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be made, or a backup may not be restored; the message says why."""


def _quiet(message: str) -> None:
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def model_tables() -> dict[str, str]:
    """{model label: table} of every table Django manages, many-to-many tables included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped:
            tables.setdefault(model._meta.label_lower, model._meta.db_table)
    return dict(sorted(tables.items()))


def count_rows(cursor, quote: Callable[[str], str], tables: dict[str, str], existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names from the models
            counts[label] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def app_version() -> dict[str, str]:
    """The deployment's version: CHUANGWEI_VERSION if set, and the git commit when there is one."""
    version = {"version": os.environ.get("CHUANGWEI_VERSION", "")}
    try:
        commit = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    version["commit"] = commit
    return version


def _pg_env(connection) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: no password on the command line."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connection.settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (postgresql-client of the server's version)") from error
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _check_client_version(program: str, connection) -> None:
    """pg_dump older than the server refuses to dump, and a dump from a newer pg_dump may not
    restore: say so plainly instead of pg_dump's own error."""
    try:
        output = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10, check=True).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{program} is not installed (postgresql-client of the server's version)") from error
    found = re.search(r"\(PostgreSQL\) (\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian …)" → 15
    if not found:
        return
    client = int(found.group(1))
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(f"{program} is version {client} and the server {server}: install postgresql-client-{server}")


def _dump_postgresql(connection, path: Path, progress: Progress) -> dict[str, int]:
    """pg_dump from an exported snapshot, and the row counts from that same snapshot."""
    if connection.in_atomic_block:
        raise BackupError("backup must run outside a transaction (it opens its own snapshot)")
    tables = model_tables()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        existing = set(connection.introspection.table_names(cursor))
        counts = count_rows(cursor, connection.ops.quote_name, tables, existing)
        _check_client_version("pg_dump", connection)
        progress(f"Dumping PostgreSQL database {connection.settings_dict['NAME']} (pg_dump -Fc)…")
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
            _pg_env(connection),
            "pg_dump",
        )
    return counts


def _dump_sqlite(connection, path: Path, progress: Progress) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while other processes write."""
    progress(f"Copying SQLite database {connection.settings_dict['NAME']} (online backup API)…")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step (all pages under one read snapshot): in WAL mode writers go on meanwhile, and
        # a stepwise copy would restart whenever another process writes.
        connection.connection.backup(target)
    finally:
        target.close()
    copy = sqlite3.connect(path)
    try:
        cursor = copy.cursor()
        existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return count_rows(cursor, connection.ops.quote_name, model_tables(), existing)
    finally:
        copy.close()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


def _file_entry(root: Path, path: Path) -> dict:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": sha256(path)}


def _write_sums(folder: Path, files: list[dict], manifest_sum: str) -> None:
    lines = [f"{entry['sha256']}  {entry['path']}" for entry in files]
    lines.append(f"{manifest_sum}  {MANIFEST}")
    (folder / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def backup_create(
    *, output_dir: Path, keep: int | None = None, using: str = DEFAULT_DB_ALIAS, progress: Progress = _quiet
) -> Path:
    """Write one backup folder under `output_dir`; with `keep`, delete all but the newest `keep`."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    name = f"{PREFIX}{created:%Y%m%dT%H%M%SZ}"
    suffix = 1
    while (output_dir / name).exists() or (output_dir / f"{name}.partial").exists():
        suffix += 1
        name = f"{PREFIX}{created:%Y%m%dT%H%M%SZ}-{suffix}"
    work = output_dir / f"{name}.partial"
    work.mkdir()
    try:
        database_file = work / DATABASE_FILE[connection.vendor]
        if connection.vendor == "postgresql":
            counts = _dump_postgresql(connection, database_file, progress)
        else:
            counts = _dump_sqlite(connection, database_file, progress)
        progress(f"  {sum(counts.values())} rows in {len(counts)} tables.")
        # Media after the database: every file the dump refers to existed before it was taken.
        media_root = Path(settings.MEDIA_ROOT)
        sources = _media_files(media_root) if on_filesystem() else []
        if not on_filesystem():
            # Uploads in object storage (CHUANGWEI_S3_BUCKET) are not copied here: the bucket is
            # backed up by the object store itself (versioning or replication; README).
            progress("Media are in object storage (CHUANGWEI_S3_BUCKET): not copied; back up the bucket itself.")
        progress(f"Copying {len(sources)} media files from {media_root}…")
        for source in sources:
            target = work / "media" / source.relative_to(media_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        progress("Checksumming…")
        files = [_file_entry(work, path) for path in [database_file, *_media_files(work / "media")]]
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "app": app_version(),
            "django": django.get_version(),
            "database": {"engine": connection.vendor, "file": database_file.name},
            "migrations": applied_migrations(connection),
            "rows": counts,
            "media_root": str(media_root),
            "media_in_object_storage": not on_filesystem(),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _write_sums(work, files, sha256(work / MANIFEST))
        work.rename(output_dir / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    folder = output_dir / name
    size = sum(entry["size"] for entry in files)
    progress(f"Backup written: {folder} ({len(files)} files, {size / 1024 / 1024:.1f} MiB).")
    if keep:
        for old in backups_prune(output_dir=output_dir, keep=keep):
            progress(f"Deleted old backup {old.name} (keeping the newest {keep}).")
    return folder


def backups_list(output_dir: Path) -> list[Path]:
    """Complete backups in `output_dir`, oldest first (names sort by time)."""
    if not Path(output_dir).is_dir():
        return []
    return sorted(
        p for p in Path(output_dir).iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
    )


def backups_prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups, and `.partial` folders a day old (a run
    that was killed; a failed run removes its own)."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    doomed = backups_list(output_dir)[:-keep]
    day_ago = timezone.now().timestamp() - 86400
    doomed += [p for p in Path(output_dir).glob(f"{PREFIX}*.partial") if p.is_dir() and p.stat().st_mtime < day_ago]
    for folder in doomed:
        shutil.rmtree(folder)
    return doomed


def backup_verify(folder: Path, progress: Progress = _quiet) -> dict:
    """Check the manifest against SHA256SUMS and every file against the manifest; return it."""
    folder = Path(folder)
    manifest_path, sums_path = folder / MANIFEST, folder / SUMS
    if not manifest_path.is_file() or not sums_path.is_file():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} or {SUMS} is missing")
    sums = {}
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        digest, _sep, name = line.partition("  ")
        sums[name] = digest
    if sums.get(MANIFEST) != sha256(manifest_path):
        raise BackupError(f"the backup is damaged: {MANIFEST} does not match its checksum in {SUMS}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"the backup is damaged: {MANIFEST} is not valid JSON") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this code reads format {FORMAT})")
    progress(f"Verifying {len(manifest['files'])} files of {folder.name}…")
    damaged = []
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.resolve().is_relative_to(folder.resolve()):
            raise BackupError(f"the backup is damaged: {entry['path']} points outside the backup")
        if not path.is_file():
            damaged.append(f"{entry['path']} is missing")
        elif path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            damaged.append(f"{entry['path']} does not match its checksum")
        elif sums.get(entry["path"]) != entry["sha256"]:
            damaged.append(f"{entry['path']} differs between {MANIFEST} and {SUMS}")
    if damaged:
        shown = "; ".join(damaged[:10]) + (f"; and {len(damaged) - 10} more" if len(damaged) > 10 else "")
        raise BackupError(f"the backup is damaged, nothing was restored: {shown}")
    return manifest


def restore_check(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Refuse what would silently go wrong; return notes for the operator."""
    connection = connections[using]
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"the backup is of a {engine} database and this one is {connection.vendor}: "
            "a backup restores only onto the same engine (move data between engines with dumpdata/loaddata)"
        )
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(in_backup - code_migrations())
    if unknown:
        raise BackupError(
            "the backup was made by newer code (migrations this code does not have: "
            + ", ".join(f"{a}.{n}" for a, n in unknown[:10])
            + "); deploy that version first"
        )
    current = {(app, name) for app, names in applied_migrations(connection).items() for name in names}
    newer = sorted(current - in_backup)
    if newer:
        raise BackupError(
            "this database has migrations the backup lacks ("
            + ", ".join(f"{a}.{n}" for a, n in newer[:10])
            + "); restoring would leave their tables behind. Restore into an empty database "
            "(point DATABASE_URL at a new one), then run `manage.py migrate`"
        )
    missing = sorted(code_migrations() - in_backup)
    if missing:
        return [f"The backup predates {len(missing)} migrations of this code: run `manage.py migrate` after restoring."]
    return []


def _restore_postgresql(connection, dump: Path, progress: Progress) -> None:
    progress(f"Restoring PostgreSQL database {connection.settings_dict['NAME']} (pg_restore --clean --if-exists)…")
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        _pg_env(connection),
        "pg_restore",
    )


def _restore_sqlite(connection, copy: Path, progress: Progress) -> None:
    """SQLite's backup API into the live file: replaces every page under a lock and keeps the
    WAL consistent, unlike copying a file over a database whose -wal file may still hold pages."""
    target_path = connection.settings_dict["NAME"]
    progress(f"Restoring SQLite database {target_path} (online backup API)…")
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=60)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_media(folder: Path, manifest: dict, progress: Progress) -> None:
    """Make MEDIA_ROOT identical to the backup's media: copy every file, delete the others."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    wanted = {entry["path"].removeprefix("media/") for entry in manifest["files"] if entry["path"].startswith("media/")}
    removed = 0
    for path in _media_files(media_root):
        if path.relative_to(media_root).as_posix() not in wanted:
            path.unlink()
            removed += 1
    progress(f"Restoring {len(wanted)} media files into {media_root} ({removed} files not in the backup removed)…")
    for relative in sorted(wanted):
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / "media" / relative, target)


def restore_verify(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Differences between the restored database and media and the manifest (none: restored)."""
    connection = connections[using]
    problems = []
    tables = {label: table for label, table in model_tables().items() if label in manifest["rows"]}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = count_rows(cursor, connection.ops.quote_name, tables, existing)
    for label, expected in manifest["rows"].items():
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows, the backup has {expected}")
    media_root = Path(settings.MEDIA_ROOT)
    for entry in manifest["files"] if on_filesystem() else []:
        if entry["path"].startswith("media/"):
            path = media_root / entry["path"].removeprefix("media/")
            if not path.is_file() or sha256(path) != entry["sha256"]:
                problems.append(f"{entry['path']} does not match its checksum")
    return problems


def backup_restore(
    *, folder: Path, using: str = DEFAULT_DB_ALIAS, allow_connected: bool = False, progress: Progress = _quiet
) -> list[str]:
    """Verify, check, replace the database and media, verify again. Returns notes for the operator.

    Stop the web server and the workers first: the restore replaces everything under them. On
    PostgreSQL other sessions are refused unless `allow_connected` (pg_restore then waits for any
    locks they hold).
    """
    folder = Path(folder)
    manifest = backup_verify(folder, progress)
    notes = restore_check(manifest, using)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("restore must run outside a transaction")
    database_file = folder / manifest["database"]["file"]
    if connection.vendor == "postgresql" and not allow_connected:
        # pg_restore's script sets lock_timeout = 0: with the app still connected it would wait
        # for its locks for as long as the app runs. Refuse instead.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchone()[0]
        if others:
            raise BackupError(
                f"{others} other sessions are connected to {connection.settings_dict['NAME']}: stop the web server, "
                "the workers and beat (and close any psql), then restore (or pass --allow-connected)"
            )
    for conn in connections.all(initialized_only=True):
        conn.close()
    if connection.vendor == "postgresql":
        _restore_postgresql(connection, database_file, progress)
    else:
        _restore_sqlite(connection, database_file, progress)
    if on_filesystem():
        _restore_media(folder, manifest, progress)
    else:
        progress("Media are in object storage (CHUANGWEI_S3_BUCKET): left as they are; restore the bucket itself.")
    progress("Verifying the restored row counts and media checksums…")
    problems = restore_verify(manifest, using)
    if problems:
        raise BackupError("the restored data does not match the backup: " + "; ".join(problems[:20]))
    progress(f"Restored {sum(manifest['rows'].values())} rows and the media of {manifest['created_at']}; all verified.")
    return notes
