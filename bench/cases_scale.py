#!/usr/bin/env python
"""City-scale benchmark of the case pages and of the case-report API.

Builds, into a fresh PostgreSQL database, the city of ``org_scale.py`` (16 districts,
300 streets, 5,000 communities, 50,000 units by default) plus 1,000,000 cases over
the communities and the last 12 months (loaded with PostgreSQL ``COPY``), then measures:

- a community user's open-case list ``/cases/?status=open`` (busiest community), and
  the same page for the busiest street and district;
- the statistics page ``/cases/statistics/`` of the last full month for a district
  (role office) and a street user, grouped by jurisdiction, category and unit;
- ``POST /api/v1/cases/`` in-process (queries per create), then its throughput under
  gunicorn (production server) with 2, 3 and 4 sync workers driven by a bounded
  thread-pool load generator on 127.0.0.1.

Standalone, not a pytest test.  See bench/README.md.

    .venv/bin/python bench/cases_scale.py                                   # full size
    .venv/bin/python bench/cases_scale.py --cases 20000 --units 2000 \\
        --communities 200 --streets 20 --api-seconds 3 --label smoke       # smoke run

The database named in the URL is dropped and re-created (its name must contain
"bench") and dropped again at the end unless --keep-db.  PostgreSQL only (COPY).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
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
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import benchdb  # noqa: E402  (fresh databases, from a migrated template in smoke runs)
import cases_baselines  # noqa: E402  (the bare baselines of issue 14)
import org_scale  # noqa: E402  (the city builder, measuring and EXPLAIN helpers)
from org_scale import (  # noqa: E402
    CITY_CENTER,
    GIVEN,
    PROJECT_DIR,
    RESULTS_DIR,
    ROADS,
    SURNAMES,
    build_city,
    drop_postgres_database,
    explain,
    measure,
    percentile,
    setup_django,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_cases_bench"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_cases_smoke_bench"
BUILD_TABLE = "bench_build_info"  # one row describing the finished build (for --reuse-db)
HOUR = 3600.0
DAY = 86400.0
CITY_SPAN_DEG = 0.6  # the communities tile a 0.6° × 0.6° square around CITY_CENTER

# Status mix. Open statuses are more likely for recent cases (see p_open) but the
# overall shares are these: 70 % closed, 10 % dispatched, 8 % handled, 5 % reported,
# 4 % registered and 3 % other (rejected, voided, returned, suspended).
OPEN_WEIGHTS = {"dispatched": 10, "handled": 8, "reported": 5, "registered": 4, "returned": 0.6, "suspended": 0.6}
DONE_WEIGHTS = {"closed": 70, "rejected": 1.0, "voided": 0.8}
OPEN_SHARE = sum(OPEN_WEIGHTS.values()) / (sum(OPEN_WEIGHTS.values()) + sum(DONE_WEIGHTS.values()))
OPEN_RECENT_BOOST, OPEN_RECENT_DAYS = 0.6, 30.0  # p_open(age) = base + boost·exp(−age/days)
OVERDUE_SHARE = 0.35  # of the dispatched cases
ON_TIME_SHARE = 0.85  # of the handled and closed cases (before the chance of being late anyway)
REWORK_SHARE = 0.10  # of the cases that were dispatched
RECURRENCE_TRY = 0.065  # chance to link a case to a recent closure of the same problem and place (→ ~3 %)
SOURCE_WEIGHTS = {"patrol": 55, "inspection": 8, "resident": 14, "hotline": 18, "leader": 5}
GPS_SHARE = {"patrol": 0.95, "inspection": 0.95, "leader": 0.9, "resident": 0.7, "hotline": 0.2}
CATEGORY_WEIGHTS = {
    "exposed_garbage": 14,
    "clutter": 12,
    "graffiti": 10,
    "road_occupation": 9,
    "bin_overflow": 8,
    "dead_corner": 8,
    "outside_business": 6,
    "mobile_vendor": 6,
    "parking": 5,
    "hanging": 4,
    "sewage": 4,
    "green_dirty": 3,
    "bench_no_photo": 3,
    "toilet_dirty": 2,
    "breeding_site": 2,
    "bin_broken": 2,
    "illegal_build": 1,
    "poultry": 1,
    "cover_missing": 1,
}
BENCH_CATEGORY = ("bench_no_photo", "其他环境问题（免拍照）")
SUSPENSION_PLANS = [
    "纳入老旧小区改造计划，明年一季度实施",
    "待业主委员会筹集维修资金后整改",
    "列入道路改造工程统一处理",
]


# Command line -------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL only (default {DEFAULT_URL})")
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--streets", type=int, default=300)
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="cases are spread over this many past days")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per operation (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs per operation (default 2)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--batch-size", type=int, default=5000, help="bulk_create batch size for units")
    parser.add_argument("--copy-batch", type=int, default=100_000, help="cases per COPY transaction")
    parser.add_argument("--api-workers", default="2,3,4", help="gunicorn sync worker counts to try (default 2,3,4)")
    parser.add_argument(
        "--api-extra",
        default="2x4",
        help="extra gunicorn settings WORKERSxTHREADS (gthread), comma-separated; '' for none "
        "(default 2x4, the setting of scripts/run.sh)",
    )
    parser.add_argument("--api-seconds", type=float, default=30.0, help="timed load per setting (default 30)")
    parser.add_argument("--api-warmup-seconds", type=float, default=3.0)
    parser.add_argument("--api-concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--no-api", action="store_true", help="skip the gunicorn parts (throughput and bare intake)")
    parser.add_argument("--side-rounds", type=int, default=3, help="rounds of A (API) and B (bare view) (default 3)")
    parser.add_argument("--side-seconds", type=float, default=10.0, help="seconds per A or B round (default 10)")
    parser.add_argument("--side-workers", type=int, default=2, help="gunicorn sync workers for A/B (default 2)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the bare baselines (issue 14)")
    parser.add_argument(
        "--reuse-db",
        "--skip-build",
        dest="reuse_db",
        action="store_true",
        help="reuse the database when it holds a finished build of the same size (else build it); keep it",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: tiny city (5,000 cases), 2 timed runs, 1 s per gunicorn load (1 worker), results to "
        "cases_scale-postgresql-smoke.md (git-ignored), database dropped at the end",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards (for EXPLAIN)")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN of the slowest queries")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--label", default="", help="suffix for the results file name (default: none)")
    args = parser.parse_args(argv)
    args.sqlite_analyze = False  # read by org_scale.build_city
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.districts, args.streets, args.communities, args.units, args.cases = 3, 8, 40, 500, 5000
        args.runs, args.warmup = 2, 1
        # one sync worker each: the same code paths, half the Django start-ups (CI's 2-minute budget)
        args.api_workers, args.api_extra, args.api_seconds, args.api_warmup_seconds = "1", "", 1.0, 0.5
        args.side_rounds, args.side_seconds, args.side_workers = 1, 1.0, 1
        args.label = args.label or "smoke"
        args.reuse_db = args.keep_db = False
    if not urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("cases_scale.py needs PostgreSQL (it loads the cases with COPY)")
    return args


# The city's geometry ------------------------------------------------------------------


def community_boxes(communities: list) -> dict[int, tuple[float, float, float]]:
    """Tile the communities over a square around the city centre: pk -> (lat0, lng0, side)."""
    cols = max(1, math.ceil(math.sqrt(len(communities))))
    side = CITY_SPAN_DEG / cols
    lat_base = CITY_CENTER[0] - CITY_SPAN_DEG / 2
    lng_base = CITY_CENTER[1] - CITY_SPAN_DEG / 2
    boxes = {}
    for index, community in enumerate(communities):
        row, col = divmod(index, cols)
        boxes[community.pk] = (lat_base + row * side, lng_base + col * side, side)
    return boxes


def set_boundaries(communities: list, boxes: dict) -> None:
    """Give every community a rectangular boundary, so the API can place a GPS point."""
    from decimal import Decimal

    from apps.organization.models import Jurisdiction

    for community in communities:
        lat0, lng0, side = boxes[community.pk]
        ring = [[lng0, lat0], [lng0 + side, lat0], [lng0 + side, lat0 + side], [lng0, lat0 + side], [lng0, lat0]]
        community.boundary = {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}
        community.center_lat = Decimal(f"{lat0 + side / 2:.6f}")
        community.center_lng = Decimal(f"{lng0 + side / 2:.6f}")
    Jurisdiction.objects.bulk_update(communities, ["boundary", "center_lat", "center_lng"], batch_size=1000)


# Generating the cases -----------------------------------------------------------------


class CaseGenerator:
    """One consistent case at a time, in creation order (ids follow created_at).

    Every timeline is created < registered < dispatched < handled < closed < now; the
    deadline follows the (last) dispatch or rework; the on-time flags compare with it.
    """

    def __init__(self, rng: random.Random, now: datetime, tz, categories: list, units_by_node: dict, boxes: dict):
        self.rng = rng
        self.now = now.timestamp()
        self.tz = tz
        self.today = now.astimezone(tz).date()
        self.categories = categories
        self.units_by_node = units_by_node
        self.boxes = boxes
        recent_mean = OPEN_RECENT_BOOST * OPEN_RECENT_DAYS / 365 * (1 - math.exp(-365 / OPEN_RECENT_DAYS))
        self.open_base = OPEN_SHARE - recent_mean
        self.open_statuses, self.open_cum = list(OPEN_WEIGHTS), list(accumulate(OPEN_WEIGHTS.values()))
        self.done_statuses, self.done_cum = list(DONE_WEIGHTS), list(accumulate(DONE_WEIGHTS.values()))
        self.sources, self.source_cum = list(SOURCE_WEIGHTS), list(accumulate(SOURCE_WEIGHTS.values()))
        self.category_cum = list(accumulate(c.bench_weight for c in categories))
        self.last_closed: dict[tuple[int, int], tuple[int, float]] = {}
        self.tracking_codes: set[str] = set()
        from apps.cases.demo import DESCRIPTIONS
        from apps.cases.models import TRACKING_ALPHABET

        self.alphabet = TRACKING_ALPHABET

        self.descriptions = {**DESCRIPTIONS, BENCH_CATEGORY[0]: "路边散落杂物，影响市容"}

    # small helpers
    def dt(self, ts: float | None):
        return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)

    def lag(self, mean_hours: float, floor_minutes: float) -> float:
        return max(floor_minutes * 60, self.rng.expovariate(1 / (mean_hours * HOUR)))

    def tracking_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(self.alphabet, k=8))
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    def fit(self, created: float, times: list[float]) -> list[float]:
        """Compress a timeline that would end in the future into the time since creation."""
        if not times or times[-1] < self.now - 60:
            return times
        scale = (self.now - 60 - created) * self.rng.uniform(0.5, 0.95) / (times[-1] - created)
        return [created + (t - created) * scale for t in times]

    def status_for(self, created: float) -> str:
        age_days = (self.now - created) / DAY
        p_open = self.open_base + OPEN_RECENT_BOOST * math.exp(-age_days / OPEN_RECENT_DAYS)
        if self.rng.random() < p_open:
            return self.rng.choices(self.open_statuses, cum_weights=self.open_cum)[0]
        return self.rng.choices(self.done_statuses, cum_weights=self.done_cum)[0]

    def case(self, pk: int, created: float, community) -> dict:
        rng = self.rng
        category = rng.choices(self.categories, cum_weights=self.category_cum)[0]
        deadline_len = category.deadline_amount * (2 * HOUR if category.deadline_unit == "hours" else 1.4 * DAY)
        source = rng.choices(self.sources, cum_weights=self.source_cum)[0]
        status = self.status_for(created)
        lat0, lng0, side = self.boxes[community.pk]
        has_gps = rng.random() < GPS_SHARE[source]
        row = {
            "id": pk,
            "created_at": created,
            "code": f"AJ{datetime.fromtimestamp(created, self.tz):%Y%m%d}{pk:06d}",
            "tracking_code": self.tracking_code(),
            "source": source,
            "category_id": category.pk,
            "description": self.descriptions.get(category.code, category.name),
            "address": f"{rng.choice(ROADS)}{rng.randint(1, 400)}号",
            "lat": round(lat0 + rng.uniform(0.02, 0.98) * side, 6) if has_gps else None,
            "lng": round(lng0 + rng.uniform(0.02, 0.98) * side, 6) if has_gps else None,
            "jurisdiction_id": community.pk,
            "reporter_id": None,
            "reporter_name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}" if source != "resident" else "",
            "reporter_phone": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
            if source in ("resident", "hotline")
            else "",
            "status": status,
            "assignee_unit_id": None,
            "assignee_staff_id": None,
            "registered_at": None,
            "dispatched_at": None,
            "deadline_at": None,
            "clock_started_at": None,
            "handled_at": None,
            "closed_at": None,
            "closed_on_time": None,
            "handled_on_time": None,
            "rework_count": 0,
            "escalation_level": 0,
            "listed_for_bulletin": False,
            "suspension_plan": "",
            "review_on": None,
            "is_recurrence": False,
            "recurrence_of_id": None,
            "merged_into_id": None,
            "hotline_ticket": "",
            "answer_due_at": None,
            "viewed_at": None,
            "answered_at": None,
        }
        updated = self.timeline(row, status, created, deadline_len, community)
        if source == "hotline":
            row["hotline_ticket"] = f"12345-{datetime.fromtimestamp(created, self.tz):%Y%m%d}-{pk:07d}"
            row["answer_due_at"] = created + DAY
            viewed = created + self.lag(2, 5)
            row["viewed_at"] = viewed if viewed < self.now else None
            answered = created + self.lag(10, 30)
            row["answered_at"] = answered if answered < self.now and rng.random() < 0.9 else None
        key = (community.pk, category.pk)
        previous = self.last_closed.get(key)
        if previous and previous[1] < created and created - previous[1] <= 30 * DAY and rng.random() < RECURRENCE_TRY:
            row["is_recurrence"], row["recurrence_of_id"] = True, previous[0]
        if status == "closed":
            self.last_closed[key] = (pk, row["closed_at"])
        row["updated_at"] = updated
        for name in (
            "created_at",
            "updated_at",
            "registered_at",
            "dispatched_at",
            "deadline_at",
            "clock_started_at",
            "handled_at",
            "closed_at",
            "answer_due_at",
            "viewed_at",
            "answered_at",
        ):
            row[name] = self.dt(row[name])
        return row

    def timeline(self, row: dict, status: str, created: float, deadline_len: float, community) -> float:
        """Fill the lifecycle fields for `status`; returns the time of the last change."""
        rng = self.rng
        if status == "reported":
            row["version"] = 1
            return created
        if status == "rejected" or (status == "voided" and rng.random() < 0.5):
            (closed_by,) = self.fit(created, [created + self.lag(3, 5)])
            row["version"] = 2
            return closed_by
        registered = created + self.lag(3, 5)
        if status in ("registered", "voided") or (status == "suspended" and rng.random() < 0.5):
            later = [registered + self.lag(24, 30)] if status != "registered" else []
            times = self.fit(created, [registered, *later])
            row["registered_at"] = times[0]
            if status == "suspended":
                row["suspension_plan"] = rng.choice(SUSPENSION_PLANS)
                row["review_on"] = self.today + timedelta(days=rng.randint(7, 60))
            row["version"] = 1 + len(times)
            return times[-1]
        # Dispatched at least once: rework cycles (handle, failed check) may follow.
        row["assignee_unit_id"] = self.unit_for(community)
        reworks = 0
        if status in ("dispatched", "handled", "closed") and rng.random() < REWORK_SHARE:
            reworks = 1 if rng.random() < 0.8 else 2
        times = [registered, registered + self.lag(6, 10)]
        for _ in range(reworks):
            times.append(times[-1] + rng.uniform(0.2, 1.1) * deadline_len)  # handled
            times.append(times[-1] + self.lag(10, 30))  # check failed: new deadline from here
        if status in ("handled", "closed"):
            # most units fix it in time and the check follows before the deadline; some are late
            on_time = rng.random() < ON_TIME_SHARE
            anchor = times[-1]
            times.append(anchor + rng.uniform(0.1, 0.75 if on_time else 1.6) * deadline_len)
            if status == "closed":
                left = anchor + deadline_len - times[-1]
                times.append(times[-1] + (rng.uniform(0.05, 0.95) * left if on_time and left > 0 else self.lag(10, 30)))
        if status in ("returned", "suspended"):
            times.append(times[-1] + self.lag(8, 30))
        times = self.fit(created, times)
        anchor_index = 1 + 2 * reworks  # the dispatch, or the last failed check
        if status == "dispatched":
            wants_overdue = rng.random() < OVERDUE_SHARE
            if not wants_overdue and times[anchor_index] + deadline_len <= self.now:
                # still within its time: (re)dispatched recently
                times[anchor_index] = max(times[anchor_index], self.now - rng.uniform(0.05, 0.95) * deadline_len)
        row["registered_at"], row["dispatched_at"] = times[0], times[1]
        deadline = times[anchor_index] + deadline_len
        row["deadline_at"] = deadline
        row["clock_started_at"] = times[anchor_index]  # the dispatch, or the last failed check
        row["rework_count"] = reworks
        transitions = len(times)
        if status in ("handled", "closed"):
            handled = times[anchor_index + 1]
            row["handled_at"], row["handled_on_time"] = handled, handled <= deadline
        if status == "closed":
            closed = times[anchor_index + 2]
            row["closed_at"], row["closed_on_time"] = closed, closed <= deadline
        last = times[-1]
        if status == "dispatched" and deadline < self.now:
            late = self.now - deadline
            level = 1 if late < DAY else 2 if late < 3 * DAY else 3
            row["escalation_level"], row["listed_for_bulletin"] = level, level == 3
            transitions += level
            last = max(last, min(self.now - 60, deadline + (level - 1) * DAY + HOUR))
        if status == "suspended":
            row["suspension_plan"] = rng.choice(SUSPENSION_PLANS)
            row["review_on"] = self.today + timedelta(days=rng.randint(7, 60))
        row["version"] = 1 + transitions
        return last

    def unit_for(self, community) -> int | None:
        units = self.units_by_node.get(community.pk) or self.units_by_node.get(community.parent_id)
        return self.rng.choice(units) if units else None


def creation_times(rng: random.Random, count: int, days: int, now: datetime, tz) -> list[float]:
    """`count` report times over the last `days` days: daytime hours, fewer on weekends; sorted."""
    hours = list(range(24))
    hour_cum = list(accumulate([1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 12, 15, 15, 14, 12, 9, 7, 5, 3, 2, 1]))
    today = now.astimezone(tz).date()
    now_ts = now.timestamp()
    times = []
    while len(times) < count:
        day = today - timedelta(days=int(rng.random() * days))
        if day.weekday() >= 5 and rng.random() < 0.4:
            continue
        hour = rng.choices(hours, cum_weights=hour_cum)[0]
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=tz).timestamp() + rng.random() * HOUR
        if moment < now_ts - 120:
            times.append(moment)
    times.sort()
    return times


def load_cases(args, rng: random.Random, city: dict, now: datetime) -> dict:
    """Generate the cases and COPY them in; returns case counts per community and timings."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.cases.models import Case, Category
    from apps.organization.models import Unit

    timings = {}
    categories = list(Category.objects.filter(parent__isnull=False, is_active=True).order_by("id"))
    for category in categories:
        category.bench_weight = CATEGORY_WEIGHTS.get(category.code, 2)
    units_by_node: dict[int, list[int]] = {}
    street_of = {c.pk: c.parent_id for c in city["communities"]}
    for unit_id, node_id in Unit.objects.values_list("id", "jurisdiction_id").iterator(chunk_size=20_000):
        units_by_node.setdefault(node_id, []).append(unit_id)
        units_by_node.setdefault(street_of.get(node_id), []).append(unit_id)
    boxes = community_boxes(city["communities"])

    t0 = time.perf_counter()
    weights = [rng.lognormvariate(0, 0.7) for _ in city["communities"]]
    places = rng.choices(city["communities"], weights=weights, k=args.cases)
    tz = timezone.get_current_timezone()
    created = creation_times(rng, args.cases, args.days, now, tz)
    timings["cases: draw places and times"] = time.perf_counter() - t0

    generator = CaseGenerator(rng, now, tz, categories, units_by_node, boxes)
    columns = [f.column for f in Case._meta.concrete_fields]
    per_community: Counter = Counter()
    t0 = time.perf_counter()
    copy_sql = f"COPY {connection.ops.quote_name(Case._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    start = 0
    while start < args.cases:
        stop = min(start + args.copy_batch, args.cases)
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for index in range(start, stop):
                row = generator.case(index + 1, created[index], places[index])
                if index == 0:
                    missing = set(columns) ^ set(row)
                    assert not missing, f"generated columns differ from the model: {sorted(missing)}"
                copy.write_row([row[c] for c in columns])
                per_community[row["jurisdiction_id"]] += 1
        start = stop
        print(f"  … {stop:,} cases", flush=True)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Case._meta.db_table)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [Case._meta.db_table]
        )
    timings["cases: generate + COPY"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rebuild_rollups()
    timings["statistics rollups: rebuild"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if getattr(args, "smoke", False):  # tiny data: statistics are enough, no flush
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
            # Flush the bulk load now, so a background checkpoint does not overlap the measurements.
            cursor.execute("CHECKPOINT")
    timings["vacuum analyze + checkpoint (after the cases)"] = time.perf_counter() - t0
    return {"per_community": per_community, "timings": timings, "boxes": boxes}


def rebuild_rollups() -> int:
    """Cases loaded by COPY bypass the app: its statistics rollups are rebuilt from them, as
    `manage.py cases_rollups rebuild` does after loading cases by SQL."""
    from apps.cases.rollups import rollups_rebuild

    rows = rollups_rebuild()
    print(f"  statistics rollups rebuilt: {rows:,} rows", flush=True)
    return rows


def data_summary(now: datetime) -> dict:
    """Shares actually loaded (status mix, overdue, rework, recurrence) for the report."""
    from django.db.models import Count, Q

    from apps.cases.models import Case

    total = Case.objects.count()
    by_status = dict(Case.objects.order_by().values_list("status").annotate(n=Count("id")))
    extra = Case.objects.aggregate(
        overdue=Count("id", filter=Q(status="dispatched", deadline_at__lt=now)),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
        dispatched_ever=Count("id", filter=Q(dispatched_at__isnull=False)),
        recurrences=Count("id", filter=Q(is_recurrence=True)),
        with_unit=Count("id", filter=Q(assignee_unit__isnull=False)),
        closed_on_time=Count("id", filter=Q(status="closed", closed_on_time=True)),
        with_gps=Count("id", filter=Q(lat__isnull=False)),
    )
    return {"total": total, "by_status": by_status, **extra}


def check_consistency() -> dict:
    """Count rows that break the timeline rules (all should be 0)."""
    from django.db import connection

    from apps.cases.models import Case

    table = connection.ops.quote_name(Case._meta.db_table)
    checks = {
        "registered before created": "registered_at < created_at",
        "dispatched before registered": "dispatched_at < registered_at",
        "handled before dispatched": "handled_at < dispatched_at",
        "closed before handled": "closed_at < handled_at",
        "deadline not after dispatch": "deadline_at <= dispatched_at",
        "closed_on_time wrong": "status = 'closed' AND closed_on_time <> (closed_at <= deadline_at)",
        "handled_on_time wrong": "handled_at IS NOT NULL AND handled_on_time <> (handled_at <= deadline_at)",
        "dispatched+ without unit": "dispatched_at IS NOT NULL AND assignee_unit_id IS NULL",
        "anything in the future": "greatest(created_at, registered_at, dispatched_at, handled_at, closed_at) > now()",
    }
    sql = "SELECT " + ", ".join(f"count(*) FILTER (WHERE {cond})" for cond in checks.values()) + f" FROM {table}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return dict(zip(checks, values, strict=True))


# Measuring the pages ------------------------------------------------------------------


def last_full_month(today: date) -> tuple[date, date]:
    first_this = today.replace(day=1)
    last = first_this - timedelta(days=1)
    return last.replace(day=1), last


def get_ok(client, url: str, must_contain: str = ""):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if must_contain and must_contain not in response.content.decode():
        raise RuntimeError(f"GET {url}: {must_contain!r} not in the page")
    return response


def pick_users(city: dict, per_community: Counter) -> dict:
    from apps.accounts.models import User
    from apps.core.roles import Role

    per_street: Counter = Counter()
    for community in city["communities"]:
        per_street[community.parent_id] += per_community.get(community.pk, 0)
    per_district: Counter = Counter()
    for street in city["streets"]:
        per_district[street.parent_id] += per_street.get(street.pk, 0)
    community = max(city["communities"], key=lambda c: (per_community.get(c.pk, 0), -c.pk))
    street = max(city["streets"], key=lambda s: (per_street.get(s.pk, 0), -s.pk))
    district = max(city["districts"], key=lambda d: (per_district.get(d.pk, 0), -d.pk))
    sizes = sorted(per_community.get(c.pk, 0) for c in city["communities"])
    specs = {
        "community": {"username": "bench_community", "role": Role.COMMUNITY, "jurisdiction": community},
        "street": {"username": "bench_street", "role": Role.STREET, "jurisdiction": street},
        "district": {"username": "bench_district", "role": Role.OFFICE, "jurisdiction": district},
        "grid": {"username": "bench_grid", "role": Role.GRID, "jurisdiction": community},
    }
    users = {}
    for key, spec in specs.items():  # the same accounts again on a reused database (--reuse-db)
        user = User.objects.filter(username=spec["username"]).first() or User(username=spec["username"])
        user.role, user.jurisdiction = spec["role"], spec["jurisdiction"]
        if key == "grid":
            user.last_name, user.first_name = "周", "网格"
        user.set_unusable_password()
        user.save()
        users[key] = user
    info = {
        "community cases min/median/max": f"{sizes[0]:,} / {sizes[len(sizes) // 2]:,} / {sizes[-1]:,}",
        "street cases max": f"{per_street[street.pk]:,}",
        "district cases max": f"{per_district[district.pk]:,}",
    }
    return {"users": users, "info": info}


def api_body(rng: random.Random, category_id: int, box: tuple[float, float, float]) -> dict:
    lat0, lng0, side = box
    return {
        "category": category_id,
        "source": "patrol",
        "description": "路边散落杂物，影响市容（压测）",
        "address": f"{rng.choice(ROADS)}{rng.randint(1, 400)}号",
        "lat": f"{lat0 + rng.uniform(0.05, 0.95) * side:.6f}",
        "lng": f"{lng0 + rng.uniform(0.05, 0.95) * side:.6f}",
    }


def run_page_benchmarks(args, users: dict, month: tuple[date, date], api: dict) -> tuple[list, list]:
    from decimal import Decimal

    from django.db.models import Count
    from django.test import Client

    from apps.cases import selectors
    from apps.cases.models import Case, Category
    from apps.cases.selectors import case_recent_closed_same_place
    from apps.worktime.periods import local_midnight as _local_midnight

    start, end = month
    results, details = [], []

    def month_rows(user) -> int:
        return (
            Case.objects.restrict(user)
            .filter(
                created_at__gte=_local_midnight(start),
                created_at__lt=_local_midnight(end + timedelta(days=1)),
                jurisdiction__path__within=user.jurisdiction.path,
            )
            .count()
        )

    ops = []
    for level in ("community", "street", "district"):
        user = users[level]
        ops.append(
            (
                "open-case list `/cases/?status=open`" + ("" if level == "community" else " (extra)"),
                level,
                user,
                lambda user=user: selectors.case_list(user=user, filters={"status": "open"}).count(),
                "/cases/?status=open",
                'data-testid="case-table"',
            )
        )
    for level in ("district", "street"):
        user = users[level]
        for group_by in ("jurisdiction", "category", "unit"):
            ops.append(
                (
                    f"statistics {start:%Y-%m} `group_by={group_by}`",
                    level,
                    user,
                    lambda user=user: month_rows(user),
                    f"/cases/statistics/?start={start}&end={end}&group_by={group_by}",
                    "合计",
                )
            )
    for name, level, user, count_rows, url, marker in ops:
        client = Client()
        client.force_login(user)
        rows = count_rows()
        get_ok(client, url, marker)  # fails early on a broken page
        stats = measure(lambda c=client, u=url, m=marker: get_ok(c, u, m), args.runs, args.warmup)
        results.append({"operation": name, "level": level, "rows": rows, **stats})
        details.append({"operation": name, "level": level, "queries": stats["last_queries"]})
        print(
            f"  {level:<9} {name[:58]:<58} rows {rows:>8,}  {stats['median']:8.1f} ms"
            f"  p95 {stats['p95']:8.1f}  q={stats['queries']}",
            flush=True,
        )

    # The report API in-process: the same request as the load test, with its queries counted.
    client = Client()
    body_rng = random.Random(args.seed + 1)

    def post_case():
        body = api_body(body_rng, api["category_id"], api["box"])
        response = client.post(
            "/api/v1/cases/",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {api['token']}",
        )
        if response.status_code != 201:
            raise RuntimeError(f"POST /api/v1/cases/ answered {response.status_code}: {response.content[:300]!r}")
        return response

    first = post_case().json()
    if first.get("jurisdiction") != users["grid"].jurisdiction_id or not first.get("code"):
        raise RuntimeError(f"unexpected API answer: {first}")
    stats = measure(post_case, args.runs, args.warmup)
    name = "report a case `POST /api/v1/cases/` (in-process, JSON, GPS)"
    results.append({"operation": name, "level": "grid", "rows": 1, **stats})
    details.append({"operation": name, "level": "grid", "queries": stats["last_queries"]})
    print(
        f"  grid      {name[:58]:<58} rows        1  {stats['median']:8.1f} ms"
        f"  p95 {stats['p95']:8.1f}  q={stats['queries']}"
    )

    # The recurrence lookup every GPS report runs (services.case_report), for the biggest 小类:
    # the API test above uses the small benchmark category, common categories cost more.
    biggest = Category.objects.filter(parent__isnull=False).annotate(n=Count("cases")).order_by("-n", "id").first()
    community = users["grid"].jurisdiction
    point_rng = random.Random(args.seed + 3)

    def recurrence_check():
        body = api_body(point_rng, biggest.pk, api["box"])
        return case_recent_closed_same_place(
            category=biggest, lat=Decimal(body["lat"]), lng=Decimal(body["lng"]), jurisdiction=community
        )

    stats = measure(recurrence_check, args.runs, args.warmup)
    name = f"recurrence check `case_recent_closed_same_place` (biggest 小类 `{biggest.code}`; runs in every GPS report)"
    results.append({"operation": name, "level": "grid", "rows": biggest.n, **stats})
    details.append({"operation": name, "level": "grid", "queries": stats["last_queries"]})
    print(
        f"  grid      {name[:58]:<58} rows {biggest.n:>8,}  {stats['median']:8.1f} ms"
        f"  p95 {stats['p95']:8.1f}  q={stats['queries']}"
    )

    for detail in details:
        ordered = sorted(detail["queries"], key=lambda q: float(q.get("time") or 0), reverse=True)
        detail["slowest"] = ordered[:1]
        if not args.no_explain:
            for query in detail["slowest"]:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    query["plan"] = explain(query["sql"])
    return results, details


# API throughput under gunicorn --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    workers: int, threads: int, port: int, log_path: Path, settings_module: str = "config.settings"
) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": str(PROJECT_DIR),  # so bench.settings_bench imports
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    command = [
        str(PROJECT_DIR / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log_file = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")


def stop_gunicorn(process: subprocess.Popen | None) -> None:
    """Stop the gunicorn master this script started (it stops its own workers)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the master and its workers only
        process.wait(timeout=10)
    process.log_file.close()


def drive_load(port: int, token: str, bodies, seconds: float, concurrency: int, path: str = "/api/v1/cases/") -> dict:
    """POST reports from `concurrency` threads for `seconds`; one fresh connection per request
    (gunicorn's sync workers close the connection after each response)."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    samples: list[str] = []
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}", "Connection": "close"}

    def worker():
        while time.monotonic() < stop_at:
            with lock:
                body = json.dumps(next(bodies)).encode()
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
                key = response.status
            except OSError as error:
                key, payload = f"{type(error).__name__}", str(error).encode()
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                statuses[key] += 1
                if key == 201:
                    latencies.append(elapsed)
                elif len(samples) < 3:
                    samples.append(f"{key}: {payload[:200]!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    total = sum(statuses.values())
    return {
        "seconds": wall,
        "requests": total,
        "created": statuses.get(201, 0),
        "errors": total - statuses.get(201, 0),
        "statuses": dict(statuses),
        "error_samples": samples,
        "rps": statuses.get(201, 0) / wall if wall else 0.0,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 95) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
    }


def run_api_throughput(args, api: dict, grid_user) -> list[dict]:
    from apps.cases.models import Case

    settings = [(int(w), 1) for w in args.api_workers.split(",") if w.strip()]
    for extra in [e for e in args.api_extra.split(",") if e.strip()]:
        workers, threads = extra.lower().split("x")
        settings.append((int(workers), int(threads)))
    log_dir = Path(tempfile.mkdtemp(prefix="cases_scale_gunicorn_"))
    org_scale.TEMP_DIRS.append(str(log_dir))
    rng = random.Random(args.seed + 2)

    def bodies():
        while True:
            yield api_body(rng, api["category_id"], api["box"])

    body_stream = bodies()
    results = []
    for workers, threads in settings:
        port = free_port()
        kind = "gthread" if threads > 1 else "sync"
        label = f"{workers} workers × {threads} thread{'s' if threads > 1 else ''} ({kind})"
        before = Case.objects.filter(reporter=grid_user).count()
        process = start_gunicorn(workers, threads, port, log_dir / f"gunicorn-{workers}x{threads}.log")
        api["process"] = process
        try:
            warm = drive_load(port, api["token"], body_stream, args.api_warmup_seconds, args.api_concurrency)
            run = drive_load(port, api["token"], body_stream, args.api_seconds, args.api_concurrency)
        finally:
            stop_gunicorn(process)
            api["process"] = None
        created = Case.objects.filter(reporter=grid_user).count() - before
        expected = warm["created"] + run["created"]
        run.update(
            {
                "setting": label,
                "workers": workers,
                "threads": threads,
                "concurrency": args.api_concurrency,
                "db_created": created,
                "expected_created": expected,
                "verified": created == expected,
                "warmup_requests": warm["requests"],
                "warmup_errors": warm["errors"],
            }
        )
        results.append(run)
        print(
            f"  API {label:<34} {run['rps']:7.1f} req/s  median {run['median']:7.1f} ms  p95 {run['p95']:7.1f} ms"
            f"  errors {run['errors'] + warm['errors']}  created {created} (201s {expected})"
            f"{'' if run['verified'] else '  MISMATCH'}",
            flush=True,
        )
        if run["error_samples"]:
            print("    error samples: " + " | ".join(run["error_samples"]), flush=True)
    return results


def run_side_by_side(args, api: dict, grid_user) -> dict:
    """The API (A) against the bare view (B) on one gunicorn, alternating (cases_baselines)."""
    log_dir = Path(tempfile.mkdtemp(prefix="cases_scale_side_"))
    org_scale.TEMP_DIRS.append(str(log_dir))
    rng = random.Random(args.seed + 4)

    def bodies():
        while True:
            yield api_body(rng, api["category_id"], api["box"])

    return cases_baselines.run_side_by_side(
        args, api, grid_user, log_dir, start_gunicorn, stop_gunicorn, drive_load, bodies()
    )


# Report -------------------------------------------------------------------------------


def render_report(ctx: dict) -> str:
    import django

    args, city, summary = ctx["args"], ctx["city"], ctx["summary"]
    total = summary["total"] or 1
    month_start, month_end = ctx["month"]
    users = ctx["users"]

    def node(level):
        j = users[level].jurisdiction
        return f"{j.name} ({j.code})"

    lines = [
        "# cases_scale benchmark — postgresql",
        "",
        f"- run at: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- database: postgresql {ctx['db_version']}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}",
        f"- data: 1 city, {len(city['districts'])} districts, {len(city['streets'])} streets, "
        f"{len(city['communities'])} communities, {city['units']:,} units, **{summary['total']:,} cases** over the "
        f"last {args.days} days (seed {args.seed}); cases per community min/median/max "
        f"{ctx['nodes_info']['community cases min/median/max']}; "
        f"busiest street {ctx['nodes_info']['street cases max']}, "
        f"busiest district {ctx['nodes_info']['district cases max']} cases",
        f"- users: community = {node('community')} (busiest community, role community), street = {node('street')} "
        f"(busiest street, role street), district = {node('district')} (busiest district, role office), "
        f"grid = a grid worker (role grid) of the same community as the community user (API)",
        f"- statistics month: {month_start} … {month_end} (last full month)",
        f"- build: {ctx['build_note']}",
        f"- load average (1/5/15 min) before the measurements: {' / '.join(f'{v:.2f}' for v in ctx['load'][0])}, "
        f"after: {' / '.join(f'{v:.2f}' for v in ctx['load'][1])} (2 CPUs shared with other jobs)",
        f"- method: django.test.Client + force_login, {args.warmup} warm-up + {args.runs} timed runs each; "
        "queries counted with CaptureQueriesContext (incl. session/user lookups); timings include the whole "
        "Django request (middleware, session, template rendering)",
        "",
        "## Data loaded",
        "",
        "| status | cases | share |",
        "|---|---:|---:|",
    ]
    for status, n in sorted(summary["by_status"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {status} | {n:,} | {n / total:.1%} |")
    lines += [
        "",
        f"- overdue (dispatched, deadline passed): {summary['overdue']:,} "
        f"({summary['overdue'] / max(1, summary['by_status'].get('dispatched', 0)):.0%} of dispatched)",
        f"- reworked (rework_count > 0): {summary['reworked']:,} ({summary['reworked'] / total:.1%} of all, "
        f"{summary['reworked'] / max(1, summary['dispatched_ever']):.1%} of the {summary['dispatched_ever']:,} "
        "ever dispatched)",
        f"- recurrences: {summary['recurrences']:,} ({summary['recurrences'] / total:.1%})",
        f"- with an assignee unit: {summary['with_unit']:,}; closed on time: {summary['closed_on_time']:,} "
        f"({summary['closed_on_time'] / max(1, summary['by_status'].get('closed', 0)):.0%} of closed); "
        f"with GPS: {summary['with_gps'] / total:.0%}",
        "- consistency checks (rows breaking a rule; all must be 0): "
        + ", ".join(f"{k} {v}" for k, v in ctx["consistency"].items()),
        "- no CaseEvent / AuditEvent rows for the generated cases (the pages measured do not read them); "
        "one extra 小类 `bench_no_photo` (photo_required = false) takes part in the mix and is used by the API test",
        "",
        "## Build",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    for step, seconds in ctx["timings"].items():
        lines.append(f"| {step} | {seconds:.1f} |")
    lines += [
        "",
        "## Pages",
        "",
        "| database | operation | user level | rows in scope | median ms | p95 ms | queries |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for r in ctx["results"]:
        lines.append(
            f"| postgresql | {r['operation']} | {r['level']} | {r['rows']:,} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['queries']} |"
        )
    lines.append("")
    lines.append(
        "rows in scope: open cases in the user's subtree for the list; cases created in the month in the "
        "user's subtree for the statistics; 1 for the API create; the 小类's cases for the recurrence check."
    )
    if ctx["api"]:
        lines += [
            "",
            "## API create throughput (gunicorn)",
            "",
            f"`POST /api/v1/cases/` with a JSON body (小类 `bench_no_photo`, source patrol, GPS point inside the grid "
            f"worker's community, token auth), {args.api_concurrency} client threads (Python http.client, a new "
            f"connection per request) on the same 2-CPU machine, {args.api_warmup_seconds:g} s warm-up then "
            f"{args.api_seconds:g} s timed per setting; DEBUG off, DATABASE_CONN_MAX_AGE 60 (persistent connections). "
            "Latency = client-side, 201 responses only.",
            "",
            "| database | gunicorn setting | client threads | seconds | requests | 201 | errors | req/s | "
            "median ms | p95 ms | max ms | cases created = 201s (incl. warm-up) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in ctx["api"]:
            lines.append(
                f"| postgresql | {r['setting']} | {r['concurrency']} | {r['seconds']:.1f} | {r['requests']:,} | "
                f"{r['created']:,} | {r['errors'] + r['warmup_errors']} | {r['rps']:.1f} | {r['median']:.1f} | "
                f"{r['p95']:.1f} | {r['max']:.0f} | {r['db_created']:,} = {r['expected_created']:,} "
                f"{'✓' if r['verified'] else '✗ MISMATCH'} |"
            )
        best = max(ctx["api"], key=lambda r: r["rps"])
        lines += ["", f"Best: **{best['setting']}: {best['rps']:.1f} creates/s** (p95 {best['p95']:.0f} ms)."]
        for r in ctx["api"]:
            if r["error_samples"]:
                lines.append(f"- errors with {r['setting']}: " + "; ".join(r["error_samples"]))
    lines += ctx["baselines"]
    lines += ["", "## Slowest query of each operation (last timed run) with EXPLAIN (ANALYZE, BUFFERS)", ""]
    for detail in ctx["details"]:
        lines += org_scale.render_slowest(detail, detail["queries"], sql_width=200)
    return "\n".join(lines) + "\n"


def build_params(args) -> dict:
    """What makes two builds the same (compared by --reuse-db)."""
    return {
        name: getattr(args, name) for name in ("districts", "streets", "communities", "units", "cases", "days", "seed")
    }


def finished_build(url: str, params: dict) -> dict | None:
    """The build record of an existing database built with the same parameters, else None."""
    import psycopg

    name, _admin = org_scale._pg_parts(url)
    try:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=5) as conn:
            row = conn.execute(
                f"SELECT params, timings, built_at FROM {BUILD_TABLE} ORDER BY built_at DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return None
    if not row or row[0] != params:
        print(f"database {name} exists but holds no finished build with these parameters: rebuilding", flush=True)
        return None
    return {"timings": row[1], "built_at": row[2]}


def record_build(params: dict, timings: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BUILD_TABLE} "
            "(params jsonb, timings jsonb, built_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {BUILD_TABLE} (params, timings) VALUES (%s, %s)",
            [json.dumps(params), json.dumps(list(timings.items()))],  # pairs: jsonb would reorder an object
        )


def build(args, rng: random.Random) -> dict:
    """Migrate, build the city and load the cases; the city, per-community counts, boxes and timings."""
    from django.utils import timezone

    from apps.cases.models import Category

    timings = {}
    t0 = time.perf_counter()
    benchdb.migrate()
    timings["migrate"] = time.perf_counter() - t0
    print(f"migrate: {timings['migrate']:.1f} s", flush=True)
    city = build_city(args, rng)
    timings.update(city["timings"])
    t0 = time.perf_counter()
    boxes = community_boxes(city["communities"])
    set_boundaries(city["communities"], boxes)
    timings["community boundaries"] = time.perf_counter() - t0
    Category.objects.create(
        parent=Category.objects.get(code="sanitation"),
        code=BENCH_CATEGORY[0],
        name=BENCH_CATEGORY[1],
        kind="event",
        deadline_amount=1,
        deadline_unit="days",
        photo_required=False,
        sort=99,
    )
    loaded = load_cases(args, rng, city, timezone.now())
    timings.update(loaded["timings"])
    return {"city": city, "per_community": loaded["per_community"], "boxes": loaded["boxes"], "timings": timings}


def build_smoke_city(url: str, setup) -> dict:
    """The smoke city for the ``--smoke`` of the benchmarks that measure a city this script built
    (list_pages.py, load.py): the sizes and seed of ``--smoke``, built by ``build`` into a fresh
    database at `url` (re-created, a copy of $BENCH_TEMPLATE_DB when set, dropped again at exit).
    `setup()` sets Django up on `url` with the caller's own settings (called once it exists)."""
    args = parse_args(["--smoke", "--database-url", url])
    benchdb.create_postgres(url)
    benchdb.drop_at_exit(url)
    setup()
    t0 = time.perf_counter()
    built = build(args, random.Random(args.seed))
    print(f"smoke city: {args.cases:,} cases in {args.communities} communities, {time.perf_counter() - t0:.1f} s")
    return built


def purge_benchmark_cases() -> int:
    """Delete the cases earlier runs created (API and bare view: reporter = the bench grid worker), with
    their events and photos (raw SQL: the app's events protect their case), so a reused database
    measures the data it was built with; the generated cases have no reporter. Their statistics
    buckets are logged for the rollups (the raw DELETE bypasses Case.save), so that a refresh of
    those buckets, not a rebuild of every rollup, brings the rollups back in line."""
    from django.db import connection, transaction

    from apps.cases.models import CaseRollupLog, rollup_month

    doomed = (
        "SELECT c.id FROM cases_case c JOIN accounts_user u ON u.id = c.reporter_id WHERE u.username = 'bench_grid'"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_doomed ON COMMIT DROP AS {doomed}")
        cursor.execute(
            "SELECT DISTINCT jurisdiction_id, created_at FROM cases_case WHERE id IN (SELECT id FROM bench_doomed)"
        )
        buckets = {(node, rollup_month(created)) for node, created in cursor.fetchall()}
        CaseRollupLog.objects.bulk_create([CaseRollupLog(jurisdiction_id=n, month=m) for n, m in sorted(buckets)])
        cursor.execute("DELETE FROM cases_casephoto WHERE case_id IN (SELECT id FROM bench_doomed)")
        cursor.execute("DELETE FROM cases_caseevent WHERE case_id IN (SELECT id FROM bench_doomed)")
        for column in ("recurrence_of_id", "merged_into_id"):
            cursor.execute(f"UPDATE cases_case SET {column} = NULL WHERE {column} IN (SELECT id FROM bench_doomed)")
        cursor.execute("DELETE FROM cases_case WHERE id IN (SELECT id FROM bench_doomed)")
        return cursor.rowcount


def django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def city_from_db() -> dict:
    """The built city read back from a reused database (lists in creation = id order, as build_city made them)."""
    from django.db.models import Count

    from apps.cases.models import Case
    from apps.organization.models import Jurisdiction, Unit

    def level(code):
        return list(Jurisdiction.objects.filter(level__code=code).order_by("id"))

    city = {
        "city": Jurisdiction.objects.get(depth=0),
        "districts": level("district"),
        "streets": level("street"),
        "communities": level("community"),
        "units": Unit.objects.count(),
    }
    per_community = Counter(dict(Case.objects.order_by().values_list("jurisdiction_id").annotate(n=Count("id"))))
    return {"city": city, "per_community": per_community, "boxes": community_boxes(city["communities"])}


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    url = args.database_url
    reused = finished_build(url, build_params(args)) if args.reuse_db else None
    if not reused:
        org_scale.create_postgres_database(url)
    print(f"database: {url} ({'reused' if reused else 'new'})", flush=True)
    vendor = "postgresql"
    api: dict = {"process": None}
    failures: list[str] = []
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection, connections
        from django.utils import timezone

        from apps.accounts.services import api_token_issue
        from apps.cases.models import Category

        if reused:
            call_command("migrate", verbosity=0, interactive=False)  # app migrations may have moved on
            stored = reused["timings"]
            timings = {k: float(v) for k, v in (stored.items() if isinstance(stored, dict) else stored)}
            purged = purge_benchmark_cases()
            t0 = time.perf_counter()
            from apps.cases.models import CaseRollup
            from apps.cases.rollups import rollups_refresh

            if CaseRollup.objects.exists():  # the buckets of the purged cases (purge_benchmark_cases logs them)
                rollups_refresh()
                timings["statistics rollups: refresh of the purged cases' buckets (reuse)"] = time.perf_counter() - t0
            else:  # a database built before the rollups existed
                rebuild_rollups()
                timings["statistics rollups: rebuild (reuse)"] = time.perf_counter() - t0
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE cases_case")
                cursor.execute("VACUUM ANALYZE cases_caserollup")
            print(f"removed {purged:,} cases created by an earlier run", flush=True)
            built = city_from_db()
            build_note = f"reused the database built at {reused['built_at']:%Y-%m-%d %H:%M %Z} (--reuse-db)"
        else:
            t0 = time.perf_counter()
            built = build(args, rng)
            timings = built["timings"]
            timings["total"] = time.perf_counter() - t0
            if args.reuse_db:
                record_build(build_params(args), timings)
            build_note = f"fresh, {timings['total']:.0f} s (seed {args.seed})"
        city = built["city"]
        print("build: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()), flush=True)
        now = timezone.now()
        summary = data_summary(now)
        consistency = check_consistency()
        print(f"loaded {summary['total']:,} cases: {summary['by_status']}; consistency {consistency}", flush=True)
        if any(consistency.values()):
            failures.append(f"consistency checks not all 0: {consistency}")

        picked = pick_users(city, built["per_community"])
        users = picked["users"]
        grid = users["grid"]
        api.update(
            {
                "token": api_token_issue(actor=None, owner=grid, name="bench")[1],
                "category_id": Category.objects.get(code=BENCH_CATEGORY[0]).pk,
                "box": built["boxes"][grid.jurisdiction_id],
            }
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            db_version = cursor.fetchone()[0].split(" on ")[0]
        month = last_full_month(timezone.localdate())
        load_before = os.getloadavg()
        results, details = run_page_benchmarks(args, users, month, api)
        sql_rows, bare, side = [], None, None
        if not args.no_baselines:
            sql_rows = cases_baselines.sql_baselines(args, users, month, get_ok)
            for row in sql_rows:
                print(
                    f"  baseline  {row['what'][:58]:<58} page {row['page']['median']:8.1f} ms  "
                    f"SQL {row['base']['median']:8.2f} ms  bare page {row['bare']['median']:8.2f} ms"
                    + (f"  computation {row['compute']['median']:8.2f} ms" if "compute" in row else ""),
                    flush=True,
                )
            bare = cases_baselines.bare_queries(args, api)
            print(f"  bare create in-process: {bare['median']:.1f} ms, q={bare['queries']}", flush=True)
        api_results = [] if args.no_api else run_api_throughput(args, api, grid)
        if not args.no_api and not args.no_baselines:
            side = run_side_by_side(args, api, grid)
        load_after = os.getloadavg()
        for r in api_results:
            if not r["verified"] or r["errors"] or r["warmup_errors"] or not r["created"]:
                failures.append(
                    f"API {r['setting']}: {r['errors'] + r['warmup_errors']} errors, {r['created']} 201s, "
                    f"created {r['db_created']} for {r['expected_created']}"
                )
        api_queries = next((r["queries"] for r in results if r["operation"].startswith("report a case")), "—")
        report = render_report(
            {
                "args": args,
                "city": city,
                "summary": summary,
                "consistency": consistency,
                "nodes_info": picked["info"],
                "users": users,
                "month": month,
                "db_version": db_version,
                "timings": timings,
                "build_note": build_note,
                "results": results,
                "details": details,
                "api": api_results,
                "load": (load_before, load_after),
                "baselines": cases_baselines.render_baselines(args, side, api_queries, bare, sql_rows),
            }
        )
        print()
        print(report)
        results_dir = Path(args.results_dir)
        results_dir.mkdir(parents=True, exist_ok=True)
        out = results_dir / f"cases_scale-{vendor}{('-' + args.label) if args.label else ''}.md"
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")
        connections.close_all()
    finally:
        stop_gunicorn(api.get("process"))
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # django may not be set up yet
            pass
        if args.keep_db or args.reuse_db:
            if args.reuse_db and django_ready():
                try:
                    print(f"removed the {purge_benchmark_cases():,} cases this run created", flush=True)
                except Exception as error:  # do not hide the run's own error
                    print(f"could not remove this run's cases: {str(error)[:300]}", flush=True)
            print(f"kept database {url}")
        else:
            drop_postgres_database(url)
        import shutil

        for directory in org_scale.TEMP_DIRS:
            shutil.rmtree(directory, ignore_errors=True)
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
