#!/usr/bin/env python
"""City-scale benchmark of the restricted unit list (``/org/units/``) and subtree counts.

Builds a whole city into an EMPTY database (1 city, 16 districts, 300 streets,
5,000 communities, 500,000 units by default), creates a street-level and a
district-level account, and measures the real unit list page through
``django.test.Client`` plus the subtree counts behind it.

Standalone, not a pytest test.  See bench/README.md.

    .venv/bin/python bench/org_scale.py                                   # SQLite in /tmp
    .venv/bin/python bench/org_scale.py --units 5000 --communities 500    # smoke run
    .venv/bin/python bench/org_scale.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/chuangwei_bench

For PostgreSQL the database named in the URL is dropped and re-created (its
name must contain "bench") and dropped again at the end unless --keep-db.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
TEMP_DIRS: list[str] = []  # temporary directories this run created (removed at the end)

# Word lists for plausible Chinese names -----------------------------------------------

PLACE_WORDS = [
    "东城",
    "西城",
    "南山",
    "北湖",
    "青龙",
    "白虎",
    "金牛",
    "锦江",
    "武侯",
    "高新",
    "天府",
    "龙泉",
    "新都",
    "温江",
    "双流",
    "郫都",
    "涪城",
    "游仙",
    "安州",
    "江油",
    "三台",
    "盐亭",
    "梓潼",
    "北川",
    "平武",
    "科创",
    "仙海",
    "经开",
    "园艺",
    "城郊",
    "开元",
    "朝阳",
    "长虹",
    "富乐",
    "芙蓉",
    "石塘",
    "丰谷",
    "杨家",
    "魏城",
    "忠兴",
    "小枧",
    "吴家",
    "新皂",
    "松垭",
    "柏林",
    "玉河",
    "刘家",
    "永兴",
    "塘汛",
    "城厢",
    "普明",
    "工区",
]
ROADS = [
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "滨江路",
    "临园路",
    "剑南路",
    "花园路",
    "长虹大道",
    "绵州大道",
    "东街",
    "西街",
    "南街",
    "北街",
    "文化街",
    "兴隆街",
    "新华街",
    "红星街",
    "涪江路",
    "富乐路",
]
BRANDS = [
    "鑫源",
    "华联",
    "金色",
    "阳光",
    "新世纪",
    "红旗",
    "幸福",
    "康乐",
    "百姓",
    "家家乐",
    "好又多",
    "永辉",
    "老味道",
    "川香",
    "蜀味",
    "巴山",
    "锦绣",
    "和平",
    "万家",
    "兴旺",
    "福满",
    "吉祥",
    "顺发",
    "宏达",
    "恒信",
    "众诚",
    "安泰",
    "德润",
    "长青",
    "明珠",
    "天成",
    "利民",
    "惠民",
    "东方",
    "南国",
    "北辰",
    "春晖",
    "秋实",
    "翠竹",
    "桂花",
    "银杏",
    "梧桐",
    "紫荆",
    "海棠",
    "牡丹",
    "芙蓉",
    "青松",
    "白云",
    "金鼎",
    "玉龙",
    "凤凰",
    "麒麟",
    "祥云",
    "瑞丰",
    "盛世",
    "宏图",
    "锦程",
    "鸿运",
    "嘉禾",
    "同德",
]
TYPE_SUFFIX = {
    "government": ["办事处", "管理所", "服务中心"],
    "partner": ["有限公司", "集团分公司", "共建站"],
    "property": ["物业管理有限公司", "物业服务中心"],
    "shop": ["超市", "便利店", "五金店", "服装店", "水果店", "烟酒店"],
    "catering": ["饭店", "火锅店", "面馆", "小吃店", "串串香", "烧烤"],
    "six_small": ["理发店", "美容院", "洗浴中心", "小旅馆", "网吧", "歌厅"],
    "school": ["小学", "中学", "幼儿园", "培训学校"],
    "medical": ["诊所", "卫生服务站", "药房", "口腔门诊"],
    "market": ["农贸市场", "菜市场"],
    "stall": ["摊位", "早餐摊", "水果摊"],
    "construction": ["建设项目工地", "安置房工地"],
    "rental": ["出租屋", "公寓"],
    "other": ["经营部", "工作室", "服务部"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽华",
    "海燕",
    "军",
    "敏",
    "静",
    "伟",
    "芳",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# (status, weight) -- most units trade, some are suspended or closed.
STATUS_WEIGHTS = [("operating", 88), ("suspended", 8), ("cancelled", 4)]
# (unit type code, weight) -- shops and restaurants dominate a real city.
TYPE_WEIGHTS = {
    "government": 2,
    "partner": 2,
    "property": 4,
    "shop": 30,
    "catering": 22,
    "six_small": 14,
    "school": 2,
    "medical": 3,
    "market": 1,
    "stall": 8,
    "construction": 1,
    "rental": 9,
    "other": 2,
}
CITY_CENTER = (31.467, 104.683)
FILTER_FRAGMENT = "阳光"  # one of BRANDS (also a plausible address/estate fragment)


# Command line and environment ---------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file under /tmp")
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--streets", type=int, default=300)
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--units", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per operation (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs per operation (default 2)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--batch-size", type=int, default=5000, help="bulk_create batch size for units")
    parser.add_argument("--q", default=FILTER_FRAGMENT, help=f"name fragment for the filtered list ({FILTER_FRAGMENT})")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="run ANALYZE on SQLite after the build (Django never does; off by default)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards (for EXPLAIN)")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN of the slowest queries")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--label", default="", help="suffix for the results file name (default: none)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 2,000 units, 60 communities, 2 timed runs; results to org_scale-<db>-smoke.md",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.districts, args.streets, args.communities, args.units = 3, 10, 60, 2000
        args.runs, args.warmup, args.keep_db = 2, 1, False
        args.label = args.label or "smoke"
    return args


def prepare_database(args) -> tuple[str, str, dict]:
    """Return (database url, vendor, info) of an EMPTY database, creating it when needed."""
    url = args.database_url
    if not url:
        tmpdir = tempfile.mkdtemp(prefix="org_scale_")
        url = f"sqlite:///{tmpdir}/org_scale.sqlite3"
    scheme = urlsplit(url).scheme
    if scheme.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        if path.exists() and path.stat().st_size > 0:
            sys.exit(f"refusing to build into existing SQLite file {path}; remove it or pick another path")
        return url, "sqlite", {"sqlite_file": str(path)}
    if scheme.startswith("postgres"):
        create_postgres_database(url)
        return url, "postgresql", {}
    sys.exit(f"unsupported database url: {url}")


def _pg_parts(url: str) -> tuple[str, str]:
    import benchdb

    return benchdb.pg_parts(url)


def create_postgres_database(url: str) -> None:
    """Drop and re-create it; a copy of $BENCH_TEMPLATE_DB (already migrated) when set (benchdb)."""
    import benchdb

    benchdb.create_postgres(url)


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name, admin_url = _pg_parts(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DJANGO_DEBUG"] = "false"
    if "CHUANGWEI_VAR_DIR" not in os.environ:
        var_dir = tempfile.mkdtemp(prefix="org_scale_var_")
        os.environ["CHUANGWEI_VAR_DIR"] = var_dir
        TEMP_DIRS.append(var_dir)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    # DEBUG off needs a secret key (settings refuse to start without one); a throwaway one.
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(32).hex())
    sys.path.insert(0, str(PROJECT_DIR))
    import warnings

    import django

    # whitenoise warns that STATIC_ROOT was never collected; irrelevant for this benchmark.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


# Building the city --------------------------------------------------------------------


def spread(n_children: int, parents: list, rng: random.Random) -> list:
    """Assign each of n_children a parent: every parent gets at least one (when possible),
    the rest follow uneven (log-normal) weights, as real districts/streets differ in size."""
    if not parents or n_children <= 0:
        return []
    base = list(parents[: min(len(parents), n_children)])
    weights = [rng.lognormvariate(0, 0.5) for _ in parents]
    rest = rng.choices(parents, weights=weights, k=n_children - len(base))
    assigned = base + rest
    rng.shuffle(assigned)
    return assigned


def build_city(args, rng: random.Random) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.organization.models import Jurisdiction, JurisdictionLevel, Unit, UnitType

    if Jurisdiction.objects.exists() or Unit.objects.exists():
        sys.exit("database is not empty: refusing to build the benchmark city into it")

    timings = {}
    levels = {
        lvl.code: lvl for lvl in JurisdictionLevel.objects.filter(code__in=["city", "district", "street", "community"])
    }
    missing = {"city", "district", "street", "community"} - set(levels)
    if missing:
        sys.exit(f"missing default jurisdiction levels {sorted(missing)} (migration organization.0002?)")
    unit_types = list(UnitType.objects.all())
    if not unit_types:
        sys.exit("no unit types (migration organization.0002?)")

    now = timezone.now()

    # --- jurisdictions: one level at a time, then path/depth from the returned ids
    t0 = time.perf_counter()
    with transaction.atomic():
        city = Jurisdiction(
            level=levels["city"],
            code="510700000000",
            name="绵阳市",
            created_at=now,
            population=5_000_000,
            households=1_800_000,
        )
        city.save()
        city.path, city.depth = Jurisdiction.child_path("", city.pk), 0
        Jurisdiction.objects.filter(pk=city.pk).update(path=city.path, depth=0)

        def create_level(parents_for_children: list, level, name_suffix: str, code_of) -> list:
            counters: dict[int, int] = {}
            objs = []
            for parent in parents_for_children:
                k = counters[parent.pk] = counters.get(parent.pk, 0) + 1
                objs.append(
                    Jurisdiction(
                        parent=parent,
                        level=level,
                        code=code_of(parent, k),
                        name=f"{rng.choice(PLACE_WORDS)}{rng.choice(PLACE_WORDS)}{name_suffix}",
                        created_at=now,
                        population=rng.randint(2_000, 20_000),
                        households=rng.randint(700, 2_000),
                    )
                )
            created = Jurisdiction.objects.bulk_create(objs, batch_size=1000)
            for obj in created:
                assert obj.pk is not None, "bulk_create did not return ids"
                obj.path = Jurisdiction.child_path(obj.parent.path, obj.pk)
                obj.depth = obj.parent.depth + 1
            Jurisdiction.objects.bulk_update(created, ["path", "depth"], batch_size=500)
            return created

        districts = create_level([city] * args.districts, levels["district"], "区", lambda p, k: f"5107{k:02d}000000")
        streets = create_level(
            spread(args.streets, districts, rng), levels["street"], "街道", lambda p, k: f"{p.code[:6]}{k:03d}000"
        )
        communities = create_level(
            spread(args.communities, streets, rng), levels["community"], "社区", lambda p, k: f"{p.code[:9]}{k:03d}"
        )
    timings["jurisdictions"] = time.perf_counter() - t0

    # --- units: shuffled over communities (no physical clustering by jurisdiction)
    t0 = time.perf_counter()
    type_by_code = {t.code: t for t in unit_types}
    type_pool = [type_by_code[c] for c in TYPE_WEIGHTS if c in type_by_code] or unit_types
    type_weights = [TYPE_WEIGHTS.get(t.code, 1) for t in type_pool]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    status_weights = [w for _, w in STATUS_WEIGHTS]
    owners = spread(args.units, communities, rng)
    street_name = {s.pk: s.name for s in streets}
    address_prefix = {c.pk: f"{street_name[c.parent_id]}{rng.choice(ROADS)}" for c in communities}
    total = 0
    with transaction.atomic():
        for start in range(0, len(owners), args.batch_size):
            chunk = owners[start : start + args.batch_size]
            kinds = rng.choices(type_pool, weights=type_weights, k=len(chunk))
            states = rng.choices(statuses, weights=status_weights, k=len(chunk))
            objs = []
            for community, unit_type, status in zip(chunk, kinds, states, strict=True):
                has_geo = rng.random() < 0.7
                objs.append(
                    Unit(
                        unit_type=unit_type,
                        name=f"{rng.choice(BRANDS)}{rng.choice(TYPE_SUFFIX.get(unit_type.code, ['单位']))}"
                        f"（{rng.randint(1, 999)}号店）",
                        credit_code="91510700" + "".join(rng.choices(CREDIT_ALPHABET, k=10)),
                        jurisdiction_id=community.pk,
                        address=f"{address_prefix[community.pk]}{rng.randint(1, 400)}号",
                        lat=Decimal(f"{CITY_CENTER[0] + rng.uniform(-0.3, 0.3):.6f}") if has_geo else None,
                        lng=Decimal(f"{CITY_CENTER[1] + rng.uniform(-0.3, 0.3):.6f}") if has_geo else None,
                        contact_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                        contact_phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                        status=status,
                        created_at=now,
                    )
                )
            Unit.objects.bulk_create(objs, batch_size=args.batch_size)
            total += len(objs)
            if total % 100_000 < args.batch_size:
                print(f"  … {total:,} units", flush=True)
    timings["units"] = time.perf_counter() - t0

    # --- planner statistics
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        # Autovacuum would do this shortly after a bulk load; do it now so runs are repeatable.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if getattr(args, "smoke", False) else "VACUUM ANALYZE")  # smoke: tiny data
        timings["vacuum analyze"] = time.perf_counter() - t0
    elif connection.vendor == "sqlite" and args.sqlite_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - t0

    return {
        "city": city,
        "districts": districts,
        "streets": streets,
        "communities": communities,
        "units": total,
        "timings": timings,
    }


def pick_nodes(city: dict) -> tuple:
    """The biggest district and the biggest street by unit count (worst case for each role)."""
    from django.db.models import Count

    from apps.organization.models import Unit

    per_community = dict(
        Unit.objects.order_by()
        .values_list("jurisdiction_id")
        .annotate(n=Count("id"))
        .values_list("jurisdiction_id", "n")
    )
    per_street: dict[int, int] = {}
    for community in city["communities"]:
        per_street[community.parent_id] = per_street.get(community.parent_id, 0) + per_community.get(community.pk, 0)
    per_district: dict[int, int] = {}
    for street in city["streets"]:
        per_district[street.parent_id] = per_district.get(street.parent_id, 0) + per_street.get(street.pk, 0)
    district = max(city["districts"], key=lambda d: (per_district.get(d.pk, 0), -d.pk))
    street = max(city["streets"], key=lambda s: (per_street.get(s.pk, 0), -s.pk))
    sizes = sorted(per_street.values())
    return (
        district,
        street,
        {
            "street units min/median/max": f"{sizes[0]:,} / {sizes[len(sizes) // 2]:,} / {sizes[-1]:,}"
            if sizes
            else "-",
            "district units min/max": f"{min(per_district.values()):,} / {max(per_district.values()):,}"
            if per_district
            else "-",
        },
    )


# Measuring ----------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def measure(call, runs: int, warmup: int) -> dict:
    """Run `call` warmup+runs times; time each timed run and count its SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    times, query_counts, last_queries = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            call()
            elapsed = time.perf_counter() - t0
        times.append(elapsed * 1000)
        query_counts.append(len(ctx.captured_queries))
        last_queries = list(ctx.captured_queries)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": min(query_counts)
        if min(query_counts) == max(query_counts)
        else f"{min(query_counts)}–{max(query_counts)}",
        "last_queries": last_queries,
    }


def get_page(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as error:  # a captured query that cannot be re-run verbatim
        return f"(EXPLAIN failed: {error})"
    if connection.vendor == "sqlite":
        return "\n".join(f"{'  ' * 0}{row[-1]}" for row in rows)
    return "\n".join(row[0] for row in rows)


def run_benchmarks(args, users: dict) -> tuple[list[dict], list[dict]]:
    from django.test import Client

    from apps.organization import selectors
    from apps.organization.models import Jurisdiction, Unit

    results, details = [], []
    for level, user in users.items():
        client = Client()
        client.force_login(user)
        node = user.jurisdiction
        list_rows = selectors.unit_list(user=user).count()
        filtered_rows = selectors.unit_list(user=user, filters={"q": args.q}).count()
        subtree_nodes = Jurisdiction.objects.filter(path__within=node.path).count()
        pages = max(1, -(-list_rows // 50))
        ops = [
            ("list page `/org/units/`", list_rows, lambda c=client: get_page(c, "/org/units/")),
            (
                f"list page 50 `/org/units/?page=50`{'' if pages >= 50 else f' (only {pages} pages: last page)'}",
                list_rows,
                lambda c=client: get_page(c, "/org/units/?page=50"),
            ),
            (
                f"filtered list `/org/units/?q={args.q}`",
                filtered_rows,
                lambda c=client: get_page(c, f"/org/units/?q={args.q}"),
            ),
            (
                "subtree count `Unit.objects.restrict(user).count()`",
                list_rows,
                lambda u=user: Unit.objects.restrict(u).count(),
            ),
            (
                "subtree count `Jurisdiction…filter(path__within=…).count()`",
                subtree_nodes,
                lambda n=node: Jurisdiction.objects.filter(path__within=n.path).count(),
            ),
        ]
        for name, rows, call in ops:
            stats = measure(call, args.runs, args.warmup)
            results.append({"operation": name, "level": level, "rows": rows, **stats})
            slowest = sorted(stats["last_queries"], key=lambda q: float(q.get("time") or 0), reverse=True)[:2]
            details.append(
                {
                    "operation": name,
                    "level": level,
                    "slowest": slowest,
                    "all": stats["last_queries"] if name.startswith("list page `") else None,
                }
            )
            print(
                f"  {level:<8} {name[:60]:<60} {stats['median']:8.1f} ms"
                f"  p95 {stats['p95']:8.1f}  q={stats['queries']}",
                flush=True,
            )
    if not args.no_explain:
        for detail in details:
            for query in detail["slowest"][:1]:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    query["plan"] = explain(query["sql"])
    return results, details


# Report -------------------------------------------------------------------------------


def short_sql(sql: str) -> str:
    """The SQL with a long SELECT column list folded to `SELECT …`."""
    match = re.match(r"\s*SELECT (.*?) FROM ", sql, flags=re.S)
    if match and len(match.group(1)) > 120:
        return "SELECT … FROM " + sql[match.end() :]
    return sql


def render_report(
    args, vendor: str, db_version: str, city: dict, nodes_info: dict, results, details, node_names: dict
) -> str:
    import django

    lines = [
        f"# org_scale benchmark — {vendor}",
        "",
        f"- run at: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- database: {vendor} {db_version}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}",
        f"- data: 1 city, {len(city['districts'])} districts, {len(city['streets'])} streets, "
        f"{len(city['communities'])} communities, {city['units']:,} units (seed {args.seed}); "
        f"street units min/median/max {nodes_info['street units min/median/max']}, "
        f"district units min/max {nodes_info['district units min/max']}",
        f"- users: street = {node_names['street']} (biggest street), district = {node_names['district']} "
        f"(biggest district, role office)",
        f"- method: django.test.Client + force_login, {args.warmup} warm-up + {args.runs} timed runs each; "
        f"queries counted with CaptureQueriesContext (incl. session/user lookups)",
        "",
        "## Build",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    for step, seconds in city["timings"].items():
        lines.append(f"| {step} | {seconds:.1f} |")
    lines += [
        "",
        "## Results",
        "",
        "| database | operation | user level | rows in scope | median ms | p95 ms | queries |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {vendor} | {r['operation']} | {r['level']} | {r['rows']:,} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['queries']} |"
        )
    lines += ["", "## Slowest query of each operation (last timed run)", ""]
    for detail in details:
        lines += render_slowest(detail, detail.get("all"))
    return "\n".join(lines) + "\n"


def render_slowest(detail: dict, queries: list | None, sql_width: int = 160) -> list[str]:
    """Markdown for one operation's slowest query, its plan and (optionally) all its queries."""
    if not detail["slowest"]:
        return []
    query = detail["slowest"][0]
    lines = [
        f"### {detail['level']}: {detail['operation']} — {float(query.get('time') or 0) * 1000:.1f} ms",
        "",
        "```sql",
        short_sql(query["sql"]),
        "```",
    ]
    if query.get("plan"):
        lines += ["", "```", query["plan"], "```"]
    if queries:
        lines += ["", "All queries of that request:", ""]
        lines += [
            f"{i}. {float(q.get('time') or 0) * 1000:.1f} ms — `{short_sql(q['sql'])[:sql_width]}`"
            for i, q in enumerate(queries, 1)
        ]
    return [*lines, ""]


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    url, vendor, info = prepare_database(args)
    print(f"database: {url}", flush=True)
    try:
        setup_django(url)
        import benchdb
        from django.db import connection, connections

        from apps.accounts.models import User
        from apps.core.roles import Role

        t0 = time.perf_counter()
        benchdb.migrate()
        migrate_seconds = time.perf_counter() - t0
        print(f"migrate: {migrate_seconds:.1f} s", flush=True)

        t0 = time.perf_counter()
        city = build_city(args, rng)
        city["timings"] = {"migrate": migrate_seconds, **city["timings"], "total build": time.perf_counter() - t0}
        print("build: " + ", ".join(f"{k} {v:.1f} s" for k, v in city["timings"].items()), flush=True)

        district, street, nodes_info = pick_nodes(city)
        users = {
            "street": User.objects.create(username="bench_street", role=Role.STREET, jurisdiction=street),
            "district": User.objects.create(username="bench_district", role=Role.OFFICE, jurisdiction=district),
        }
        for user in users.values():
            user.set_unusable_password()
            user.save(update_fields=["password"])

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
            db_version = cursor.fetchone()[0].split(" on ")[0]
        results, details = run_benchmarks(args, users)
        report = render_report(
            args,
            vendor,
            db_version,
            city,
            nodes_info,
            results,
            details,
            {"street": f"{street.name} ({street.code})", "district": f"{district.name} ({district.code})"},
        )
        print()
        print(report)
        results_dir = Path(args.results_dir)
        results_dir.mkdir(parents=True, exist_ok=True)
        out = results_dir / f"org_scale-{vendor}{('-' + args.label) if args.label else ''}.md"
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")
        connections.close_all()
    finally:
        if vendor == "postgresql" and not args.keep_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # django may not be set up yet
                pass
            drop_postgres_database(url)
        elif vendor == "sqlite" and not args.keep_db and not args.database_url:
            sqlite_file = Path(info["sqlite_file"])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if not any(sqlite_file.parent.iterdir()):
                sqlite_file.parent.rmdir()
        for directory in TEMP_DIRS:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
