"""Time a 10,000-row unit import (validation + all-or-nothing write) on a fresh database.

.venv/bin/python bench/import_10k.py [--database-url URL] [--rows 10000]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cw-import-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import psycopg

        name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from apps.demo.services import demo_build
    from apps.imports import services
    from apps.imports.tests.helpers import UNIT_HEADERS, unit_row, upload, workbook_bytes

    demo = demo_build()
    from apps.accounts.models import User

    actor = User.objects.get(username="street")
    estates = demo["estates"]
    rows = [unit_row(f"导入测试单位{i:05d}", estates[i % len(estates)].code) for i in range(args.rows)]
    started = time.perf_counter()
    content = workbook_bytes(UNIT_HEADERS, rows)
    built = time.perf_counter()
    job = services.import_job_start(actor=actor, source="units", upload=upload(content))
    queued = time.perf_counter()
    services.data_job_run(job.pk)
    done = time.perf_counter()
    job.refresh_from_db()
    print(
        f"database: {django.db.connection.vendor}; rows: {args.rows}; status: {job.status}; created: {job.result_count}"
    )
    print(
        f"workbook built in {built - started:.2f}s; "
        f"request part (upload check + save + enqueue) {queued - built:.2f}s; "
        f"worker part (parse, validate, write, audit) {done - queued:.2f}s"
    )


if __name__ == "__main__":
    main()
