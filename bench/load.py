#!/usr/bin/env python
"""Load scenario (issue 14, item 5): 500 field users for 10 minutes against gunicorn +
PostgreSQL + Redis + a Celery worker, all on loopback, then a count of what was written.

It uses a city database that ``cases_scale.py --keep-db --no-api`` built (it builds nothing
and drops nothing; it adds accounts ``load_*`` and the cases and steps of the run), and:

1. picks ``--communities`` communities with a boundary and a unit; per community 8 grid
   workers, 1 community dispatcher and 1 unit contact (500 accounts for 50), each with a fresh
   API token and a session (for the HTML list page);
2. starts gunicorn (``config.wsgi``, ``-c config/gunicorn.conf.py``, DEBUG off, gthread) and a
   Celery worker, Redis as broker (db 12) and cache / rate limits (db 13);
3. runs locust headless (``bench/locust/locustfile.py``; locust lives in its own virtualenv,
   see requirements-bench.txt), sampling the load average every 5 s;
4. compares the writes: the 201 answers of the reports against the cases in the database
   (same ids, no duplicated marker, none missing), and the 200 answers of register / dispatch /
   handle against the cases' events written by those accounts;
5. writes ``bench/results/load.md`` (``load-smoke.md`` with ``--smoke``): error rate, p95 and
   median per request type, requests/s, load average, the count check.

    .venv/bin/python bench/load.py                       # 500 users, 10 min
    .venv/bin/python bench/load.py --smoke               # 10 users, 15 s (< 40 s in all)

``--smoke`` (CI, scripts/bench_smoke.sh) first builds the smoke city of ``cases_scale.py
--smoke`` (its own build functions) into the database it is given (re-created, dropped at the
end; the name must contain "bench"; default ``chuangwei_load_smoke_bench``), and exits non-zero
on any failed request as well as on a write mismatch.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_hlists_bench"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_load_smoke_bench"
STEP_ROUTES = ("register", "dispatch", "handle")
T0 = time.perf_counter()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a city built by cases_scale.py --keep-db")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument("--run-time", default="10m", help="locust's -t (default 10m)")
    parser.add_argument("--communities", type=int, default=50, help="8 grid + 1 dispatcher + 1 unit contact each")
    parser.add_argument("--wait", default="30,90", help="seconds between two actions of a user (min,max)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread, default 4)")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--locust", default=str(PROJECT_DIR / ".venv-bench" / "bin" / "locust"))
    parser.add_argument("--smoke", action="store_true", help="10 users, 15 s, 1–3 s waits")
    parser.add_argument("--results-dir", default=str(BENCH_DIR / "results"))
    args = parser.parse_args(argv)
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.users, args.spawn_rate, args.run_time, args.communities, args.wait = 10, 10, "10s", 2, "1,3"
    args.stop_timeout = 8 if args.smoke else 30
    return args


def setup_django(args, var_dir: str, secret_key: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": args.database_url,
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_LOG_LEVEL": "WARNING",
            "CHUANGWEI_VAR_DIR": var_dir,
            "CELERY_BROKER_URL": args.broker_url,
            "REDIS_CACHE_URL": args.cache_url,
            "DATABASE_CONN_MAX_AGE": "60",
        }
    )
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


def jpeg_bytes() -> bytes:
    """A 1024×768 photo-like JPEG (~100 KB): noise over a gradient, so it does not compress away."""
    import random

    from PIL import Image

    rng = random.Random(14)
    image = Image.new("RGB", (1024, 768))
    image.putdata(
        [
            ((x // 4 + rng.randint(0, 60)) % 256, (y // 3) % 256, rng.randint(0, 255))
            for y in range(768)
            for x in range(1024)
        ]
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def box_of(boundary: dict) -> tuple[float, float, float]:
    """(south, west, side) of a square inside the boundary's bounding box (rectangles here)."""
    points = [point for ring in boundary["coordinates"] for point in ring]
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lats), min(lngs), min(max(lats) - min(lats), max(lngs) - min(lngs)))


def prepare_accounts(args, work: Path) -> dict:
    from django.conf import settings
    from django.test import Client

    from apps.accounts.models import User
    from apps.accounts.services import api_token_issue
    from apps.cases.models import Category
    from apps.core.roles import Role
    from apps.organization.models import Jurisdiction, Unit

    communities = []
    for node in Jurisdiction.objects.filter(level__code="community", boundary__isnull=False).order_by("id"):
        unit = Unit.objects.filter(jurisdiction=node).order_by("id").first()
        if unit is not None:
            communities.append((node, unit))
        if len(communities) == args.communities:
            break
    if len(communities) < args.communities:
        raise SystemExit(f"only {len(communities)} communities with a boundary and a unit: build a city first")

    def account(username, role, **fields):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, **fields)
            user.set_unusable_password()
            user.save()
        client = Client()
        client.force_login(user)
        return {
            "username": username,
            "id": user.pk,
            "token": api_token_issue(actor=None, owner=user, name="bench/load.py")[1],
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        }

    accounts = {"grid": [], "dispatcher": [], "unit": []}
    for node, unit in communities:
        box = box_of(node.boundary)
        for k in range(8):
            grid = account(
                f"load_grid_{node.pk}_{k}", Role.GRID, jurisdiction=node, last_name="网格", first_name=str(k)
            )
            accounts["grid"].append({**grid, "box": box})
        dispatcher = account(f"load_community_{node.pk}", Role.COMMUNITY, jurisdiction=node)
        accounts["dispatcher"].append({**dispatcher, "unit": unit.pk})
        accounts["unit"].append(account(f"load_unit_{unit.pk}", Role.UNIT_CONTACT, unit=unit))
    photo = work / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    category = (
        Category.objects.filter(code="bench_no_photo").first()
        or Category.objects.filter(is_active=True, parent__isnull=False).order_by("id").first()
    )
    return {
        **accounts,
        "category": category.pk,
        "photo": str(photo),
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=dict(os.environ), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log_file = handle
    return process


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group it leads (started in its own session), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    process.log_file.close()


def wait_http(port: int, process: subprocess.Popen, log: Path) -> None:
    import http.client

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def outcomes(out: Path, name: str) -> list[list[str]]:
    return [line.split() for path in sorted(out.glob(f"{name}-*.txt")) for line in path.read_text().splitlines()]


def check_writes(out: Path, accounts: dict, since, before_max_id: int) -> dict:
    """The answers the users got, against what the database holds afterwards."""
    import re

    from apps.cases.models import Case, CaseEvent

    created = outcomes(out, "created")
    answered_ids = [int(row[0]) for row in created]
    grid_ids = [a["id"] for a in accounts["grid"]]
    rows = list(Case.objects.filter(reporter_id__in=grid_ids, pk__gt=before_max_id).values_list("pk", "description"))
    markers = Counter(m.group(1) for _pk, d in rows if (m := re.search(r"压测 ([0-9a-f]{32})", d)))
    steps = Counter(row[0] for row in outcomes(out, "steps"))
    actors = [a["id"] for a in accounts["dispatcher"] + accounts["unit"]]
    events = Counter(
        CaseEvent.objects.filter(actor_id__in=actors, created_at__gte=since, action__in=STEP_ROUTES).values_list(
            "action", flat=True
        )
    )
    return {
        "reports answered 201": len(answered_ids),
        "distinct case ids in the 201 answers": len(set(answered_ids)),
        "cases in the database by the load's grid workers": len(rows),
        "answered ids missing from the database": len(set(answered_ids) - {pk for pk, _d in rows}),
        "cases in the database never answered 201": len({pk for pk, _d in rows} - set(answered_ids)),
        "duplicated report markers in the database": sum(1 for n in markers.values() if n > 1),
        **{
            f"{route}: 200 answers / events in the database": f"{steps[route]} / {events[route]}"
            for route in STEP_ROUTES
        },
    }


def render(args, stats, failures, writes, loads, meta) -> str:
    total = next(row for row in stats if row["Name"] == "Aggregated")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    lines = [
        f"# Load: {args.users} field users for {args.run_time} (issue 14, item 5){' — smoke' if args.smoke else ''}",
        "",
        f"{meta['when']}; {platform.node()}, {os.cpu_count()} CPUs shared with other agents' work "
        f"(load average before the run {meta['load_before']}); PostgreSQL {meta['pg']} "
        f"({meta['cases_before']:,} cases before the run); gunicorn `config.wsgi` {args.workers} workers × "
        f"{args.threads} threads (gthread, DEBUG off); Celery worker (concurrency 1); Redis broker "
        f"`{args.broker_url}`, cache `{args.cache_url}`; locust {meta['locust']} in the same machine "
        f"(`-u {args.users} -r {args.spawn_rate:g} -t {args.run_time}`, waits {args.wait} s between actions).",
        "",
        "Locust's table closes at the time limit; the users then finish the action under way (up to "
        f"{args.stop_timeout} s), whose answers the write check below counts too.",
        "",
        f"**Requests {requests:,}, failures {failed:,} "
        f"(error rate {failed / requests * 100 if requests else 0:.2f} %), "
        f"{float(total['Requests/s']):.1f} req/s.** Load average during the run: mean "
        f"{statistics.mean(loads):.2f}, max {max(loads):.2f} (1-minute, sampled every 5 s).",
        "",
        "| request | count | failures | median ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in stats:
        lines.append(
            f"| {row['Name']} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.2f} |"
        )
    lines += ["", "## Writes: answers against the database", "", "| check | value |", "|---|---:|"]
    lines += [f"| {key} | {value} |" for key, value in writes.items()]
    lines += ["", f"Worker: {meta['worker']}.", ""]
    if failures:
        lines += ["## Failures", "", "| request | error | occurrences |", "|---|---|---:|"]
        lines += [f"| {f['Method']} {f['Name']} | {f['Error'][:200]} | {f['Occurrences']} |" for f in failures]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hlists_load_"))
    var_dir = work / "var"
    var_dir.mkdir()
    secret_key = secrets.token_urlsafe(50)
    if args.smoke:
        sys.path.insert(0, str(BENCH_DIR))
        import cases_scale

        cases_scale.build_smoke_city(args.database_url, lambda: setup_django(args, str(var_dir), secret_key))
    else:
        setup_django(args, str(var_dir), secret_key)
    from django.db import connection
    from django.utils import timezone

    from apps.cases.models import Case

    accounts = prepare_accounts(args, work)
    (work / "accounts.json").write_text(json.dumps(accounts), encoding="utf-8")
    before_max_id = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    meta = {
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
        "pg": connection.pg_version // 10000 if connection.vendor == "postgresql" else connection.vendor,
        "cases_before": Case.objects.count(),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "locust": subprocess.run([args.locust, "--version"], capture_output=True, text=True).stdout.split()[1],
    }
    connection.close()
    print(f"accounts ready at {time.perf_counter() - T0:.1f} s (work dir {work})", flush=True)

    port = free_port()
    gunicorn = worker = None
    loads: list[float] = []
    stop_sampling = threading.Event()
    try:
        gunicorn = start(
            [
                str(PROJECT_DIR / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "-c",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread",
                "--preload",  # import the app once, then fork: faster to start on 2 busy cores
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            work / "gunicorn.log",
        )
        worker = start(
            [
                str(PROJECT_DIR / ".venv" / "bin" / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            work / "worker.log",
        )
        wait_http(port, gunicorn, work / "gunicorn.log")
        print(f"gunicorn answers at {time.perf_counter() - T0:.1f} s", flush=True)
        since = timezone.now()

        def sample():
            while not stop_sampling.wait(5):
                loads.append(os.getloadavg()[0])

        threading.Thread(target=sample, daemon=True).start()
        wait_min, wait_max = args.wait.split(",")
        env = {**os.environ, "LOAD_ACCOUNTS": str(work / "accounts.json"), "LOAD_OUT": str(work)}
        env.update({"LOAD_WAIT_MIN": wait_min, "LOAD_WAIT_MAX": wait_max})
        command = [
            args.locust,
            "-f",
            str(BENCH_DIR / "locust" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            args.run_time,
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(work / "locust"),
            "--only-summary",
            "--stop-timeout",
            str(args.stop_timeout),
        ]
        print(f"locust at {time.perf_counter() - T0:.1f} s: {' '.join(command[3:])}", flush=True)
        result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        (work / "locust.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        stop_sampling.set()
        loads = loads or [os.getloadavg()[0]]
        try:
            from config.celery import app

            replies = app.control.ping(timeout=3)
            meta["worker"] = f"answered a ping after the run ({len(replies)} repl{'y' if len(replies) == 1 else 'ies'})"
        except Exception as error:  # the report says so rather than failing the run
            meta["worker"] = f"ping failed: {error}"
    finally:
        stop_sampling.set()
        stop(gunicorn)
        stop(worker)

    print(f"locust done at {time.perf_counter() - T0:.1f} s", flush=True)
    stats = read_stats(work / "locust")
    failures = read_failures(work / "locust")
    writes = check_writes(work, accounts, since, before_max_id)
    report = render(args, stats, failures, writes, loads, meta)
    out = Path(args.results_dir) / ("load-smoke.md" if args.smoke else "load.md")
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"wrote {out}; logs in {work}")
    ok = (
        writes["answered ids missing from the database"] == 0
        and writes["cases in the database never answered 201"] == 0
    )
    if args.smoke:  # CI: every request must pass, and some must have been made
        total = next(row for row in stats if row["Name"] == "Aggregated")
        failed, made = int(total["Failure Count"]), int(total["Request Count"])
        if failed or not made or result.returncode != 0:
            print(f"smoke: {failed} failed of {made} requests; locust exited {result.returncode}", file=sys.stderr)
            print(result.stderr[-3000:], file=sys.stderr)
            ok = False
        if ok:  # the logs matter only when something failed
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
