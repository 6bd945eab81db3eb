#!/usr/bin/env python
"""The dashboard (驾驶舱, issue 15 item 6) of a district on the city ``cases_scale.py`` builds.

Builds the city of ``cases_scale.py`` (its own ``build``: 16 districts, 300 streets, 5,000
communities, 50,000 units, 1,000,000 cases over 12 months by default, PostgreSQL ``COPY``, the
case rollups rebuilt) into the database it is given, then measures through ``django.test.Client``
(DEBUG off, ``force_login``) the page ``/reports/dashboard/?jurisdiction=<id>&on=<last full
month>`` for an office account of the district with the most cases (its KPI cells, 12-month
trends, league table of its streets and their map), and the same page for the busiest street and
for the city (an office account of the city), each: warm-ups, then the median and p95 of N timed runs and the SQL
queries per request. Results: ``bench/results/reports_dashboard.md``.

Only cases (and the organisation) have data on this city; the other apps' figures are still
computed (their queries run and find nothing), so the query count is the real one.

    .venv/bin/python bench/reports_dashboard.py                      # full size (~20 min build)
    .venv/bin/python bench/reports_dashboard.py --reuse-db           # keep the city, measure again
    .venv/bin/python bench/reports_dashboard.py --cases 200000 --communities 1000 --streets 60 \\
        --units 10000 --label medium                                 # a medium city
    .venv/bin/python bench/reports_dashboard.py --smoke              # CI: the smoke city, 2 runs

The database named in the URL is dropped and re-created (its name must contain "bench") and
dropped at the end unless ``--reuse-db``/``--keep-db``. PostgreSQL only (COPY).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import benchdb  # noqa: E402
import cases_scale  # noqa: E402  (the city builder)
from org_scale import RESULTS_DIR, measure, setup_django  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_dashboard_bench"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_dashboard_smoke_bench"
SIZES = ("districts", "streets", "communities", "units", "cases")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    for name in SIZES:
        parser.add_argument(f"--{name}", type=int, default=None, help="city size (default: cases_scale.py's)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reuse-db", action="store_true", help="reuse a finished build of the same size; keep it")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--build-only", action="store_true", help="build the city (kept) and stop")
    parser.add_argument("--label", default="")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--smoke", action="store_true", help="CI: the smoke city of cases_scale.py, 2 runs")
    args = parser.parse_args(argv)
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.runs, args.warmup, args.label = 2, 1, "smoke"
        args.reuse_db = args.keep_db = args.build_only = False
    if args.build_only:
        args.keep_db = True
    return args


def city_args(args):
    """cases_scale.py's arguments for this city (its --smoke sizes and seed in a smoke run)."""
    argv = ["--database-url", args.database_url]
    if args.smoke:
        argv.append("--smoke")
    for name in SIZES:
        if getattr(args, name) is not None:
            argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return cases_scale.parse_args(argv)


def prepare(args) -> tuple[str, dict]:
    """Build the city (or reuse a finished build of the same size); the build note and timings."""
    built_args = city_args(args)
    params = cases_scale.build_params(built_args)
    if args.smoke:
        built = cases_scale.build_smoke_city(args.database_url, lambda: setup_django(args.database_url))
        return "smoke city of cases_scale.py", built["timings"]
    reused = cases_scale.finished_build(args.database_url, params) if args.reuse_db else None
    if not reused:
        benchdb.create_postgres(args.database_url)
    if not (args.reuse_db or args.keep_db):
        benchdb.drop_at_exit(args.database_url)
    setup_django(args.database_url)
    if reused:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        return f"reused the build of {reused['built_at']:%Y-%m-%d %H:%M %Z}", dict(reused["timings"])
    t0 = time.perf_counter()
    built = cases_scale.build(built_args, random.Random(built_args.seed))
    timings = built["timings"]
    timings["total"] = time.perf_counter() - t0
    cases_scale.record_build(params, timings)
    return f"fresh, {timings['total']:.0f} s (seed {built_args.seed})", timings


def accounts() -> dict:
    """An office account of the city, one of the district with the most cases, a street account of
    the busiest street: (user, node) per level."""
    from django.db.models import Count

    from apps.accounts.models import User
    from apps.cases.models import Case
    from apps.core.roles import Role
    from apps.organization.models import Jurisdiction

    per_community = dict(Case.objects.order_by().values_list("jurisdiction_id").annotate(n=Count("id")))
    communities = Jurisdiction.objects.filter(level__code="community").values_list("id", "parent_id")
    per_street: dict = {}
    for community, street in communities:
        per_street[street] = per_street.get(street, 0) + per_community.get(community, 0)
    streets = dict(Jurisdiction.objects.filter(level__code="street").values_list("id", "parent_id"))
    per_district: dict = {}
    for street, district in streets.items():
        per_district[district] = per_district.get(district, 0) + per_street.get(street, 0)
    picked = {
        "city": (Role.OFFICE, Jurisdiction.objects.get(depth=0), None),
        "district": (Role.OFFICE, Jurisdiction.objects.get(pk=max(per_district, key=per_district.get)), None),
        "street": (Role.STREET, Jurisdiction.objects.get(pk=max(per_street, key=per_street.get)), None),
    }
    found = {}
    for level, (role, node, _none) in picked.items():
        user = User.objects.filter(username=f"bench_dashboard_{level}").first() or User(
            username=f"bench_dashboard_{level}"
        )
        user.role, user.jurisdiction = role, node
        user.set_unusable_password()
        user.save()
        cases = sum(per_district.values()) if level == "city" else None
        if level == "district":
            cases = per_district[node.pk]
        elif level == "street":
            cases = per_street[node.pk]
        found[level] = {"user": user, "node": node, "cases": cases}
    return found


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    note, timings = prepare(args)
    print(f"city: {note}", flush=True)
    if args.build_only:
        return 0
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from apps.organization.models import Jurisdiction

    first_this = timezone.localdate().replace(day=1)
    month = (first_this - timedelta(days=1)).replace(day=1)
    url = reverse("reports:dashboard")
    lines = [
        f"# The dashboard (驾驶舱) on the bench city{f' ({args.label})' if args.label else ''}",
        "",
        f"City: {Jurisdiction.objects.count():,} jurisdictions; {note}. PostgreSQL "
        f"{connection.pg_version // 10000}; {platform.node()}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; month {month:%Y-%m}; {args.runs} timed runs after "
        f"{args.warmup} warm-ups, ms. Whole Django request (middleware, session, template).",
        "",
        "| level | node | request | children | cases in subtree | median ms | p95 ms | queries | SQL ms (last run) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    failures = []
    for level, found in accounts().items():
        client = Client()
        client.force_login(found["user"])
        base = f"{url}?jurisdiction={found['node'].pk}&on={month.isoformat()}"
        children = Jurisdiction.objects.filter(parent=found["node"]).count()
        # The page (KPIs), then the two parts it loads by htmx as it opens.
        for part, target, headers in (
            ("page (KPIs)", base, {}),
            ("part: trends", f"{base}&part=trends", {"HTTP_HX_REQUEST": "true"}),
            ("part: children", f"{base}&part=children", {"HTTP_HX_REQUEST": "true"}),
        ):

            def get(client=client, target=target, headers=headers):
                response = client.get(target, **headers)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {target} answered {response.status_code}")
                return response

            try:
                stats = measure(get, args.runs, args.warmup)
            except RuntimeError as error:
                failures.append(str(error))
                continue
            sql_ms = sum(float(q["time"]) for q in stats["last_queries"]) * 1000
            lines.append(
                f"| {level} | {found['node'].name} | {part} | {children} | {found['cases']:,} | {stats['median']:.0f} "
                f"| {stats['p95']:.0f} | {stats['queries']} | {sql_ms:.0f} |"
            )
            print(lines[-1], flush=True)
    if timings:
        lines += ["", "## Build", "", "| step | s |", "|---|---:|"]
        lines += [f"| {step} | {float(seconds):.1f} |" for step, seconds in timings.items()]
    out = Path(args.results_dir) / f"reports_dashboard{f'-{args.label}' if args.label else ''}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
