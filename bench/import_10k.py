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
    parser.add_argument(
        "--smoke", action="store_true", help="CI smoke run: 300 rows; a PostgreSQL database is dropped at the end"
    )
    args = parser.parse_args()
    if args.smoke:
        args.rows = 300
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    tmp = tempfile.mkdtemp(prefix="cw-import-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(32).hex())  # DEBUG off needs one
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import benchdb  # drop + create (a copy of the migrated $BENCH_TEMPLATE_DB in smoke runs)

        benchdb.create_postgres(os.environ["DATABASE_URL"])
    import django

    django.setup()

    import benchdb

    benchdb.migrate()
    from apps.demo.services import demo_build
    from apps.imports import jobs, services
    from apps.imports.tests.helpers import UNIT_HEADERS, unit_row, upload, workbook_bytes

    t0 = time.perf_counter()
    if args.smoke:  # the test organisation (the demo takes a minute or more to build)
        from tests.builders import build_org

        org = build_org()
        actor, estates = org.street, [org.estate_a1]
    else:
        demo = demo_build()
        from apps.accounts.models import User

        actor, estates = User.objects.get(username="street"), demo["estates"]
    print(f"organisation built in {time.perf_counter() - t0:.1f}s", flush=True)
    rows = [unit_row(f"导入测试单位{i:05d}", estates[i % len(estates)].code) for i in range(args.rows)]
    started = time.perf_counter()
    content = workbook_bytes(UNIT_HEADERS, rows)
    built = time.perf_counter()
    job = services.import_job_start(actor=actor, source="units", upload=upload(content))
    queued = time.perf_counter()
    jobs.data_job_run(job.pk)
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
    if job.status != "succeeded" or job.result_count != args.rows:
        sys.exit(f"import failed: status {job.status}, {job.result_count} of {args.rows} rows created")


if __name__ == "__main__":
    main()
