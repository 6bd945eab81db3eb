#!/usr/bin/env python
"""City-scale benchmark of the quarterly ranking (``inspections.rankings.ranking_compute``).

Builds, into a dedicated PostgreSQL database, the city of ``cases_scale.py`` (16 districts,
300 streets, 5,000 communities, 50,000 units of every type) plus ~20,000 estates (小区), loads
1,000,000 cases over the last 12 months with ``cases_scale.load_cases`` and 200,000 submitted
inspections over the same 12 months with PostgreSQL ``COPY``, runs ``VACUUM ANALYZE`` and then
times ``ranking_compute(period_kind="quarter")`` for the last full quarter:

- the whole city at ``level:street``, ``level:community`` (and ``level:estate`` as an extra);
- the busiest district at ``level:community`` and ``unit:catering``;
- the whole city at ``unit:property``.

Each: 1 warm-up + 7 timed runs (median, max), SQL queries per call (CaptureQueriesContext),
rows ranked; ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest query.

Standalone, not a pytest test.  See bench/README.md.

    .venv/bin/python bench/inspections_scale.py                              # full size
    .venv/bin/python bench/inspections_scale.py --cases 20000 --inspections 8000 --units 2000 \\
        --communities 200 --streets 20 --estates 800 --label smoke \\
        --database-url postgresql://postgres@127.0.0.1:5432/chuangwei_inspections_smoke_bench

The database named in the URL is dropped and re-created (its name must contain "bench") and
dropped again at the end, unless --reuse-db (build only when the database does not already hold
a finished build of the same size; keep it afterwards) or --keep-db.  PostgreSQL only (COPY).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import cases_scale  # noqa: E402  (the 1M-case loader and its data checks)
import org_scale  # noqa: E402  (the city builder, database and report helpers)
from org_scale import (  # noqa: E402
    BRANDS,
    GIVEN,
    RESULTS_DIR,
    SURNAMES,
    build_city,
    drop_postgres_database,
    explain,
    setup_django,
    short_sql,
    spread,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_bench_inspections"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_inspections_smoke_bench"
BUILD_TABLE = "bench_build_info"  # one row describing the finished build (for --reuse-db)
ESTATE_SUFFIX = ["小区", "花园", "家园", "苑", "公寓", "新村", "雅居", "嘉园"]
# Unit types with no starter checklist of their own are inspected with the 门前三包 sheet.
FALLBACK_TEMPLATE = "frontage"
ESTATE_TEMPLATE = "residential"
SUMMARIES = ["", "", "整体较好，个别问题已现场指出", "门前卫生需加强", "已要求限期整改", "环境整洁，继续保持"]
PLAN_LINES = 60  # EXPLAIN lines kept in the results file


# Command line -------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL only (default {DEFAULT_URL})")
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--streets", type=int, default=300)
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--estates", type=int, default=20_000, help="estates (小区) spread over the communities")
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument(
        "--units-in-estates", type=float, default=0.8, help="share of units moved into an estate of their community"
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--unit-share", type=float, default=0.85, help="share of sheets about a unit (rest: estates)")
    parser.add_argument("--veto-share", type=float, default=0.01)
    parser.add_argument("--days", type=int, default=365, help="cases and inspections span this many past days")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per operation (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per operation (default 1)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--batch-size", type=int, default=5000, help="bulk_create batch size for units")
    parser.add_argument("--copy-batch", type=int, default=100_000, help="rows per COPY transaction")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse the database when it holds a finished build of the same size (else build it); keep it",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards (for EXPLAIN)")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN of the slowest query")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--label", default="", help="suffix for the results file name (default: none)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 5,000 cases, 3,000 inspections, 2 timed runs; results to inspections_scale-smoke.md "
        "(git-ignored), database dropped at the end",
    )
    args = parser.parse_args(argv)
    args.sqlite_analyze = False  # read by org_scale.build_city
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.districts, args.streets, args.communities, args.estates, args.units = 3, 8, 40, 120, 800
        args.cases, args.inspections, args.runs, args.warmup = 5000, 3000, 2, 1
        args.label = args.label or "smoke"
        args.reuse_db = args.keep_db = False
    if not urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("inspections_scale.py needs PostgreSQL (it loads the data with COPY)")
    return args


def build_params(args) -> dict:
    """What makes two builds the same (compared by --reuse-db)."""
    names = ["districts", "streets", "communities", "estates", "units", "units_in_estates", "cases"]
    names += ["inspections", "unit_share", "veto_share", "days", "seed"]
    return {name: getattr(args, name) for name in names}


# Database: reuse or build -----------------------------------------------------------------


# The build record of a reused database: the same table and functions as cases_scale's.
finished_build, record_build = cases_scale.finished_build, cases_scale.record_build


def build_estates(args, rng: random.Random, communities: list) -> list:
    """Estates (小区, level `estate`) under the communities: bulk insert, then path/depth in one UPDATE."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.organization.models import Jurisdiction, JurisdictionLevel

    level = JurisdictionLevel.objects.get(code="estate")
    now = timezone.now()
    counters: Counter = Counter()
    objs = []
    for community in spread(args.estates, communities, rng):
        counters[community.pk] += 1
        households = rng.randint(150, 1_500)
        objs.append(
            Jurisdiction(
                parent=community,
                level=level,
                code=f"{community.code}{counters[community.pk]:03d}",
                name=f"{rng.choice(BRANDS)}{rng.choice(ESTATE_SUFFIX)}",
                created_at=now,
                households=households,
                population=int(households * rng.uniform(2.3, 3.1)),
            )
        )
    table = connection.ops.quote_name(Jurisdiction._meta.db_table)
    with transaction.atomic():
        estates = Jurisdiction.objects.bulk_create(objs, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS e SET path = p.path || lpad(e.id::text, 9, '0') || '/', depth = p.depth + 1 "
                f"FROM {table} AS p WHERE e.parent_id = p.id AND e.level_id = %s",
                [level.pk],
            )
    sample = Jurisdiction.objects.select_related("parent").get(pk=estates[0].pk)
    assert sample.path == Jurisdiction.child_path(sample.parent.path, sample.pk), sample.path
    return estates


def move_units_into_estates(args, rng: random.Random, estates: list) -> int:
    """Most units lie inside a 小区 (as in the demo); the rest stay on the community (street fronts)."""
    from django.db import connection, transaction

    from apps.organization.models import Unit

    by_community: dict[int, list[int]] = {}
    for estate in estates:
        by_community.setdefault(estate.parent_id, []).append(estate.pk)
    moves = []
    for unit_id, node_id in Unit.objects.order_by("id").values_list("id", "jurisdiction_id").iterator(20_000):
        if node_id in by_community and rng.random() < args.units_in_estates:
            moves.append((unit_id, rng.choice(by_community[node_id])))
    table = connection.ops.quote_name(Unit._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_unit_moves (unit_id bigint, node_id bigint) ON COMMIT DROP")
        with cursor.cursor.copy("COPY bench_unit_moves (unit_id, node_id) FROM STDIN") as copy:
            for move in moves:
                copy.write_row(move)
        cursor.execute(
            f"UPDATE {table} AS u SET jurisdiction_id = m.node_id FROM bench_unit_moves AS m WHERE u.id = m.unit_id"
        )
    return len(moves)


def inspection_days(rng: random.Random, count: int, days: int, today: date) -> list[date]:
    """`count` inspection dates over the last `days` days (few on weekends); sorted."""
    result = []
    while len(result) < count:
        day = today - timedelta(days=int(rng.random() * days))
        if day.weekday() >= 5 and rng.random() < 0.85:
            continue
        result.append(day)
    result.sort()
    return result


def load_inspections(args, rng: random.Random, estates: list, now: datetime) -> dict:
    """Generate the submitted sheets and COPY them in (no InspectionResult rows)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.db.models import Sum
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.inspections.models import ChecklistItem, ChecklistTemplate, Inspection
    from apps.organization.choices import UnitStatus
    from apps.organization.models import Jurisdiction, Unit

    timings = {}
    t0 = time.perf_counter()
    tz = timezone.get_current_timezone()
    templates = {t.code: t for t in ChecklistTemplate.objects.prefetch_related("unit_types")}
    version_of = {code: t.current_version_id for code, t in templates.items()}
    max_totals = dict(
        ChecklistItem.objects.filter(version_id__in=version_of.values())
        .values_list("version_id")
        .annotate(total=Sum("max_score"))
        .values_list("version_id", "total")
    )
    templates_for_type: dict[str, list[str]] = {}
    for code, template in templates.items():
        for unit_type in template.unit_types.all():
            templates_for_type.setdefault(unit_type.code, []).append(code)
    district_of = {}
    for pk, path in Jurisdiction.objects.filter(depth__gte=1).values_list("id", "path").iterator(20_000):
        district_of[pk] = int(path.strip("/").split("/")[1])
    districts = list(Jurisdiction.objects.filter(depth=1).order_by("id").values_list("id", flat=True))
    password = make_password(None)
    inspectors = User.objects.bulk_create(
        [
            User(
                username=f"bench_inspector_{d}_{k}",
                password=password,
                role=Role.INSPECTOR,
                jurisdiction_id=d,
                last_name=rng.choice(SURNAMES),
                first_name=rng.choice(GIVEN),
            )
            for d in districts
            for k in range(1, 4)
        ]
    )
    inspectors_of: dict[int, list[int]] = {}
    for user in inspectors:
        inspectors_of.setdefault(user.jurisdiction_id, []).append(user.pk)
    units = list(
        Unit.objects.exclude(status=UnitStatus.CANCELLED)
        .order_by("id")
        .values_list("id", "jurisdiction_id", "unit_type__code")
        .iterator(20_000)
    )
    estate_ids = [e.pk for e in estates]
    days = inspection_days(rng, args.inspections, args.days, now.astimezone(tz).date())
    timings["inspections: draw targets and days"] = time.perf_counter() - t0

    columns = [f.column for f in Inspection._meta.concrete_fields]
    table = connection.ops.quote_name(Inspection._meta.db_table)
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    quality: dict[tuple[str, int], float] = {}  # a lasting offset per target: some places are always tidier
    per_template: Counter = Counter()
    t0 = time.perf_counter()
    start = 0
    while start < args.inspections:
        stop = min(start + args.copy_batch, args.inspections)
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for index in range(start, stop):
                day = days[index]
                if rng.random() < args.unit_share:
                    unit_id, node_id, type_code = rng.choice(units)
                    template = rng.choice(templates_for_type.get(type_code) or [FALLBACK_TEMPLATE])
                    target = ("unit", unit_id)
                else:
                    unit_id, node_id, template = None, rng.choice(estate_ids), ESTATE_TEMPLATE
                    target = ("estate", node_id)
                offset = quality.setdefault(target, rng.gauss(0, 4))
                vetoed = rng.random() < args.veto_share
                percent = min(100.0, max(60.0, rng.gauss(87 + offset - (12 if vetoed else 0), 6)))
                percent = Decimal(f"{percent:.1f}")
                version_id = version_of[template]
                max_total = max_totals[version_id]
                total = (percent * max_total / 100).quantize(Decimal("0.1"))
                started = datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59), tzinfo=tz)
                submitted = started + timedelta(minutes=rng.randint(10, 90))
                row = {
                    "id": index + 1,
                    "created_at": started - timedelta(days=rng.randint(0, 10)),
                    "updated_at": submitted,
                    "version": 3,
                    "round_id": None,
                    "checklist_id": version_id,
                    "target_unit_id": unit_id,
                    "target_jurisdiction_id": node_id,
                    "inspector_id": rng.choice(inspectors_of[district_of[node_id]]),
                    "status": "submitted",
                    "started_at": started,
                    "submitted_at": submitted,
                    "inspected_on": day,
                    "max_total": max_total,
                    "total": total,
                    "percent": percent,
                    "vetoed": vetoed,
                    "original_total": total,
                    "original_percent": percent,
                    "appeal_until": day + timedelta(days=3),
                    "representative_name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}" if rng.random() < 0.7 else "",
                    "representative_confirmed": False,
                    "summary": rng.choice(SUMMARIES),
                }
                row["representative_confirmed"] = bool(row["representative_name"]) and rng.random() < 0.8
                if index == 0:
                    missing = set(columns) ^ set(row)
                    assert not missing, f"generated columns differ from the model: {sorted(missing)}"
                copy.write_row([row[c] for c in columns])
                per_template[template] += 1
        start = stop
        print(f"  … {stop:,} inspections", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",
            [Inspection._meta.db_table],
        )
    timings["inspections: generate + COPY"] = time.perf_counter() - t0
    return {"timings": timings, "per_template": dict(per_template), "inspectors": len(inspectors)}


def build(args, rng: random.Random) -> dict:
    import benchdb
    from django.db import connection
    from django.utils import timezone

    timings = {}
    t0 = time.perf_counter()
    benchdb.migrate()
    timings["migrate"] = time.perf_counter() - t0
    print(f"migrate: {timings['migrate']:.1f} s", flush=True)
    city = build_city(args, rng)
    timings.update(city["timings"])
    t0 = time.perf_counter()
    estates = build_estates(args, rng, city["communities"])
    timings["estates"] = time.perf_counter() - t0
    print(f"  {len(estates):,} estates", flush=True)
    now = timezone.now()
    loaded = cases_scale.load_cases(args, rng, city, now)  # assignee units are picked per community ...
    timings.update(loaded["timings"])
    t0 = time.perf_counter()
    moved = move_units_into_estates(args, rng, estates)  # ... so the units move into estates afterwards
    timings["move units into estates"] = time.perf_counter() - t0
    print(f"  {moved:,} units moved into estates", flush=True)
    inspections = load_inspections(args, rng, estates, now)
    timings.update(inspections["timings"])
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if args.smoke:  # tiny data: statistics are enough, no flush
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
    timings["vacuum analyze + checkpoint (after the inspections)"] = time.perf_counter() - t0
    record_build(build_params(args), timings)
    return {"timings": timings}


# Facts about the data -------------------------------------------------------------------


def data_facts(quarter: tuple[date, date]) -> dict:
    from django.db.models import Avg, Count, Max, Min, Q

    from apps.cases.models import Case
    from apps.inspections.models import Inspection
    from apps.organization.models import Jurisdiction, Unit
    from apps.worktime.periods import local_midnight

    start, end = quarter
    levels = dict(Jurisdiction.objects.order_by().values_list("level__code").annotate(n=Count("id")))
    unit_types = dict(Unit.objects.order_by().values_list("unit_type__code").annotate(n=Count("id")))
    sheets = Inspection.objects.aggregate(
        total=Count("id"),
        submitted=Count("id", filter=Q(status="submitted")),
        on_units=Count("id", filter=Q(target_unit__isnull=False)),
        vetoed=Count("id", filter=Q(vetoed=True)),
        first=Min("inspected_on"),
        last=Max("inspected_on"),
        percent_min=Min("percent"),
        percent_avg=Avg("percent"),
        percent_max=Max("percent"),
    )
    in_quarter = Inspection.objects.filter(status="submitted", inspected_on__range=quarter)
    sheets["quarter"] = in_quarter.count()
    sheets["quarter_on_units"] = in_quarter.filter(target_unit__isnull=False).count()
    templates = dict(Inspection.objects.order_by().values_list("checklist__template__code").annotate(n=Count("id")))
    cases_quarter = Case.objects.filter(
        created_at__gte=local_midnight(start), created_at__lt=local_midnight(end) + timedelta(days=1)
    ).count()
    summary = cases_scale.data_summary(datetime.now().astimezone())
    return {
        "levels": levels,
        "unit_types": unit_types,
        "units": sum(unit_types.values()),
        "units_in_estates": Unit.objects.filter(jurisdiction__level__code="estate").count(),
        "sheets": sheets,
        "templates": templates,
        "cases": summary,
        "cases_quarter": cases_quarter,
    }


def machine_facts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return {"db_version": version, "pg_settings": settings, "db_size": size, "memory": memory}


# Measuring ------------------------------------------------------------------------------


def last_full_quarter(today: date) -> tuple[date, date]:
    from apps.worktime.periods import period_bounds

    start, _end = period_bounds("quarter", today)
    return period_bounds("quarter", start - timedelta(days=1))


def busiest_district(quarter: tuple[date, date]):
    """The district with the most submitted sheets in the quarter (the worst case for an office)."""
    from django.db.models import Count

    from apps.inspections.models import Inspection
    from apps.organization.models import Jurisdiction

    per_node = (
        Inspection.objects.filter(status="submitted", inspected_on__range=quarter)
        .order_by()
        .values_list("target_jurisdiction__path")
        .annotate(n=Count("id"))
    )
    per_district: Counter = Counter()
    for path, n in per_node:
        parts = path.strip("/").split("/")
        if len(parts) > 1:
            per_district[int(parts[1])] += n
    district_id, _n = max(per_district.items(), key=lambda kv: (kv[1], -kv[0]))
    return Jurisdiction.objects.get(pk=district_id), per_district[district_id]


QUERY_KINDS = ["sheets aggregate", "cases aggregate", "paths by id IN (…)", "targets", "other"]


def query_kind(sql: str) -> str:
    """Which part of ranking_compute a captured query belongs to (by its shape)."""
    if 'FROM "cases_case"' in sql:
        return "cases aggregate"
    if 'FROM "inspections_inspection"' in sql:
        return "sheets aggregate"
    if re.search(r'FROM "organization_jurisdiction" WHERE "organization_jurisdiction"\."id" IN \(', sql):
        return "paths by id IN (…)"
    if 'FROM "organization_unit"' in sql or "jurisdictionlevel" in sql:
        return "targets"
    return "other"


def in_list_size(sql: str) -> int:
    match = re.search(r'"id" IN \(([^)]*)\)', sql)
    return match.group(1).count(",") + 1 if match else 0


def time_ranking(node, level_key: str, day: date, runs: int, warmup: int) -> dict:
    """warmup + runs calls of ranking_compute; wall and SQL time of each, queries of the slowest run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.inspections.rankings import ranking_compute

    def call():
        return ranking_compute(node=node, period_kind="quarter", day=day, level_key=level_key)

    for _ in range(warmup):
        call()
    walls, sql_times, counts, slowest_run = [], [], [], None
    kind_times: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
    kind_counts: Counter = Counter()
    biggest_in_list = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = call()
            wall = (time.perf_counter() - t0) * 1000
        queries = list(ctx.captured_queries)
        sql = sum(float(q.get("time") or 0) for q in queries) * 1000
        per_kind: Counter = Counter()
        kind_counts = Counter()
        for q in queries:
            kind = query_kind(q["sql"])
            per_kind[kind] += float(q.get("time") or 0) * 1000
            kind_counts[kind] += 1
            if kind == "paths by id IN (…)":
                biggest_in_list = max(biggest_in_list, in_list_size(q["sql"]))
        for kind in QUERY_KINDS:
            kind_times[kind].append(per_kind[kind])
        walls.append(wall)
        sql_times.append(sql)
        counts.append(len(queries))
        if slowest_run is None or wall > slowest_run["wall"]:
            slowest_run = {"wall": wall, "queries": queries}
    return {
        "median": statistics.median(walls),
        "max": max(walls),
        "min": min(walls),
        "sql_median": statistics.median(sql_times),
        "kinds": {kind: (statistics.median(times), kind_counts[kind]) for kind, times in kind_times.items()},
        "biggest_in_list": biggest_in_list,
        "case_aggregates": max(
            (
                q["sql"].count("COUNT(") + q["sql"].count("SUM(")
                for q in queries
                if query_kind(q["sql"]) == "cases aggregate"
            ),
            default=0,
        ),
        "queries": counts[0] if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}",
        "ranked": len(result.rows),
        "not_inspected": result.not_inspected,
        "sheets": sum(r.inspections for r in result.rows),
        "cases": sum(r.cases for r in result.rows),
        "vetoed": sum(1 for r in result.rows if r.vetoed),
        "top": result.rows[0] if result.rows else None,
        "period": (result.start, result.end),
        "slowest_run": slowest_run,
    }


def run_benchmarks(args, city, district, quarter) -> list[dict]:
    day = quarter[0]
    ops = [
        ("city", city, "level:street", ""),
        ("city", city, "level:community", ""),
        ("district", district, "level:community", ""),
        ("district", district, "unit:catering", ""),
        ("city", city, "unit:property", ""),
        ("city", city, "level:estate", "extra"),
    ]
    results = []
    for scope, node, level_key, note in ops:
        stats = time_ranking(node, level_key, day, args.runs, args.warmup)
        results.append({"scope": scope, "node": node, "level_key": level_key, "note": note, **stats})
        print(
            f"  {scope:<8} {level_key:<16} ranked {stats['ranked']:>6,}  median {stats['median']:8.1f} ms"
            f"  max {stats['max']:8.1f} ms  sql {stats['sql_median']:8.1f} ms  q={stats['queries']}",
            flush=True,
        )
    return results


def slowest_query(results: list[dict]) -> tuple[dict, dict]:
    best = None
    for result in results:
        for query in result["slowest_run"]["queries"]:
            if best is None or float(query.get("time") or 0) > float(best[1].get("time") or 0):
                best = (result, query)
    return best


# Report ---------------------------------------------------------------------------------


def shorten_plan(plan: str, limit: int = PLAN_LINES) -> str:
    lines = plan.splitlines()
    if len(lines) <= limit:
        return plan
    return "\n".join([*lines[:limit], f"… ({len(lines) - limit} more lines)"])


def interpretation(results: list[dict], slow: tuple[dict, dict] | None) -> list[str]:
    """Plain reading of the numbers (generated from them, so it stays true on a re-run)."""
    lines = []
    worst = max(results, key=lambda r: r["median"])
    fastest = min(results, key=lambda r: r["median"])
    counts = sorted({str(r["queries"]) for r in results})
    lines.append(
        f"- Every call costs a fixed number of queries ({', '.join(counts)}) whatever the size of the scope: "
        "one grouped query per component (sheets, cases) for the period and for the previous period "
        "(the movement column), plus the targets, their paths and the scheme. No N+1."
    )
    lines.append(
        f"- Slowest: {worst['scope']} `{worst['level_key']}` — median {worst['median']:.0f} ms (max "
        f"{worst['max']:.0f} ms), of which {worst['sql_median']:.0f} ms in SQL; fastest: {fastest['scope']} "
        f"`{fastest['level_key']}` — {fastest['median']:.0f} ms."
    )
    over = [r for r in results if r["median"] > 2000]
    if over:
        lines.append(
            "- **Over 2 s:** "
            + ", ".join(f"{r['scope']} `{r['level_key']}` ({r['median']:.0f} ms)" for r in over)
            + " — see the EXPLAIN below and the suggested change."
        )
    else:
        lines.append("- Nothing is over 2 s: a quarterly ranking of the whole city is interactive on 2 CPUs.")
    for r in [r for r in results if r["median"] > 1000] or [worst]:  # the slow ones, in detail
        kinds = r["kinds"]
        paths_ms, paths_n = kinds["paths by id IN (…)"]
        cases_ms, cases_n = kinds["cases aggregate"]
        sheets_ms, sheets_n = kinds["sheets aggregate"]
        python_ms = r["median"] - r["sql_median"]
        lines.append(
            f"- {r['scope']} `{r['level_key']}` ({r['median']:.0f} ms): cases aggregate {cases_ms:.0f} ms "
            f"({cases_n} queries), sheets aggregate {sheets_ms:.0f} ms ({sheets_n}), "
            + (
                f"paths of the grouped rows {paths_ms:.0f} ms ({paths_n} queries with `id IN (…)` lists of up to "
                f"{r['biggest_in_list']:,} ids), "
                if paths_n
                else ""
            )
            + f"Python {python_ms:.0f} ms (building those queries, converting and folding the grouped rows — one "
            f"per jurisdiction, not per target — into {r['ranked'] + r['not_inspected']:,} targets, ranking "
            f"{r['ranked']:,} twice: this period and the previous one)."
        )
    if any(r["kinds"]["paths by id IN (…)"][1] for r in results if r["median"] > 1000):
        lines.append(
            "- The path look-ups are `_fold_by_path`: the grouped rows come back per jurisdiction id and their paths "
            "are then fetched with an `IN` list of every id. The sheets and cases queries already join "
            "`organization_jurisdiction` (for the subtree filter), so the path could come back with them — or "
            "the folding could be done in SQL (GROUP BY the target's path prefix) and return one row per target."
        )
    many = [r for r in results if r["median"] > 1000 and r["case_aggregates"] > 5]
    if many:
        lines.append(
            f"- The cases aggregate computes {many[0]['case_aggregates']} figures (`rollups.case_counts`, including "
            "SUM(closed_at − created_at)) while the ranking reads 4 (reported, due, closed_on_time, recurrences)."
        )
    if slow:
        result, query = slow
        share = float(query.get("time") or 0) * 1000 / max(result["slowest_run"]["wall"], 1e-9)
        lines.append(
            f"- The slowest single query ({float(query.get('time') or 0) * 1000:.0f} ms, {share:.0%} of its call) "
            f"belongs to {result['scope']} `{result['level_key']}`; its plan is below."
        )
    return lines


def render_report(ctx: dict) -> str:
    import django

    args, facts, machine = ctx["args"], ctx["facts"], ctx["machine"]
    results, quarter, previous = ctx["results"], ctx["quarter"], ctx["previous"]
    sheets, levels, cases = facts["sheets"], facts["levels"], facts["cases"]
    district, district_sheets = ctx["district"], ctx["district_sheets"]
    pg = machine["pg_settings"]
    lines = [
        "# inspections_scale benchmark — postgresql",
        "",
        f"- run at: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- database: postgresql {machine['db_version']} (shared_buffers {pg['shared_buffers']}, work_mem "
        f"{pg['work_mem']}, effective_cache_size {pg['effective_cache_size']}, max_parallel_workers_per_gather "
        f"{pg['max_parallel_workers_per_gather']}, jit {pg['jit']}); database size {machine['db_size']}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {machine['memory']}, Python "
        f"{platform.python_version()}, Django {django.get_version()}; the database runs on the same machine; "
        f"load average (1/5/15 min) {'/'.join(f'{x:.1f}' for x in ctx['load'][0])} before and "
        f"{'/'.join(f'{x:.1f}' for x in ctx['load'][1])} after the measurements (other work shares the CPUs)",
        f"- build: {ctx['build_note']}",
        f'- measured: `ranking_compute(node=…, period_kind="quarter", day={quarter[0]}, level_key=…)` = quarter '
        f"{quarter[0]} … {quarter[1]} (the last full quarter; the call also computes the previous quarter "
        f"{previous[0]} … {previous[1]} for the movement column), called in-process; {args.warmup} warm-up + "
        f"{args.runs} timed runs each; SQL queries counted with CaptureQueriesContext",
        f"- district = {district.name} ({district.code}), the district with the most sheets in the quarter "
        f"({district_sheets:,})",
        "",
        "## Data",
        "",
        "| what | rows |",
        "|---|---:|",
    ]
    for code, label in [
        ("city", "city"),
        ("district", "districts"),
        ("street", "streets"),
        ("community", "communities"),
        ("estate", "estates (小区)"),
    ]:
        lines.append(f"| jurisdictions: {label} | {levels.get(code, 0):,} |")
    lines += [
        f"| units (every type; {facts['units_in_estates']:,} inside an estate, the rest on a community) | "
        f"{facts['units']:,} |",
        f"| cases (over the last {args.days} days) | {cases['total']:,} |",
        f"| … created in the quarter {quarter[0]:%Y-%m}…{quarter[1]:%m} | {facts['cases_quarter']:,} |",
        f"| inspections, all submitted (inspected_on {sheets['first']} … {sheets['last']}) | {sheets['total']:,} |",
        f"| … in the quarter | {sheets['quarter']:,} |",
        f"| … in the quarter, about a unit / about an estate | {sheets['quarter_on_units']:,} / "
        f"{sheets['quarter'] - sheets['quarter_on_units']:,} |",
        "| InspectionResult rows | 0 (not generated: the ranking reads only the sheets' `percent` and `vetoed`) |",
        "",
        "- unit types: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(facts["unit_types"].items(), key=lambda kv: -kv[1])),
        f"- sheets about a unit: {sheets['on_units'] / sheets['total']:.1%} (target_jurisdiction = the unit's "
        f"jurisdiction); about an estate: {1 - sheets['on_units'] / sheets['total']:.1%} (target_unit NULL, template "
        f"`{ESTATE_TEMPLATE}`)",
        f"- percent min/avg/max {sheets['percent_min']} / {sheets['percent_avg']:.1f} / {sheets['percent_max']} "
        f"(max_total 100, total = percent, original_total/original_percent equal); vetoed "
        f"{sheets['vetoed']:,} ({sheets['vetoed'] / sheets['total']:.1%})",
        "- checklist (starter template's current version): "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(facts["templates"].items(), key=lambda kv: -kv[1]))
        + f" (unit types without a starter template of their own — property, stall, rental — use "
        f"`{FALLBACK_TEMPLATE}`)",
        "- cases: as in `cases_scale.py` (status mix "
        + ", ".join(
            f"{k} {v / cases['total']:.0%}" for k, v in sorted(cases["by_status"].items(), key=lambda kv: -kv[1])[:4]
        )
        + f", …; recurrences {cases['recurrences'] / cases['total']:.1%}); they stay on the communities, their "
        "assignee units move into estates with the units",
        "",
        "## Build",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    for step, seconds in ctx["build_timings"].items():
        lines.append(f"| {step} | {seconds:.1f} |")
    lines += [
        "",
        "## Ranking timings",
        "",
        "| scope | level_key | targets | ranked | sheets ranked | cases ranked | median ms | max ms | "
        "SQL ms (median) | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        scope = "city" if r["scope"] == "city" else f"district {r['node'].name}"
        extra = " (extra)" if r["note"] else ""
        lines.append(
            f"| {scope} | `{r['level_key']}`{extra} | {r['ranked'] + r['not_inspected']:,} | {r['ranked']:,} | "
            f"{r['sheets']:,} | {r['cases']:,} | {r['median']:.0f} | {r['max']:.0f} | {r['sql_median']:.0f} | "
            f"{r['queries']} |"
        )
    lines += [
        "",
        "targets: candidates in scope (jurisdictions of that level, or non-cancelled units of that type); ranked: "
        "those with at least one sheet in the quarter (only inspected targets are ranked); sheets/cases ranked: "
        "summed over the ranked rows; SQL ms: the database time of the captured queries, the rest is Python "
        "(building the tallies, folding paths, ranking).",
        "",
        "## Where the time goes (medians)",
        "",
        "| scope | level_key | " + " | ".join(f"{kind} ms (queries)" for kind in QUERY_KINDS) + " | Python ms |",
        "|---|---|" + "---:|" * (len(QUERY_KINDS) + 1),
        *[
            f"| {r['scope']} | `{r['level_key']}` | "
            + " | ".join(f"{r['kinds'][k][0]:.0f} ({r['kinds'][k][1]})" for k in QUERY_KINDS)
            + f" | {r['median'] - r['sql_median']:.0f} |"
            for r in results
        ],
        "",
        "Python = median wall time − median SQL time (Django building the queries, psycopg sending them and "
        "converting the rows, the selector's folding and ranking).",
        "",
        "## Interpretation",
        "",
        *interpretation(results, ctx["slow"]),
        "",
        "## Queries of the slowest call",
        "",
    ]
    worst = max(results, key=lambda r: r["median"])
    lines.append(
        f"{worst['scope']} `{worst['level_key']}` (its slowest timed run, {worst['slowest_run']['wall']:.0f} ms):"
    )
    lines.append("")
    for i, q in enumerate(worst["slowest_run"]["queries"], 1):
        lines.append(f"{i}. {float(q.get('time') or 0) * 1000:.1f} ms — `{short_sql(q['sql'])[:220]}`")
    if ctx["slow"]:
        result, query = ctx["slow"]
        lines += [
            "",
            f"## Slowest query: {result['scope']} `{result['level_key']}` — "
            f"{float(query.get('time') or 0) * 1000:.0f} ms",
            "",
            "```sql",
            short_sql(query["sql"])[:3000],
            "```",
        ]
        if query.get("plan"):
            lines += ["", "EXPLAIN (ANALYZE, BUFFERS), shortened:", "", "```", shorten_plan(query["plan"]), "```"]
    return "\n".join(lines) + "\n"


# Main -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    url = args.database_url
    reused = finished_build(url, build_params(args)) if args.reuse_db else None
    if not reused:
        org_scale.create_postgres_database(url)
    print(f"database: {url} ({'reused' if reused else 'new'})", flush=True)
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.utils import timezone

        from apps.organization.models import Jurisdiction

        if reused:
            call_command("migrate", verbosity=0, interactive=False)  # app migrations may have moved on
            cases_scale.rebuild_rollups()  # a database built before the statistics rollups existed
            from django.db import connection

            with connection.cursor() as cursor:
                # The rebuild left dead rows and stale statistics: timings before this measured them
                # (the city community ranking 1,150 ms before, 809 ms after, on a quiet machine).
                cursor.execute("VACUUM ANALYZE")
            stored = reused["timings"]
            build_timings = {k: float(v) for k, v in (stored.items() if isinstance(stored, dict) else stored)}
            build_note = f"reused the database built at {reused['built_at']:%Y-%m-%d %H:%M %Z} (--reuse-db)"
        else:
            t0 = time.perf_counter()
            build_timings = build(args, rng)["timings"]
            build_timings["total"] = time.perf_counter() - t0
            build_note = f"fresh, {build_timings['total']:.0f} s (seed {args.seed})"
        print("build: " + ", ".join(f"{k} {v:.1f} s" for k, v in build_timings.items()), flush=True)

        quarter = last_full_quarter(timezone.localdate())
        from apps.worktime.periods import previous_period

        previous = previous_period("quarter", quarter[0])
        city = Jurisdiction.objects.get(depth=0)
        district, district_sheets = busiest_district(quarter)
        facts = data_facts(quarter)
        print(
            f"data: {facts['sheets']['total']:,} inspections ({facts['sheets']['quarter']:,} in {quarter[0]}…"
            f"{quarter[1]}), {facts['cases']['total']:,} cases, {facts['units']:,} units",
            flush=True,
        )
        load_before = os.getloadavg()
        results = run_benchmarks(args, city, district, quarter)
        load_after = os.getloadavg()
        slow = slowest_query(results)
        if slow and not args.no_explain and slow[1]["sql"].lstrip().upper().startswith("SELECT"):
            slow[1]["plan"] = explain(slow[1]["sql"])
        report = render_report(
            {
                "args": args,
                "facts": facts,
                "machine": machine_facts(),
                "build_timings": build_timings,
                "build_note": build_note,
                "quarter": quarter,
                "previous": previous,
                "district": district,
                "district_sheets": district_sheets,
                "results": results,
                "slow": slow,
                "load": (load_before, load_after),
            }
        )
        print()
        print(report)
        results_dir = Path(args.results_dir)
        results_dir.mkdir(parents=True, exist_ok=True)
        out = results_dir / f"inspections_scale{('-' + args.label) if args.label else ''}.md"
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # django may not be set up yet
            pass
        if args.keep_db or args.reuse_db:
            print(f"kept database {url}")
        else:
            drop_postgres_database(url)
        import shutil

        for directory in org_scale.TEMP_DIRS:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
