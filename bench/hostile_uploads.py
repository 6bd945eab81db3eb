"""Hostile uploads (issue 9): what a refusal costs now, in time and peak memory.

.venv/bin/python bench/hostile_uploads.py [--empty-rows 5000000] [--before] [--label NAME]

On a fresh SQLite database in a temporary folder (the real settings, DEBUG off), through
`django.test.Client` (the whole request: middleware, form, template):

1. `POST /public/report/` (no login) with a 13,000 × 13,000 single-colour RGB PNG (~0.5 MB);
2. four of them at once (four threads in one process, as four gunicorn threads would);
3. `POST /public/report/` with 100 files;
4. for scale, an honest report with a 12-megapixel JPEG (4,000 × 3,000);
5. an .xlsx of 5 million empty rows (written by hand as a zip stream): the upload (request
   part) and the worker's job, once with the default limits (its 85 MB of XML pass the 100 MB zip
   check; the run of empty rows ends the scan) and once with a lower uncompressed cap, which the
   zip check refuses from the archive directory before openpyxl opens it.

Each runs in a forked child so its peak RSS is its own: the child resets the kernel's
high-water mark (`/proc/self/clear_refs`), runs, and reports VmHWM − VmRSS at start.
`--before` also decodes the PNG the way the old code did (Image.open + load + resize, with
Pillow's guard off) and scans the 5M-row sheet the way the old import did, for comparison.
The Markdown report is printed and written to `bench/results/hostile_uploads[-LABEL].md`.
"""

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def measured(function):
    """Run `function()` in a forked child; return (seconds, peak RSS growth in bytes, result)."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            start_rss = _status("VmRSS")
            started = time.perf_counter()
            result = function()
            elapsed = time.perf_counter() - started
            out = {"seconds": elapsed, "peak": _status("VmHWM") - start_rss, "result": result}
        except Exception as error:  # report, do not hang the parent
            out = {"seconds": 0, "peak": 0, "result": f"error: {error!r}"}
        os.write(write, json.dumps(out, default=str).encode())
        os.close(write)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    out = json.loads(b"".join(chunks))
    return out["seconds"], out["peak"], out["result"]


def mb(value: int) -> str:
    return f"{value / (1024 * 1024):.1f} MB"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--empty-rows", type=int, default=5_000_000)
    parser.add_argument("--before", action="store_true", help="also run the old decode and scan paths")
    parser.add_argument("--label", default="")
    parser.add_argument("--database-url", default="", help="default: SQLite in the temporary folder")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: a 20,000-empty-row sheet; results to hostile_uploads-smoke.md (git-ignored); "
        "exits 1 unless every hostile upload is refused as expected",
    )
    args = parser.parse_args()
    if args.smoke:
        args.empty_rows, args.before, args.label = 20_000, False, args.label or "smoke"

    tmp = tempfile.mkdtemp(prefix="cw-hostile-")
    os.environ.update(
        {
            "CHUANGWEI_VAR_DIR": tmp,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
            "DJANGO_SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "CHUANGWEI_PUBLIC_REPORTS_PER_HOUR": "100000",
        }
    )
    import logging

    import benchdb
    import django

    if args.database_url:
        benchdb.create_postgres(args.database_url)
        benchdb.drop_at_exit(args.database_url)

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from PIL import Image

    logging.disable(logging.CRITICAL)  # the refusals are logged as errors; the table says it
    benchdb.migrate()
    from apps.cases.categories import ensure_categories
    from apps.cases.models import Category
    from apps.imports import jobs, services
    from apps.imports.models import DataJob
    from apps.imports.tests.helpers import UNIT_HEADERS, raw_workbook
    from apps.organization.models import Jurisdiction
    from apps.photos.tests.images import huge_png_bytes
    from apps.worktime.holidays import ensure_calendar
    from tests.builders import build_org

    org = build_org()
    ensure_categories()
    ensure_calendar()
    square = [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]]
    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(boundary={"type": "Polygon", "coordinates": square})
    category = Category.objects.filter(parent__isnull=False, code="graffiti").first()
    form = {"category": category.pk, "lat": "31.465", "lng": "104.685", "description": "bench"}

    started = time.perf_counter()
    png = huge_png_bytes(13_000, 13_000, rgb=True)
    png_seconds = time.perf_counter() - started
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 140, 60)).save(buffer, "JPEG", quality=90)
    photo_12mp = buffer.getvalue()
    rows = []

    def post_public(files):
        client = Client()
        response = client.post("/public/report/", {**form, "photos": files})
        body = response.content.decode(errors="replace")
        marker = next((m for m in ("照片像素过多", "一次上传的文件过多", "一次最多上传") if m in body), "")
        return f"{response.status_code} {marker}".strip()

    def png_upload():
        return SimpleUploadedFile("big.png", png, content_type="image/png")

    Client().get("/public/report/")  # warm up templates and URLs
    seconds, peak, result = measured(lambda: post_public([png_upload()]))
    rows.append((f"13,000 × 13,000 PNG (169 MP, {mb(len(png))}) to /public/report/", result, seconds, peak))

    def four_at_once():
        results = [None] * 4

        def one(i):
            results[i] = post_public([png_upload()])

        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return ", ".join(sorted(set(results)))

    seconds, peak, result = measured(four_at_once)
    rows.append(("four of them at once (4 threads)", result, seconds, peak))

    tiny = [
        SimpleUploadedFile(f"{i}.jpg", b"\xff\xd8\xff" + b"x" * 1000, content_type="image/jpeg") for i in range(100)
    ]
    seconds, peak, result = measured(lambda: post_public(tiny))
    rows.append(("100 files in one /public/report/ post", result, seconds, peak))

    seconds, peak, result = measured(
        lambda: post_public([SimpleUploadedFile("p.jpg", photo_12mp, content_type="image/jpeg")])
    )
    rows.append((f"for scale: an honest report, one 12 MP JPEG ({mb(len(photo_12mp))})", result, seconds, peak))

    if args.before:

        def old_decode():
            from PIL import ImageOps

            Image.MAX_IMAGE_PIXELS = None
            image = Image.open(io.BytesIO(png))
            image.load()
            image = ImageOps.exif_transpose(image)
            for side in (1920, 360):
                copy = image.copy()
                copy.thumbnail((side, side))
            return "decoded"

        seconds, peak, result = measured(old_decode)
        rows.append(("before: the old decode of that PNG (Pillow only, no request)", result, seconds, peak))

    # The 5-million-empty-row workbook ------------------------------------------------------
    xlsx = Path(tmp) / "empty-rows.xlsx"
    started = time.perf_counter()
    raw_workbook(xlsx, UNIT_HEADERS, [], empty_rows=args.empty_rows)
    xlsx_seconds = time.perf_counter() - started
    import zipfile

    with zipfile.ZipFile(xlsx) as archive:
        inflated = sum(m.file_size for m in archive.infolist())

    def run_job(zip_limit: int | None):
        if zip_limit is not None:
            settings.IMPORT_MAX_UNCOMPRESSED_BYTES = zip_limit
        upload = SimpleUploadedFile("rows.xlsx", xlsx.read_bytes())
        request_started = time.perf_counter()
        job = services.import_job_start(actor=org.community, source="units", upload=upload)
        request_part = time.perf_counter() - request_started
        DataJob.objects.filter(pk=job.pk).update(status="pending")
        jobs.data_job_run(job.pk)
        job.refresh_from_db()
        detail = f" ({job.errors[0]['message']})" if job.errors else ""
        return f"{job.status}: {job.message}{detail} (request part {request_part:.2f} s)"

    settings.CELERY_TASK_ALWAYS_EAGER = False
    from apps.imports import services as import_services

    import_services._enqueue = lambda job_id: None  # the job is run here, measured, not queued
    seconds, peak, result = measured(lambda: run_job(None))
    name = f"{args.empty_rows:,}-empty-row .xlsx ({mb(xlsx.stat().st_size)}), default limits (streaming bounds)"
    rows.append((name, result, seconds, peak))
    small = min(inflated // 2, settings.IMPORT_MAX_UNCOMPRESSED_BYTES)
    seconds, peak, result = measured(lambda: run_job(small))
    rows.append((f"the same with a {mb(small)} uncompressed cap (zip check)", result, seconds, peak))

    if args.before:

        def old_scan():
            from openpyxl import load_workbook

            workbook = load_workbook(xlsx, read_only=True, data_only=True)
            count = 0
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                count += 1
            return f"scanned, {count} non-empty rows"

        seconds, peak, result = measured(old_scan)
        rows.append(("before: the old import's scan of that sheet (openpyxl only)", result, seconds, peak))

    lines = [
        "# Hostile uploads (issue 9)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}; {django.db.connection.vendor}; `bench/hostile_uploads.py`"
        + (f" `--label {args.label}`" if args.label else ""),
        "",
        f"Limits: {settings.PHOTO_MAX_PIXELS:,} pixels, {settings.PHOTO_MAX_DIMENSION:,} px a side, "
        f"{settings.PHOTO_MAX_PER_REQUEST} photos per submission, {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files per "
        f"request; imports {settings.IMPORT_MAX_ROWS:,} rows, {settings.IMPORT_MAX_COLUMNS} columns, "
        f"{settings.IMPORT_MAX_CELLS:,} cells, {settings.IMPORT_MAX_SECONDS} s, {settings.IMPORT_MAX_EMPTY_ROWS:,} "
        f"empty rows end the data, {mb(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)} uncompressed.",
        "",
        f"Made by hand: the PNG in {png_seconds:.1f} s; the workbook in {xlsx_seconds:.1f} s "
        f"({mb(xlsx.stat().st_size)} zipped, {mb(inflated)} of XML).",
        "",
        "| upload | answer | time | peak RSS growth |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {name} | {result} | {seconds:.2f} s | {mb(peak)} |" for name, result, seconds, peak in rows]
    lines += [
        "",
        "Issue 9 measured before the fix: the PNG cost 13 s of CPU and 1.4 GB, four at once 3.9 GB; "
        "100 files per request were accepted; the 5M-empty-row sheet kept the worker 173 s at 1.3 GB.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"hostile_uploads{'-' + args.label if args.label else ''}.md").write_text(report)
    if args.smoke:
        expected = ["400 照片像素过多", "400 照片像素过多", "400 一次", "302", "failed", "failed"]  # answers
        wrong = [
            f"{name}: {result}"
            for (name, result, _s, _p), marker in zip(rows, expected, strict=False)
            if not str(result).startswith(marker)
        ]
        if wrong:
            sys.exit("unexpected answers: " + "; ".join(wrong))


if __name__ == "__main__":
    main()
