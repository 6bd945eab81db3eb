"""Bare baselines for ``cases_scale.py`` (issue 14): what the same work costs without the app.

- intake: ``POST /api/v1/cases/`` against the bare view of ``bench/bare_urls.py`` through the same
  gunicorn (2 sync workers), alternating A and B for several rounds: req/s, CPU ms per request of the
  gunicorn processes (``/proc/<pid>/stat``), queries per request (in-process), the load average;
- statistics: the district's month figures per child jurisdiction read from a pre-aggregated
  table ``bench_case_month`` (built in the bench database) against the statistics page, against a
  bare Django page of the same figures (``bench/bare_urls.py``) and, for the figures' computation
  alone, ``case_statistics``;
- open-case list: the community user's ``/cases/?status=open`` against its own 50 rows by raw SQL
  and against a bare Django page of those rows.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

SUMMARY_TABLE = "bench_case_month"
BARE_PATH = "/bench/bare-case/"
BARE_STATISTICS_PATH = "/bench/bare-statistics/"
BARE_LIST_PATH = "/bench/bare-open-cases/"
API_PATH = "/api/v1/cases/"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Same definitions as apps/cases/statistics.py (all but 应结案数 "due", which depends on `now`).
SUMMARY_COLUMNS = {
    "reported": "count(*)",
    "registered": "count(registered_at)",
    "dispatched": "count(dispatched_at)",
    "closed": "count(*) FILTER (WHERE status = 'closed')",
    "closed_on_time": "count(*) FILTER (WHERE status = 'closed' AND closed_on_time)",
    "handled_on_time": "count(*) FILTER (WHERE handled_on_time AND dispatched_at IS NOT NULL)",
    "returned_for_rework": "count(*) FILTER (WHERE rework_count > 0 AND dispatched_at IS NOT NULL)",
    "recurrences": "count(*) FILTER (WHERE is_recurrence)",
    "close_seconds": "coalesce(sum(extract(epoch FROM closed_at - created_at)) "
    "FILTER (WHERE status = 'closed' AND closed_at IS NOT NULL), 0)",
}


# Statistics: a pre-aggregated table ---------------------------------------------------------


def build_month_summary() -> float:
    """(Re)build ``bench_case_month`` (per community and local month) from the cases; seconds taken."""
    from django.conf import settings
    from django.db import connection

    t0 = time.perf_counter()
    columns = ", ".join(f"{expr} AS {name}" for name, expr in SUMMARY_COLUMNS.items())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SUMMARY_TABLE}")
        cursor.execute(
            f"CREATE TABLE {SUMMARY_TABLE} AS SELECT jurisdiction_id, "
            f"date_trunc('month', created_at AT TIME ZONE %s)::date AS month, {columns} "
            "FROM cases_case GROUP BY 1, 2",
            [settings.TIME_ZONE],
        )
        cursor.execute(f"CREATE INDEX {SUMMARY_TABLE}_month_idx ON {SUMMARY_TABLE} (month, jurisdiction_id)")
        cursor.execute(f"ANALYZE {SUMMARY_TABLE}")
    return time.perf_counter() - t0


def month_figures_sql(node, month_start: date):
    """A callable reading `node`'s month figures per child jurisdiction from the summary table."""
    from django.db import connection

    sums = ", ".join(f"sum(m.{name}) AS {name}" for name in SUMMARY_COLUMNS)
    sql = (
        f"SELECT child.id, child.name, t.* FROM (SELECT substr(j.path, 1, %s) AS child_path, {sums} "
        f"FROM {SUMMARY_TABLE} m JOIN organization_jurisdiction j ON j.id = m.jurisdiction_id "
        "WHERE m.month = %s AND j.path LIKE %s GROUP BY 1) t "
        "JOIN organization_jurisdiction child ON child.path = t.child_path ORDER BY child.path"
    )
    # A child's path is its parent's path + a 9-digit id + "/" (Jurisdiction.child_path).
    params = [len(node.path) + 10, month_start, node.path + "%"]

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return read


# Open-case list: the page's 50 rows by raw SQL ------------------------------------------------


def open_list_sql(user):
    """A callable fetching the first 50 rows of `user`'s open-case list: the columns the page shows
    (code, recurrence, source, created, 小类 and 大类, place and address, status, assignee unit or
    person, deadline), in its order (-created_at, -id), scoped by the user's jurisdiction path."""
    from django.db import connection

    from apps.cases.choices import OPEN_STATUSES

    sql = (
        "SELECT c.id, c.code, c.is_recurrence, c.source, c.created_at, cat.name, parent.name, j.name, c.address, "
        "c.status, u.name, s.name, c.deadline_at FROM cases_case c "
        "JOIN organization_jurisdiction j ON j.id = c.jurisdiction_id "
        "JOIN cases_category cat ON cat.id = c.category_id "
        "LEFT JOIN cases_category parent ON parent.id = cat.parent_id "
        "LEFT JOIN organization_unit u ON u.id = c.assignee_unit_id "
        "LEFT JOIN organization_staff s ON s.id = c.assignee_staff_id "
        "WHERE j.path LIKE %s AND c.status = ANY(%s) ORDER BY c.created_at DESC, c.id DESC LIMIT 50"
    )
    params = [user.jurisdiction.path + "%", [str(s) for s in OPEN_STATUSES]]

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return read


def _alternate(calls: dict, runs: int, warmup: int) -> dict[str, dict]:
    """Time each of `calls` (name -> callable) once per round, in turn, `runs` rounds after
    `warmup` rounds: every measurement sees the same machine load."""
    from org_scale import measure

    times: dict[str, list] = {name: [] for name in calls}
    queries: dict[str, object] = {}
    for _ in range(warmup):
        for call in calls.values():
            call()
    for _ in range(runs):
        for name, call in calls.items():
            m = measure(call, 1, 0)
            times[name].append(m["median"])
            queries[name] = m["queries"]
    return {
        name: {"median": statistics.median(found), "times": found, "queries": queries[name]}
        for name, found in times.items()
    }


def sql_baselines(args, users: dict, month: tuple[date, date], get_ok) -> list[dict]:
    """Each page against its baselines, timed in turn round by round (page, SQL read, bare page
    and, for the statistics, the figures' computation alone); a list of report rows."""
    from django.test import Client, override_settings

    from apps.cases import selectors
    from apps.cases import statistics as case_stats
    from apps.cases.models import Case
    from apps.worktime.periods import local_midnight

    start, end = month
    rows = []
    t_build = build_month_summary()

    district = users["district"]
    client = Client()
    client.force_login(district)
    url = f"/cases/statistics/?start={start}&end={end}&group_by=jurisdiction"
    bare_url = f"{BARE_STATISTICS_PATH}?start={start}"
    figures = month_figures_sql(district.jurisdiction, start)
    got = figures()
    in_month = Case.objects.filter(
        created_at__gte=local_midnight(start),
        created_at__lt=local_midnight(end + timedelta(days=1)),
        jurisdiction__path__within=district.jurisdiction.path,
    ).count()
    summed = sum(r[3] for r in got)  # column 3 = reported
    if summed != in_month:
        raise RuntimeError(f"{SUMMARY_TABLE}: {summed} cases reported in the month, the cases table says {in_month}")

    def compute():
        return case_stats.case_statistics(user=district, start=start, end=end, group_by="jurisdiction")

    with override_settings(ROOT_URLCONF="bench.bare_urls"):
        _check_bare_statistics(get_ok(client, bare_url, "stats-table"), got, compute())
        timed = _alternate(
            {
                "page": lambda: get_ok(client, url, "合计"),
                "base": figures,
                "bare": lambda: get_ok(client, bare_url, "stats-table"),
                "compute": compute,
            },
            args.runs,
            args.warmup,
        )
    rows.append(
        {
            "what": f"statistics {start:%Y-%m} `group_by=jurisdiction`, district ({len(got)} children, "
            f"{in_month:,} cases)",
            "baseline": f"`{SUMMARY_TABLE}` (pre-aggregated per community and month, built in {t_build:.1f} s): "
            "sum per child by path prefix",
            "bare_what": f"`{BARE_STATISTICS_PATH}`: the same SQL read, rates in Python, one table in a "
            "minimal template",
            **timed,
            "load": os.getloadavg(),
        }
    )

    community = users["community"]
    client = Client()
    client.force_login(community)
    url = "/cases/?status=open"
    listing = open_list_sql(community)
    expected = list(selectors.case_list(user=community, filters={"status": "open"}).values_list("id", flat=True)[:50])
    got_ids = [r[0] for r in listing()]
    if got_ids != expected:
        raise RuntimeError("the raw SQL open-case list differs from the page's selector (ids or order)")
    with override_settings(ROOT_URLCONF="bench.bare_urls"):
        bare_page = get_ok(client, BARE_LIST_PATH, "case-table").content.decode()
        if bare_page.count("<tr>") != len(got_ids) + 1:
            raise RuntimeError(f"{BARE_LIST_PATH}: {bare_page.count('<tr>') - 1} rows, expected {len(got_ids)}")
        timed = _alternate(
            {
                "page": lambda: get_ok(client, url, 'data-testid="case-table"'),
                "base": listing,
                "bare": lambda: get_ok(client, BARE_LIST_PATH, "case-table"),
            },
            args.runs,
            args.warmup,
        )
    rows.append(
        {
            "what": f"open-case list `/cases/?status=open`, community ({len(got_ids)} rows shown)",
            "baseline": "the same 50 rows and columns by raw SQL (same order, LIMIT 50)",
            "bare_what": f"`{BARE_LIST_PATH}`: the same raw SQL, one table in a minimal template",
            **timed,
            "load": os.getloadavg(),
        }
    )
    return rows


def _check_bare_statistics(response, got: list, computed: list) -> None:
    """The bare page shows one row per child, and the summary table's figures equal the page's own
    (every figure but 应结案数 and its rates, which the summary cannot hold)."""
    page = response.content.decode()
    if page.count("<tr>") != len(got) + 1:
        raise RuntimeError(f"{BARE_STATISTICS_PATH}: {page.count('<tr>') - 1} rows, expected {len(got)}")
    by_id = {row.key: row for row in computed}
    names = list(SUMMARY_COLUMNS)
    for pk, _name, _path, *values in got:
        row = by_id.get(str(pk))
        for name, value in zip(names, values, strict=True):
            mine = getattr(row, name, None) if row else None
            if mine is None or abs(float(mine) - float(value)) > max(0.5, abs(float(value)) * 1e-9):
                raise RuntimeError(f"{SUMMARY_TABLE}: child {pk} {name} = {value}, the statistics say {mine}")


# Intake: the API against the bare view through the same gunicorn ------------------------------


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(ppid, CPU seconds user+system) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2 :].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / CLOCK_TICKS


def server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers (children)."""
    pids = [master]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat and stat[0] == master:
                pids.append(int(entry))
    return pids


def server_cpu(pids: list[int]) -> float:
    return sum(stat[1] for stat in map(_proc_stat, pids) if stat)


def bare_queries(args, api: dict) -> dict:
    """Queries and in-process time of one bare create (the API's are measured with the pages)."""
    import json

    from django.test import Client, override_settings
    from org_scale import measure

    rng = random.Random(args.seed + 5)
    client = Client()

    def post():
        body = {"category": api["category_id"], "rng": rng.random()}
        response = client.post(
            BARE_PATH,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {api['token']}",
        )
        if response.status_code != 201:
            raise RuntimeError(f"POST {BARE_PATH} answered {response.status_code}: {response.content[:300]!r}")
        return response

    with override_settings(ROOT_URLCONF="bench.bare_urls"):
        return measure(post, args.runs, args.warmup)


def run_side_by_side(args, api: dict, grid_user, log_dir: Path, start_gunicorn, stop_gunicorn, drive_load, bodies):
    """Rounds of A (the API) and B (the bare view) on one gunicorn (2 sync workers); a dict for the report."""
    from apps.cases.models import Case

    port = _free_port()
    before = Case.objects.filter(reporter=grid_user).count()
    process = start_gunicorn(
        args.side_workers, 1, port, log_dir / "gunicorn-side-by-side.log", settings_module="bench.settings_bench"
    )
    api["process"] = process
    runs = []
    expected = 0
    try:
        for path in (API_PATH, BARE_PATH):  # warm both up
            warm = drive_load(port, api["token"], bodies, args.api_warmup_seconds, args.api_concurrency, path=path)
            expected += warm["created"]
            if warm["errors"]:
                raise RuntimeError(f"warm-up of {path}: {warm['errors']} errors: {warm['error_samples']}")
        for round_no in range(1, args.side_rounds + 1):
            for key, path in (("A", API_PATH), ("B", BARE_PATH)):
                pids = server_pids(process.pid)
                cpu0 = server_cpu(pids)
                run = drive_load(port, api["token"], bodies, args.side_seconds, args.api_concurrency, path=path)
                cpu1 = server_cpu(pids)
                if server_pids(process.pid) != pids:
                    raise RuntimeError("a gunicorn worker was replaced during a round: CPU time not comparable")
                expected += run["created"]
                run.update(
                    {
                        "key": key,
                        "path": path,
                        "round": round_no,
                        "cpu_ms": (cpu1 - cpu0) * 1000 / max(1, run["requests"]),
                        "load": os.getloadavg(),
                    }
                )
                runs.append(run)
                print(
                    f"  side-by-side round {round_no} {key} {path:<20} {run['rps']:7.1f} req/s  "
                    f"median {run['median']:6.1f} ms  CPU {run['cpu_ms']:5.1f} ms/req  errors {run['errors']}  "
                    f"load {run['load'][0]:.2f}",
                    flush=True,
                )
    finally:
        stop_gunicorn(process)
        api["process"] = None
    created = Case.objects.filter(reporter=grid_user).count() - before
    errors = sum(r["errors"] for r in runs)
    if errors or created != expected:
        raise RuntimeError(f"side-by-side: {errors} errors, {created} cases created for {expected} answers 201")

    def med(key, field):
        return statistics.median(r[field] for r in runs if r["key"] == key)

    summary = {key: {field: med(key, field) for field in ("rps", "median", "p95", "cpu_ms")} for key in ("A", "B")}
    return {"runs": runs, "summary": summary, "created": created, "expected": expected}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_baselines(args, side: dict | None, api_queries, bare: dict | None, sql_rows: list) -> list[str]:
    lines = ["", "## Bare baselines (issue 14; measured in the same run, A and B alternating)", ""]
    if side:
        a, b = side["summary"]["A"], side["summary"]["B"]
        loads = [r["load"] for r in side["runs"]]
        lines += [
            f"### Intake: `POST {API_PATH}` (A) vs the bare view `POST {BARE_PATH}` (B)",
            "",
            f"One gunicorn (`bench.settings_bench`: the real settings plus the bare view), {args.side_workers} sync "
            f"workers, {args.api_concurrency} client threads, token auth, {args.side_rounds} rounds × "
            f"{args.side_seconds:g} s of A then B after {args.api_warmup_seconds:g} s warm-up of each. The bare view "
            "inserts one `Case` row (category, jurisdiction, code, tracking code, reporter) and answers 201 with its "
            "id: no validation, place lookup, recurrence check, event or audit row. CPU = user+system time of the "
            "gunicorn master and workers (`/proc/<pid>/stat`) over the round ÷ requests; queries per request "
            "in-process (`CaptureQueriesContext`).",
            "",
            "| round | A req/s | B req/s | A median ms | B median ms | A CPU ms/req | B CPU ms/req | load (1 min) |",
            "|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        by_round: dict[int, dict] = {}
        for r in side["runs"]:
            by_round.setdefault(r["round"], {})[r["key"]] = r
        for round_no, pair in sorted(by_round.items()):
            ra, rb = pair["A"], pair["B"]
            lines.append(
                f"| {round_no} | {ra['rps']:.1f} | {rb['rps']:.1f} | {ra['median']:.1f} | {rb['median']:.1f} | "
                f"{ra['cpu_ms']:.1f} | {rb['cpu_ms']:.1f} | {ra['load'][0]:.2f} / {rb['load'][0]:.2f} |"
            )
        lines += [
            "",
            "| | Chuangwei (A) | bare (B) | A / B |",
            "|---|---:|---:|---:|",
            f"| req/s (median of rounds) | {a['rps']:.1f} | {b['rps']:.1f} | {a['rps'] / b['rps']:.2f} |",
            f"| latency median ms | {a['median']:.1f} | {b['median']:.1f} | {a['median'] / b['median']:.2f} |",
            f"| server CPU ms per request | {a['cpu_ms']:.1f} | {b['cpu_ms']:.1f} | {a['cpu_ms'] / b['cpu_ms']:.2f} |",
            f"| queries per request (in-process) | {api_queries} | {bare['queries'] if bare else '—'} | |",
            "",
            f"Chuangwei/bare throughput: **{a['rps'] / b['rps']:.2f}** (bare is {b['rps'] / a['rps']:.1f}× faster). "
            f"Load average (1/5/15 min) during the rounds: first {_load(loads[0])}, last {_load(loads[-1])}. "
            f"Cases created = answers 201: {side['created']:,} = {side['expected']:,}.",
            "",
        ]
    if sql_rows:
        lines += [
            "### Pages vs their SQL read and a bare Django page (in-process, timed in turn round by round)",
            "",
            "Each round times the page, its SQL read alone and the bare page (`bench/bare_urls.py`: the same "
            "login, session and middleware, the same figures or rows read by that SQL, rendered through a minimal "
            "template as one HTML table, no menu, form or link), and for the statistics the figures' computation "
            "alone (`case_statistics`, the page's rows with 应结案数). Load average (1/5/15 min) at the end of "
            "these rounds: " + "; ".join(f"{row['what'].split(',')[0]}: {_load(row['load'])}" for row in sql_rows),
            "",
            "| page | page median ms | SQL read | SQL median ms | page / SQL | bare page | bare median ms | "
            "page / bare | page queries |",
            "|---|---:|---|---:|---:|---|---:|---:|---:|",
        ]
        for row in sql_rows:
            p, b, bare_page = row["page"], row["base"], row["bare"]
            lines.append(
                f"| {row['what']} | {p['median']:.1f} | {row['baseline']} | {b['median']:.2f} | "
                f"{p['median'] / max(b['median'], 1e-6):.1f}× | {row['bare_what']} | {bare_page['median']:.2f} | "
                f"{p['median'] / max(bare_page['median'], 1e-6):.1f}× | {p['queries']} |"
            )
        for row in sql_rows:
            if "compute" in row:
                c, b = row["compute"], row["base"]
                lines += [
                    "",
                    f"Statistics figures alone (`case_statistics`, {c['queries']} queries): median "
                    f"{c['median']:.2f} ms against {b['median']:.2f} ms for the SQL read of the summary table: "
                    f"**{c['median'] / max(b['median'], 1e-6):.1f}×**.",
                ]
        lines += [
            "",
            f"`{SUMMARY_TABLE}` holds the page's counts except 应结案数 (due), which depends on the time of the "
            "request; a real summary would also need keeping current as cases change. The bare statistics page "
            "therefore shows 12 of the page's 15 columns (no 应结案数, 结案率, 按期结案率).",
        ]
    return lines


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)
