"""The evidence ledger (台账) at district scale: a campaign with 300 items, 5,000 tasks and 50,000
evidence links (bulk-created), measured as the district office and as one community.

Measures, each with warm-up runs then timed runs (median, p95, SQL queries per call):
- the ledger page `/campaigns/<pk>/ledger/` through django.test.Client (whole request);
- `readiness_summary(campaign=…)` (the selector other concepts call) for the whole campaign
  and for one community's path.

.venv/bin/python bench/bench_ledger.py                       # SQLite, temporary file
.venv/bin/python bench/bench_ledger.py --database-url postgresql://postgres@127.0.0.1:5432/h_ledger_bench
(the PostgreSQL database named in the URL is dropped and re-created; its name must contain "bench")
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(database_url: str):
    tmp = tempfile.mkdtemp(prefix="cw-ledger-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(32).hex())
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import benchdb  # drop + create (a copy of the migrated $BENCH_TEMPLATE_DB in smoke runs)

        benchdb.create_postgres(os.environ["DATABASE_URL"])
    import django

    django.setup()

    import benchdb

    benchdb.migrate()


def build(items: int, tasks: int, links: int, communities: int):
    from django.db import connection

    from apps.campaigns.models import Campaign, EvidenceLink, Task
    from apps.organization import services as org
    from apps.organization.models import Jurisdiction, JurisdictionLevel
    from apps.standards.models import EvidenceRequirement, Standard, StandardItem, StandardSection, StandardVersion
    from tests.builders import build_org

    o = build_org()
    community_level = JurisdictionLevel.objects.get(code="community")
    streets = [o.street_a, o.street_b]
    nodes = [o.comm_a1, o.comm_a2, o.comm_b1]
    for n in range(communities - len(nodes)):
        nodes.append(
            org.jurisdiction_create(
                actor=None, parent=streets[n % 2], level=community_level, code=f"B-{n:04d}", name=f"基准社区{n:04d}"
            )
        )
    standard = Standard.objects.create(code="bench", name="基准标准", kind="provincial_community")
    version = StandardVersion.objects.create(standard=standard, number=1, source="bench")
    sections = [
        StandardSection.objects.create(version=version, code=str(s + 1), name=f"大项{s + 1}", sort=s) for s in range(10)
    ]
    StandardItem.objects.bulk_create(
        StandardItem(
            version=version,
            section=sections[i % 10],
            code=f"{i % 10 + 1}.{i // 10 + 1}",
            text=f"标准小项条文 {i}",
            sort=i,
        )
        for i in range(items)
    )
    item_ids = list(StandardItem.objects.filter(version=version).order_by("id").values_list("id", flat=True))
    EvidenceRequirement.objects.bulk_create(
        EvidenceRequirement(item_id=item_id, name=f"资料{k}", min_count=k + 1)
        for n, item_id in enumerate(item_ids)
        for k in range(n % 3)  # 0, 1 or 2 requirements
    )
    reqs: dict[int, list[int]] = {}
    for req_id, item_id in EvidenceRequirement.objects.values_list("id", "item_id"):
        reqs.setdefault(item_id, []).append(req_id)
    campaign = Campaign.objects.create(
        title="基准区创卫",
        level="national_city",
        jurisdiction=o.district,
        standard_version=version,
        status="active",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    Task.objects.bulk_create(
        Task(
            campaign=campaign,
            item_id=item_ids[n % len(item_ids)],
            jurisdiction=nodes[n % len(nodes)],
            title=f"任务{n}",
            assignee=o.community if nodes[n % len(nodes)] == o.comm_a1 else None,
        )
        for n in range(tasks)
    )
    paths = {node.pk: node.path for node in Jurisdiction.objects.filter(pk__in=[x.pk for x in nodes])}
    node_paths = [paths[x.pk] for x in nodes]
    batch = []
    for n in range(links):
        item_id = item_ids[n % len(item_ids)]
        item_reqs = reqs.get(item_id, [])
        batch.append(
            EvidenceLink(
                campaign=campaign,
                item_id=item_id,
                requirement_id=item_reqs[n % len(item_reqs)] if item_reqs and n % 4 else None,
                kind="rule",
                source="cases.closed",
                object_id=str(n),
                title=f"记录{n}",
                occurred_on=date(2026, 1 + n % 12, 1),
                jurisdiction_path=node_paths[(n // 7) % len(node_paths)],
                is_active=n % 50 != 0,
            )
        )
        if len(batch) == 5000:
            EvidenceLink.objects.bulk_create(batch)
            batch = []
    EvidenceLink.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return o, campaign


def measure(label, call, runs, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"| {label} | {statistics.median(times):.0f} ms | {p95:.0f} ms | {queries} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--links", type=int, default=50000)
    parser.add_argument("--communities", type=int, default=60)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 30 items, 200 tasks, 1,000 links, 2 timed runs; PostgreSQL: dropped at the end",
    )
    args = parser.parse_args()
    if args.smoke:
        args.items, args.tasks, args.links, args.communities, args.runs, args.warmup = 30, 200, 1000, 10, 2, 1
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    setup(args.database_url)
    from django.db import connection
    from django.test import Client

    from apps.campaigns.selectors.ledger import readiness_summary

    started = time.perf_counter()
    o, campaign = build(args.items, args.tasks, args.links, args.communities)
    print(
        f"database: {connection.vendor}; items {args.items}, tasks {args.tasks}, links {args.links}, "
        f"communities {args.communities}; built in {time.perf_counter() - started:.1f}s"
    )
    url = f"/campaigns/{campaign.pk}/ledger/"
    office, community = Client(), Client()
    office.force_login(o.office)
    community.force_login(o.community)
    assert office.get(url).status_code == 200

    def page(client):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    print("| operation | median | p95 | queries |")
    print("|---|---|---|---|")
    print(measure("ledger page, office (whole district)", lambda: page(office), args.runs, args.warmup))
    print(measure("ledger page, community (own area)", lambda: page(community), args.runs, args.warmup))
    print(
        measure(
            "readiness_summary, whole campaign",
            lambda: readiness_summary(campaign=campaign),
            args.runs,
            args.warmup,
        )
    )
    print(
        measure(
            "readiness_summary, one community",
            lambda: readiness_summary(campaign=campaign, jurisdiction_path=o.comm_a1.path),
            args.runs,
            args.warmup,
        )
    )


if __name__ == "__main__":
    main()
