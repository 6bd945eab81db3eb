"""Record rollups (apps/core/rollups.py, issue 14): the activities' figures read from the rollup
against the same figures computed from the raw records, at one year and at three years of records.

A city of 4 districts × 10 streets × 10 communities (400 communities). Each year holds
`--per-year` held activities (default 20,000: 50 a community, about one a week), a fifth of them street drives
covering two of the street's communities, each with two participation rows, two output lines and
a volunteer's hours; written with bulk inserts, then the rollup is rebuilt (timed) and checked
against the records. Timed in-process, warm-up then `--runs` runs, median and p95:

- raw: `totals.totals_for(totals.held_in(path, start, end))` — what the figures computed before;
- rollup: `evidence.figure_values(path, start, end)` — what the totals page, the self-assessment
  and the reports call now (one grouped read of the node's daily totals);

for the city's last quarter, a district's last month and a community's last year. Then two older
years are added and everything is measured again: t(3 years)/t(1 year) is the flatness. Finally
500 activities are changed through the services (signals log them) and one refresh is timed.

    .venv/bin/python bench/record_rollups.py [--database-url URL] [--per-year 20000] [--runs 15] [--smoke]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DISTRICTS, STREETS, COMMUNITIES = 4, 10, 10
TODAY = date(2026, 11, 30)


def setup(database_url: str):
    tmp = tempfile.mkdtemp(prefix="cw-rollups-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import benchdb

        benchdb.create_postgres(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

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

    city = node(None, "city", "R", "基准市")
    districts, streets = [], []
    for d in range(DISTRICTS):
        district = node(city, "district", f"R-{d}", f"第{d + 1}区")
        districts.append(district)
        for s in range(STREETS):
            street = node(district, "street", f"R-{d}-{s}", f"{d + 1}区{s + 1}街道")
            communities = [
                node(street, "community", f"R-{d}-{s}-{c}", f"{d + 1}区{s + 1}街{c + 1}社区")
                for c in range(COMMUNITIES)
            ]
            streets.append((street, communities))
    admin = User.objects.create(username="bench_admin", role=Role.ADMIN, jurisdiction=city, last_name="管")
    return city, districts, streets, admin


def build_year(rng, streets, first_day: date, count: int, admin) -> int:
    """`count` held activities dated in the 365 days from `first_day`, with their child rows."""
    from apps.activities.models import Activity, Output, OutputMeasure, Participation, SignUp, Volunteer

    measures = list(OutputMeasure.objects.filter(code__in=["garbage_t", "dead_spots"]))
    volunteer = Volunteer.objects.first() or Volunteer.objects.create(full_name="志愿者", jurisdiction=streets[0][0])
    batch = 5000
    made = 0
    while made < count:
        size = min(batch, count - made)
        plans = []
        for _ in range(size):
            street, communities = rng.choice(streets)
            if rng.random() < 0.2:
                plans.append((street, rng.sample(communities, 2)))
            else:
                plans.append((rng.choice(communities), []))
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    kind=rng.choice(["cleanup", "campaign", "volunteer", "equipment"]),
                    title="基准活动",
                    held_on=first_day + timedelta(days=rng.randrange(365)),
                    jurisdiction=where,
                    status="held",
                    created_by=admin,
                )
                for where, _areas in plans
            ],
            batch_size=2000,
        )
        through = Activity.areas.through
        through.objects.bulk_create(
            [
                through(activity_id=a.pk, jurisdiction_id=area.pk)
                for a, (_w, areas) in zip(activities, plans, strict=True)
                for area in areas
            ],
            batch_size=5000,
        )
        Participation.objects.bulk_create(
            [
                Participation(activity=a, kind=kind, count=rng.randint(1, 80))
                for a in activities
                for kind in ("resident", "party_cadre")
            ],
            batch_size=5000,
        )
        Output.objects.bulk_create(
            [
                Output(activity=a, measure=m, quantity=Decimal(rng.randint(1, 500)) / 10)
                for a in activities
                for m in measures
            ],
            batch_size=5000,
        )
        SignUp.objects.bulk_create(
            [
                SignUp(
                    activity=a, volunteer=volunteer, attended=True, hours=Decimal(rng.randint(1, 8)), signed_by=admin
                )
                for a in activities
            ],
            batch_size=5000,
        )
        made += size
    return made


def timed(call, runs: int) -> tuple[float, float]:
    call()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def measure(targets, runs: int) -> dict:
    from apps.activities import totals
    from apps.activities.evidence import figure_values

    results = {}
    for label, node, start, end in targets:
        raw = totals.totals_for(totals.held_in(node.path, start, end))
        rolled = figure_values(node.path, start, end)
        assert rolled["activities.drives"].value == raw.drives, (label, rolled["activities.drives"].value, raw.drives)
        assert rolled["activities.person_times"].value == raw.person_times, label
        assert rolled["activities.volunteer_hours"].value == raw.volunteer_hours, label
        assert rolled["activities.output.garbage_t"].value == (raw.outputs.get("garbage_t") or 0), label
        results[label] = {
            "raw": timed(lambda n=node, s=start, e=end: totals.totals_for(totals.held_in(n.path, s, e)), runs),
            "rollup": timed(lambda n=node, s=start, e=end: figure_values(n.path, s, e), runs),
            "drives": raw.drives,
        }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--per-year", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="a tiny city and 300 activities a year, 2 runs")
    args = parser.parse_args()
    global DISTRICTS, STREETS, COMMUNITIES
    if args.smoke:
        DISTRICTS, STREETS, COMMUNITIES = 2, 2, 3
        args.per_year, args.runs = 300, 2
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    setup(args.database_url)
    from django.db import connection

    from apps.activities import services
    from apps.activities.models import Activity, Participation
    from apps.core import rollups

    rng = random.Random(20261201)
    city, districts, streets, admin = build_city()
    last_year = TODAY - timedelta(days=364)
    targets = [
        ("city, quarter 2026-09…11", city, date(2026, 9, 1), TODAY),
        ("district, month 2026-11", districts[0], date(2026, 11, 1), TODAY),
        ("community, last 365 days", streets[0][1][0], last_year, TODAY),
    ]
    load = os.getloadavg()
    print(f"# record_rollups benchmark — {connection.vendor}\n")
    print(
        f"- city: {DISTRICTS} districts, {DISTRICTS * STREETS} streets, {DISTRICTS * STREETS * COMMUNITIES} communities"
    )
    print(f"- load average before: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (2 CPUs shared)")
    phases = {}
    for years, first_days in ((1, [last_year]), (3, [last_year - timedelta(days=365 * k) for k in (1, 2)])):
        t0 = time.perf_counter()
        made = sum(build_year(rng, streets, day, args.per_year, admin) for day in first_days)
        built = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        t0 = time.perf_counter()
        entries = rollups.rollup_rebuild("activities")
        rebuilt = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        assert rollups.rollup_check("activities") == 0
        print(
            f"- {years} year(s): {Activity.objects.count():,} activities (+{made:,} in {built:.1f}s), "
            f"{Participation.objects.count():,} participation rows; rollup rebuilt in {rebuilt:.1f}s "
            f"({entries:,} entries, {rollups.RollupTotal.objects.count():,} totals); check: 0 differences"
        )
        phases[years] = measure(targets, args.runs)

    print(
        "\n| figure set | activities counted | raw 1y ms | rollup 1y ms | raw 3y ms | rollup 3y ms "
        "| raw 3y/1y | rollup 3y/1y | raw/rollup 3y |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, *_rest in targets:
        one, three = phases[1][label], phases[3][label]
        print(
            f"| {label} | {three['drives']:,} | {one['raw'][0]:.1f} | {one['rollup'][0]:.1f} | {three['raw'][0]:.1f} | "
            f"{three['rollup'][0]:.1f} | {three['raw'][0] / one['raw'][0]:.2f} | "
            f"{three['rollup'][0] / one['rollup'][0]:.2f} | {three['raw'][0] / three['rollup'][0]:.1f}× |"
        )

    # Changes through the services: the signals log them, one refresh applies them.
    changed = list(Activity.objects.filter(jurisdiction__depth=3).order_by("-id")[: min(500, args.per_year)])
    actor = admin
    t0 = time.perf_counter()
    for activity in changed:
        services.activity_update(
            actor=actor,
            activity=activity,
            expected_version=activity.version,
            changes={"held_on": activity.held_on - timedelta(days=1)},
            participants={"resident": 7},
        )
    written = time.perf_counter() - t0
    pending = rollups.RollupDirty.objects.count()
    t0 = time.perf_counter()
    rollups.rollup_refresh("activities")
    refreshed = time.perf_counter() - t0
    assert rollups.rollup_check("activities") == 0
    print(
        f"\n{len(changed)} activities edited through the services in {written:.1f}s; {pending:,} change rows logged; "
        f"one refresh applied them in {refreshed * 1000:.0f} ms; check after: 0 differences"
    )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")


if __name__ == "__main__":
    main()
