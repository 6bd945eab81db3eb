"""Bulk generation of 28,000 门前三包 agreements for a district (004 L31 counts 28,000余 in one
district) and the district's coverage page.

A district of 10 streets × 10 communities holds 28,000 operating shop units (280 per community,
with their 门前三包 zones for a tenth of them). Measured:
- the generation job (`generation_run`, the worker's code: parties, skip check, numbering, chunked
  bulk_create): wall time, rows per second, SQL queries;
- a second run of the same job over the same area (everyone already holds one: all skipped);
- after 60 % are marked signed, 5 % refused, 3 % expired: the district's coverage page
  `/agreements/coverage/?jurisdiction=<district>` through django.test.Client (whole request) and
  a street's, with warm-up then timed runs (median, p95, SQL queries per request).

    .venv/bin/python bench/bench_agreements.py [--database-url URL] [--units 28000] [--runs 20]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STREETS, COMMUNITIES = 10, 10


def setup(database_url: str):
    tmp = tempfile.mkdtemp(prefix="cw-agreements-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import benchdb  # drop + create (a copy of the migrated $BENCH_TEMPLATE_DB in smoke runs)

        benchdb.create_postgres(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = os.path.join(tmp, "media")
    settings.CHUANGWEI_REQUIRE_AUDIT_LABELS = False
    import benchdb

    benchdb.migrate()


def build(units: int):
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.organization import services
    from apps.organization.defaults import ensure_defaults
    from apps.organization.models import JurisdictionLevel, Unit, UnitType, Zone, ZoneAssignment

    ensure_defaults()
    levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}

    def node(parent, level, code, name):
        return services.jurisdiction_create(actor=None, parent=parent, level=levels[level], code=code, name=name)

    city = node(None, "city", "B", "基准市")
    district = node(city, "district", "B-D", "基准区")
    communities, streets = [], []
    for s in range(STREETS):
        street = node(district, "street", f"B-D-{s}", f"第{s + 1}街道")
        streets.append(street)
        communities += [
            node(street, "community", f"B-D-{s}-{c}", f"第{s + 1}街道{c + 1}社区") for c in range(COMMUNITIES)
        ]
    shop = UnitType.objects.get(code="shop")
    per = units // len(communities)
    rows = [
        Unit(unit_type=shop, name=f"{c.name}{n:03d}号商铺", jurisdiction=c, address=f"人民路{n}号")
        for c in communities
        for n in range(per)
    ]
    Unit.objects.bulk_create(rows, batch_size=2000)
    created = list(Unit.objects.filter(unit_type=shop).values_list("pk", "jurisdiction_id", "name")[: units // 10])
    zones = Zone.objects.bulk_create(
        [Zone(name=f"{name}门前三包", kind="frontage3", jurisdiction_id=j) for _pk, j, name in created], batch_size=2000
    )
    start = timezone.localdate() - timedelta(days=30)
    ZoneAssignment.objects.bulk_create(
        [ZoneAssignment(zone=z, unit_id=pk, starts_on=start) for z, (pk, _j, _n) in zip(zones, created, strict=True)],
        batch_size=2000,
    )
    office = User.objects.create(username="bench_office", role=Role.OFFICE, jurisdiction=district, last_name="办")
    return district, streets, office


def timed(label, call, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        call()
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - began) * 1000)
        queries = len(ctx.captured_queries)
        assert getattr(response, "status_code", 200) == 200, response
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"| {label} | {statistics.median(times):.0f} ms | {p95:.0f} ms | {queries} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--units", type=int, default=28_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 300 shops, 2 timed runs; a PostgreSQL database is dropped at the end",
    )
    args = parser.parse_args()
    if args.smoke:
        args.units, args.runs = 300, 2
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    setup(args.database_url)
    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.agreements.builtin import ensure_builtin
    from apps.agreements.models import Agreement, AgreementType, GenerationJob
    from apps.agreements.services.generation import generation_run, generation_start

    began = time.perf_counter()
    district, streets, office = build(args.units)
    ensure_builtin()
    print(f"database: {django.db.connection.vendor}; {args.units} shops built in {time.perf_counter() - began:.1f}s")
    frontage3 = AgreementType.objects.get(code="frontage3")

    def generate():
        job = generation_start(
            actor=office, agreement_type=frontage3, jurisdiction=district, starts_on=timezone.localdate()
        )
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            generation_run(job.pk)
            seconds = time.perf_counter() - began
        return GenerationJob.objects.get(pk=job.pk), seconds, len(ctx.captured_queries)

    job, seconds, queries = generate()
    print("| operation | rows | wall | rows/s | queries |")
    print("|---|---|---|---|---|")
    print(
        f"| generate 门前三包 for the district | {job.created_count} created | {seconds:.1f} s "
        f"| {job.created_count / seconds:,.0f} | {queries} |"
    )
    again, seconds2, queries2 = generate()
    print(
        f"| same job again (all current: skipped) | {again.skipped_count} skipped | {seconds2:.1f} s | — | {queries2} |"
    )

    # 60 % signed, 5 % refused, 3 % signed but past their term (bench data, not the workflow).
    rng = random.Random(11)
    ids = list(Agreement.objects.filter(job=job).values_list("pk", flat=True))
    rng.shuffle(ids)
    n = len(ids)
    today = timezone.localdate()
    signed, refused, ended = (
        ids[: n * 60 // 100],
        ids[n * 60 // 100 : n * 65 // 100],
        ids[n * 65 // 100 : n * 68 // 100],
    )
    for part, values in (
        (signed, {"status": "signed", "signed_on": today, "signatory_name": "张三"}),
        (refused, {"status": "refused", "refused_reason": "不同意"}),
        (
            ended,
            {
                "status": "signed",
                "signed_on": today,
                "ends_on": today - timedelta(days=1),
                "starts_on": today - timedelta(days=30),
            },
        ),
    ):
        for start in range(0, len(part), 5000):
            Agreement.objects.filter(pk__in=part[start : start + 5000]).update(**values)

    client = Client()
    client.force_login(office)
    from apps.agreements.coverage import area_coverage

    total = area_coverage(district, by_child=False).totals["frontage3"]
    print()
    print(
        f"coverage of the district: required {total.required}, signed {total.signed}, "
        f"refused {total.refused}, expired {total.expired}, rate {total.rate}%"
    )
    print()
    print("| page | median | p95 | queries |")
    print("|---|---|---|---|")
    print(
        timed(
            "district coverage page (10 streets)",
            lambda: client.get("/agreements/coverage/", {"jurisdiction": district.pk}),
            args.runs,
        )
    )
    print(
        timed(
            "street coverage page (10 communities)",
            lambda: client.get("/agreements/coverage/", {"jurisdiction": streets[0].pk}),
            args.runs,
        )
    )
    print(
        timed(
            "agreement list, district, signed (page 1)",
            lambda: client.get(
                "/agreements/", {"jurisdiction": district.pk, "type": "frontage3", "standing": "signed"}
            ),
            args.runs,
        )
    )


if __name__ == "__main__":
    main()
