#!/usr/bin/env python
"""The case list at city scale against its own SQL (issue 14, item 3), on a database that
``cases_scale.py --keep-db --no-api`` built (1,000,000 cases by default). It does not build
or drop anything: it adds three accounts (busiest community, street and district) if missing.

For each account it times, through ``django.test.Client`` (DEBUG off, warm-ups first):

- ``/cases/?status=open`` (page 1) and ``?status=open&page=20`` (the last numbered page);
- the list's "own SQL": the 50 rows of page 1 with their related rows, by one hand-run query
  (the one the list's queryset writes, ``LIMIT 50``, through a cursor: no Django on top);
- with the keyset code: the page after the numbered ones (its ``?cursor=`` link) and
  ``/api/v1/cases/?status=open`` (first page) and its ``next`` page;

then prints ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest query of page 1. Run it from a
checkout of the old code with ``--label before`` and from this one with ``--label after``;
each run writes ``bench/results/list_pages-LABEL.md``.

``--smoke`` (CI, scripts/bench_smoke.sh) builds the smoke city of ``cases_scale.py --smoke``
(5,000 cases, its own build functions) into the database it is given (re-created, dropped at the
end; the name must contain "bench"), then measures the same requests with 2 runs after 1 warm-up
into ``list_pages-smoke.md`` (git-ignored); any page that is not 200 exits non-zero.

    .venv/bin/python bench/list_pages.py --database-url postgresql://postgres@127.0.0.1:5432/chuangwei_hlists_bench
    .venv/bin/python bench/list_pages.py --smoke   # ~10 s, its own chuangwei_list_pages_smoke_bench
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from org_scale import PROJECT_DIR, explain, measure, setup_django  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_hlists_bench"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_list_pages_smoke_bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--label", default="after")
    parser.add_argument("--results-dir", default=str(BENCH_DIR / "results"))
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: build the smoke city of cases_scale.py --smoke into the database (re-created, dropped "
        "at the end), 2 runs after 1 warm-up, results to list_pages-smoke.md",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.runs, args.warmup, args.label = 2, 1, "smoke"
    return args


def busiest_users() -> dict:
    """The busiest community, street and district (by open cases), an account for each."""
    from django.db import connection

    from apps.accounts.models import User
    from apps.cases.choices import OPEN_STATUSES
    from apps.core.roles import Role
    from apps.organization.models import Jurisdiction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT jurisdiction_id, count(*) FROM cases_case WHERE status = ANY(%s) "
            "GROUP BY jurisdiction_id ORDER BY 2 DESC LIMIT 1",
            [list(OPEN_STATUSES)],
        )
        community = Jurisdiction.objects.get(pk=cursor.fetchone()[0])
    street, district = community.parent, community.parent.parent
    users = {}
    for level, role, node in (
        ("community", Role.COMMUNITY, community),
        ("street", Role.STREET, street),
        ("district", Role.OFFICE, district),
    ):
        user = User.objects.filter(username=f"bench_list_{level}").first()
        if user is None:
            user = User(username=f"bench_list_{level}", role=role, jurisdiction=node)
            user.set_unusable_password()
            user.save()
        users[level] = user
    return users


def own_sql_call(user):
    """The 50 rows of page 1 with their related rows, as one query through a cursor."""
    from django.db import connection

    from apps.cases import selectors

    sql, params = selectors.case_list(user=user, filters={"status": "open"})[:50].query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run, sql % tuple(f"'{p}'" if isinstance(p, str) else p for p in params)


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if args.smoke:
        import cases_scale

        cases_scale.build_smoke_city(args.database_url, lambda: setup_django(args.database_url))
    else:
        setup_django(args.database_url)
    from django.db import connection
    from django.test import Client

    from apps.cases.choices import OPEN_STATUSES
    from apps.cases.models import Case

    has_keyset = (PROJECT_DIR / "apps" / "core" / "keyset.py").exists()
    users = busiest_users()
    total = Case.objects.count()
    lines = [
        f"# The open-case list at {total:,} cases — {args.label}",
        "",
        f"Code: `{PROJECT_DIR}` ({'keyset pages' if has_keyset else 'OFFSET pages + COUNT'}); "
        f"PostgreSQL {connection.pg_version // 10000}; {platform.node()}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} timed runs after {args.warmup} warm-ups, "
        'median / p95 in ms. "SQL of the page": the time of all its queries in the last run (as the driver '
        "sees it); the rest of a page is Django (middleware, session, form, 50 rows rendered).",
        "",
        "| user | open cases in scope | request | median | p95 | queries | SQL of the page | own SQL (50 rows) "
        "| ratio |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    explains = []
    for level, user in users.items():
        client = Client()
        client.force_login(user)
        in_scope = Case.objects.restrict(user).filter(status__in=OPEN_STATUSES).count()
        run_sql, sql_text = own_sql_call(user)
        own = measure(run_sql, args.runs, args.warmup)
        requests = [("`/cases/?status=open`", "/cases/?status=open"), ("`?page=20`", "/cases/?status=open&page=20")]
        if has_keyset:
            page20 = get(client, "/cases/?status=open&page=20").content.decode()
            found = re.search(r'href="\?status=open&(?:amp;)?cursor=([^"]+)"', page20)
            if found:
                requests.append(("keyset page after page 20", f"/cases/?status=open&cursor={found.group(1)}"))
            api = get(client, "/api/v1/cases/?status=open").json()
            requests.append(("API `/api/v1/cases/?status=open`", "/api/v1/cases/?status=open"))
            if api["next"]:
                requests.append(("API `next` page", api["next"].replace("http://testserver", "")))
        for name, url in requests:
            get(client, url)
            stats = measure(lambda c=client, u=url: get(c, u), args.runs, args.warmup)
            ratio = stats["median"] / own["median"] if name.startswith("`/cases/") else None
            sql_ms = sum(float(q["time"]) for q in stats["last_queries"]) * 1000
            lines.append(
                f"| {level} | {in_scope:,} | {name} | {stats['median']:.1f} | {stats['p95']:.1f} | {stats['queries']} "
                f"| {sql_ms:.1f} | {own['median']:.1f} | {f'{ratio:.1f}×' if ratio else ''} |"
            )
            print(lines[-1], flush=True)
            if name.startswith("`/cases/"):
                explains += [(level, name, q["sql"]) for q in stats["last_queries"] if '"cases_case"' in q["sql"]]
        explains.append((level, "own SQL", sql_text))
    plans = [(level, name, sql, explain(sql)) for level, name, sql in explains]
    lines += [
        "",
        "## Server-side execution of every query on the cases table (EXPLAIN ANALYZE)",
        "",
        "| user | request | query | execution ms |",
        "|---|---|---|---:|",
    ]
    for level, name, sql, plan in plans:
        found = re.search(r"Execution Time: ([0-9.]+) ms", plan)
        lines.append(f"| {level} | {name} | `{sql[:70]}…` | {found.group(1) if found else '?'} |")
    lines += ["", "## The plans", ""]
    for level, name, sql, plan in plans:
        lines += [f"### {level}: {name}", "", "```sql", sql[:1500], "```", "", "```", plan, "```", ""]
    out = Path(args.results_dir) / f"list_pages-{args.label}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} at {time.strftime('%H:%M:%S')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
