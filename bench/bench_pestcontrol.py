"""A summer of Aedes household surveys over a city, and the pages that read them.

A city of 5 districts × 10 streets × 10 communities (500 communities); over a summer of 16 ISO
weeks each community has one household survey (入户调查) a week: 8,000 surveys, about 170,000
household visits holding 500,000 container records (1–5 container types per household, a few
percent positive). The rows are written with bulk inserts (the visits' sums and the surveys'
counts computed here, as the services keep them), then the pages are timed through
django.test.Client (whole request: middleware, view, template), warm-up then timed runs, median
and p95 and the SQL queries per request:

- `pestcontrol:aedes_home` for one week: BI, CI, HI, grade and risk of every community of the
  city (the administrator: 500 rows) and of one district (its office: 100 rows);
- the week's map points (JSON, capped at 2,000);
- a community's 12-week trend;
- the figure `pestcontrol.index.breteau_index` for the city over the summer (the totals page's call);
- `pestcontrol:grades` for the city, if the URL exists in this tree (the surveys part).

    .venv/bin/python bench/bench_pestcontrol.py [--database-url URL] [--containers 500000] [--runs 20]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DISTRICTS, STREETS, COMMUNITIES = 5, 10, 10
WEEKS = 16
SUMMER = date(2026, 6, 1)  # a Monday
TYPES = ["plant", "jar", "tyre", "discarded", "puddle", "vase", "other"]


def setup(database_url: str):
    tmp = tempfile.mkdtemp(prefix="cw-pestcontrol-")
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


def build_city():
    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.organization import services
    from apps.organization.defaults import ensure_defaults
    from apps.organization.models import JurisdictionLevel

    ensure_defaults()
    levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}

    def node(parent, level, code, name):
        return services.jurisdiction_create(actor=None, parent=parent, level=levels[level], code=code, name=name)

    city = node(None, "city", "P", "基准市")
    districts, communities = [], []
    for d in range(DISTRICTS):
        district = node(city, "district", f"P-{d}", f"第{d + 1}区")
        districts.append(district)
        for s in range(STREETS):
            street = node(district, "street", f"P-{d}-{s}", f"{d + 1}区{s + 1}街道")
            communities += [
                node(street, "community", f"P-{d}-{s}-{c}", f"{d + 1}区{s + 1}街{c + 1}社区")
                for c in range(COMMUNITIES)
            ]
    admin = User.objects.create(username="bench_admin", role=Role.ADMIN, jurisdiction=city, last_name="管")
    office = User.objects.create(username="bench_office", role=Role.OFFICE, jurisdiction=districts[0], last_name="办")
    return city, districts, communities, admin, office


def build_surveys(communities, containers: int, surveyor):
    """Surveys, visits and container records by bulk insert; returns (surveys, visits, records)."""
    from apps.pestcontrol import methods
    from apps.pestcontrol.models import ContainerRecord, HouseholdVisit, Survey

    rng = random.Random(12)
    surveys_n = len(communities) * WEEKS
    visits_n = max(surveys_n, containers // 3)
    per_survey = -(-visits_n // surveys_n)  # rounded up: the container count is the cap
    made_containers = 0
    total_visits = 0
    batch_visits = []

    def flush():
        created = HouseholdVisit.objects.bulk_create([v for v, _rows in batch_visits], batch_size=2000)
        records = [
            ContainerRecord(visit_id=v.pk, **row)
            for v, (_v, rows) in zip(created, batch_visits, strict=True)
            for row in rows
        ]
        ContainerRecord.objects.bulk_create(records, batch_size=5000)
        batch_visits.clear()

    for week in range(WEEKS):
        start = SUMMER + timedelta(weeks=week)
        risk = 0.004 + 0.016 * (1 - abs(week - WEEKS / 2) / (WEEKS / 2))  # peaks mid-summer
        surveys = []
        plans = []
        for community in communities:
            day = start + timedelta(days=rng.randrange(5))
            houses = []
            for _h in range(per_survey):
                left = containers - made_containers
                if left <= 0:
                    break
                kinds = rng.sample(TYPES, min(left, rng.randint(1, 5)))
                rows = []
                for kind in kinds:
                    wet = rng.randint(1, 3)
                    positive = sum(1 for _ in range(wet) if rng.random() < risk)
                    rows.append(
                        {
                            "container_type": kind,
                            "wet": wet,
                            "positive": positive,
                            "larvae": positive * 5,
                            "treated": wet,
                        }
                    )
                made_containers += len(rows)
                houses.append(rows)
            counts = {
                "households": len(houses),
                "households_positive": sum(1 for rows in houses if any(r["positive"] for r in rows)),
                "containers_wet": sum(r["wet"] for rows in houses for r in rows),
                "containers_positive": sum(r["positive"] for rows in houses for r in rows),
            }
            surveys.append(
                Survey(
                    jurisdiction=community,
                    place_type="residential",
                    method=methods.HOUSEHOLD_METHOD,
                    pest="mosquito",
                    surveyed_on=day,
                    surveyor=surveyor,
                    counts=counts,
                    sample_size=counts["households"],
                    status="submitted",
                )
            )
            plans.append((community, day, houses))
        surveys = Survey.objects.bulk_create(surveys, batch_size=2000)
        for survey, (community, day, houses) in zip(surveys, plans, strict=True):
            for n, rows in enumerate(houses):
                lat = 31.40 + rng.random() * 0.15
                lng = 104.60 + rng.random() * 0.15
                batch_visits.append(
                    (
                        HouseholdVisit(
                            survey_id=survey.pk,
                            jurisdiction=community,
                            visited_on=day,
                            client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                            address=f"{n + 1}号",
                            lat=f"{lat:.6f}",
                            lng=f"{lng:.6f}",
                            containers_wet=sum(r["wet"] for r in rows),
                            containers_positive=sum(r["positive"] for r in rows),
                            larvae=sum(r["larvae"] for r in rows),
                            treated=sum(r["treated"] for r in rows),
                            surveyor=surveyor,
                        ),
                        rows,
                    )
                )
                total_visits += 1
            if len(batch_visits) >= 10_000:
                flush()
    if batch_visits:
        flush()
    return surveys_n, total_visits, made_containers


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
    parser.add_argument("--containers", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 18 communities, 3,000 containers, 2 timed runs; PostgreSQL: dropped at the end",
    )
    args = parser.parse_args()
    if args.smoke:
        global DISTRICTS, STREETS, COMMUNITIES
        DISTRICTS, STREETS, COMMUNITIES = 2, 3, 3
        args.containers, args.runs = 3000, 2
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    setup(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from apps.core.evidence import figures
    from apps.pestcontrol import builtin_levels
    from apps.pestcontrol.models import ContainerRecord, HouseholdVisit, Survey

    began = time.perf_counter()
    city, _districts, communities, admin, office = build_city()
    builtin_levels.ensure()
    surveys, visits, records = build_surveys(communities, args.containers, admin)
    print(
        f"database: {connection.vendor}; {len(communities)} communities, {surveys:,} surveys, {visits:,} visits, "
        f"{records:,} container records built in {time.perf_counter() - began:.1f}s"
    )
    assert ContainerRecord.objects.count() == records and HouseholdVisit.objects.count() == visits
    assert Survey.objects.count() == surveys
    # Written in bulk (no signals): the surveys' record rollup once from them, as the demo does.
    from apps.core.rollups import rollup_rebuild

    t0 = time.perf_counter()
    rollup_rebuild("pestcontrol.surveys")
    print(f"surveys' record rollup rebuilt in {time.perf_counter() - t0:.1f}s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    week = SUMMER + timedelta(weeks=WEEKS // 2)
    city_client, district_client = Client(), Client()
    city_client.force_login(admin)
    district_client.force_login(office)
    home = reverse("pestcontrol:aedes_home")
    print()
    print("| page | median | p95 | queries |")
    print("|---|---|---|---|")
    print(
        timed(
            f"BI by community, week of {week:%Y-%m-%d}: city ({len(communities)} communities)",
            lambda: city_client.get(home, {"week": week.isoformat()}),
            args.runs,
        )
    )
    print(
        timed(
            f"BI by community, same week: district ({STREETS * COMMUNITIES} communities)",
            lambda: district_client.get(home, {"week": week.isoformat()}),
            args.runs,
        )
    )
    print(
        timed(
            "map points of the week, district (JSON, ≤ 2,000)",
            lambda: district_client.get(reverse("pestcontrol:aedes_map_data"), {"week": week.isoformat()}),
            args.runs,
        )
    )
    print(
        timed(
            "a community's 12-week trend",
            lambda: district_client.get(reverse("pestcontrol:aedes_trend", args=[communities[0].pk])),
            args.runs,
        )
    )
    end = SUMMER + timedelta(weeks=WEEKS) - timedelta(days=1)
    breteau_figure = figures()["pestcontrol.index.breteau_index"].compute
    print(
        timed(
            "figure pestcontrol.index.breteau_index, city, summer",
            lambda: breteau_figure(city.path, SUMMER, end),
            args.runs,
        )
    )
    try:
        grades = reverse("pestcontrol:grades")
    except NoReverseMatch:
        print("| city grade page | — (pestcontrol:grades is not in this tree) | | |")
    else:
        print(timed("city grade page", lambda: city_client.get(grades), args.runs))
    figure = breteau_figure(city.path, SUMMER, end)
    visits_bi = HouseholdVisit.objects.filter(survey__surveyed_on__range=(SUMMER, end)).count()
    assert figure.denominator == visits_bi, (figure.denominator, visits_bi)  # the rollup equals the records
    print()
    print(f"city summer BI: {figure.value} ({figure.numerator} positive containers / {figure.denominator} households)")


if __name__ == "__main__":
    main()
