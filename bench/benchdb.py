"""Database helpers shared by the benchmarks (and their ``--smoke`` runs, scripts/bench_smoke.sh).

- ``create_postgres(url)`` drops and re-creates the PostgreSQL database named in `url` (its name must
  contain "bench"). When ``BENCH_TEMPLATE_DB`` names an already migrated database (bench_smoke.sh
  migrates one per run), the new database is a copy of it (``CREATE DATABASE … TEMPLATE``, about a
  second) and ``migrate()`` has nothing to do, so ten smoke runs do not migrate ten times.
- ``migrate()`` applies the migrations unless the database was cloned from the template.
- ``drop_at_exit(url)`` drops it again when the script ends (smoke runs leave nothing behind).
"""

from __future__ import annotations

import atexit
import os
import sys
from urllib.parse import urlsplit, urlunsplit

TEMPLATE_ENV = "BENCH_TEMPLATE_DB"
STATE = {"cloned": False}


def is_postgres(url: str) -> bool:
    return urlsplit(url or "").scheme.startswith("postgres")


def pg_parts(url: str) -> tuple[str, str]:
    """(database name, URL of the server's `postgres` database); refuses a name without "bench"."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop/create database {name!r}: its name must contain 'bench'")
    admin_url = urlunsplit(
        (parts.scheme.replace("postgresql+psycopg", "postgresql"), parts.netloc, "/postgres", "", "")
    )
    return name, admin_url


def create_postgres(url: str) -> bool:
    """Drop and re-create the database (a copy of $BENCH_TEMPLATE_DB when set); True when cloned."""
    import psycopg
    from psycopg import sql

    name, admin_url = pg_parts(url)
    template = os.environ.get(TEMPLATE_ENV, "")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    STATE["cloned"] = bool(template)
    return STATE["cloned"]


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name, admin_url = pg_parts(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def drop_at_exit(url: str) -> None:
    """Drop the PostgreSQL database when the script exits (also after an error)."""
    if not is_postgres(url):
        return

    def drop():
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # django not set up
            pass
        drop_postgres(url)

    atexit.register(drop)


def migrate() -> None:
    """Apply the migrations, unless the database is a copy of the migrated template."""
    if STATE["cloned"]:
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
