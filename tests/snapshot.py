"""A database snapshot per test process: build a world once, copy it back for every later test.

The browser tests each start from the demo street (`tests/e2e/conftest.py`). Building it runs
every app's demo builder (seconds on a quiet machine, half a minute on a loaded one) and a test
that commits ends by emptying every table, so each test used to build it again. Instead, the
first test in a process builds it for real and `Snapshot.take` copies every table (and the files
the build wrote under MEDIA_ROOT); every later test gets `Snapshot.restore`: the tables emptied and
refilled as they were, sequences moved past the copied ids, caches emptied, the files copied back
(into whatever MEDIA_ROOT the test has set).

The copy is the database's own: on PostgreSQL `COPY ... TO STDOUT` / `FROM STDIN` (lossless text
format), on SQLite an attached snapshot file and `INSERT ... SELECT`. Foreign keys are deferred
on both (Django creates them DEFERRABLE INITIALLY DEFERRED), so table order does not matter
inside the restoring transaction, which opens the audit table's append-only guard as `manage.py
flush` does (apps/core/audit_guard.py).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection

from apps.core.audit_guard import audit_maintenance


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _media_files(root: Path) -> set[Path]:
    if not root.exists():
        return set()
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


@dataclass
class Snapshot:
    """What one build left: every table's rows, the files it wrote, and the builder's result."""

    result: Any
    tables: list[str]
    rows: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: each table's COPY text
    sqlite_file: str = ""
    media: Path | None = None

    @classmethod
    def build(cls, builder) -> Snapshot:
        """Run `builder()` for real (it commits), then copy what it left."""
        media_root = Path(settings.MEDIA_ROOT)
        files_before = _media_files(media_root)
        result = builder()
        snapshot = cls(result=copy.deepcopy(result), tables=_tables())
        snapshot._take_rows()
        new_files = _media_files(media_root) - files_before
        if new_files:
            snapshot.media = Path(tempfile.mkdtemp(prefix="chuangwei-snapshot-media-"))
            for relative in new_files:
                (snapshot.media / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(media_root / relative, snapshot.media / relative)
        return snapshot

    def _take_rows(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                for table in self.tables:
                    with raw.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as out:
                        self.rows[table] = b"".join(bytes(chunk) for chunk in out)
            return
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        handle, self.sqlite_file = tempfile.mkstemp(prefix="chuangwei-snapshot-", suffix=".sqlite3")
        os.close(handle)
        os.unlink(self.sqlite_file)
        with connection.cursor() as cursor:
            cursor.execute("ATTACH DATABASE %s AS snap", [self.sqlite_file])
            try:
                for table in self.tables:
                    q = connection.ops.quote_name(table)
                    cursor.execute(f"CREATE TABLE snap.{q} AS SELECT * FROM main.{q}")  # noqa: S608 - model tables
            finally:
                cursor.execute("DETACH DATABASE snap")

    def restore(self) -> Any:
        """Empty every table and refill it as the build left it; return a fresh copy of the result."""
        flush = connection.ops.sql_flush(no_style(), self.tables, reset_sequences=False, allow_cascade=True)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ATTACH DATABASE %s AS snap", [self.sqlite_file])
                try:
                    with audit_maintenance():
                        for statement in flush:
                            cursor.execute(statement)
                        for table in self.tables:
                            q = connection.ops.quote_name(table)
                            cursor.execute(f"INSERT INTO main.{q} SELECT * FROM snap.{q}")  # noqa: S608 - model tables
                finally:
                    cursor.execute("DETACH DATABASE snap")
        else:
            with audit_maintenance(), connection.cursor() as cursor:
                for statement in flush:
                    cursor.execute(statement)
                raw = cursor.cursor
                for table, data in self.rows.items():
                    if data:
                        with raw.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN") as into:
                            into.write(data)
                models = apps.get_models(include_auto_created=True)
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
        ContentType.objects.clear_cache()
        for cache in caches.all():
            cache.clear()
        if self.media is not None:
            shutil.copytree(self.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        return copy.deepcopy(self.result)

    def discard(self) -> None:
        if self.sqlite_file and os.path.exists(self.sqlite_file):
            os.unlink(self.sqlite_file)
        if self.media is not None:
            shutil.rmtree(self.media, ignore_errors=True)
