"""Case rollups: per jurisdiction and local month, the totals of apps/cases/statistics.py.

Rows (`CaseRollup`) hold the cases placed *directly* on a jurisdiction, created in one month,
in five dimensions: all, category, unit, day and deadline. A subtree's figures are the sum over the
rows of its nodes (joined on the materialised path), so a node's move never invalidates them
and the number of rows read grows with the jurisdictions and months, never with the cases.

Every change of a case appends its (jurisdiction, month) to `CaseRollupLog` in the case's own
transaction (`Case.save` → `Case.log_rollup_change`): an insert-only log, so concurrent
reports never wait on each other. `rollups_refresh` (the beat task, every minute) recomputes
exactly the logged buckets from the raw cases and deletes the log rows it read; a change whose
transaction had not committed when the refresh read the log keeps its log row for the next
refresh, so nothing is lost. `rollups_rebuild` recomputes everything and `rollups_check`
compares the rows with the raw records (manage.py cases_rollups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, DateTimeField, DurationField, F, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from apps.core.rollups import rollup_mark, rollup_refreshing
from apps.worktime.periods import local_midnight

from .choices import CaseStatus
from .models import Case, CaseRollup, CaseRollupLog

NAME = "cases"
# The figures a rollup row holds (everything of statistics.COUNT_FIELDS but `due`).
ROLLUP_COUNTS = (
    "reported",
    "registered",
    "dispatched",
    "handled_on_time",
    "closed",
    "closed_on_time",
    "returned_for_rework",
    "recurrences",
)
NODES_PER_QUERY = 500
LOG_BATCH = 5000


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def case_counts() -> dict:
    """Every figure of apps/cases/statistics.py but 应结案数 (which depends on the moment of
    reading), as aggregates over raw cases: the definitions of that module's docstring."""
    return {
        "reported": Count("id"),
        "registered": Count("id", filter=Q(registered_at__isnull=False)),
        "dispatched": Count("id", filter=Q(dispatched_at__isnull=False)),
        "handled_on_time": Count("id", filter=Q(handled_on_time=True, dispatched_at__isnull=False)),
        "closed": Count("id", filter=Q(status=CaseStatus.CLOSED)),
        "closed_on_time": Count("id", filter=Q(status=CaseStatus.CLOSED, closed_on_time=True)),
        "returned_for_rework": Count("id", filter=Q(rework_count__gt=0, dispatched_at__isnull=False)),
        "recurrences": Count("id", filter=Q(is_recurrence=True)),
        "close_time": Sum(
            F("closed_at") - F("created_at"),
            output_field=DurationField(),
            filter=Q(status=CaseStatus.CLOSED, closed_at__isnull=False),
        ),
    }


def _compute(month: date, nodes: list[int]) -> list[CaseRollup]:
    """The rollup rows of `nodes` for `month`, from the raw cases (two grouped queries)."""
    day = Trunc("created_at", "day", output_field=DateTimeField(), tzinfo=timezone.get_current_timezone())
    cases = Case.objects.filter(
        jurisdiction_id__in=nodes,
        created_at__gte=local_midnight(month),
        created_at__lt=local_midnight(next_month(month)),
    )
    grouped = (
        cases.annotate(day=day)
        .values("jurisdiction_id", "category_id", "assignee_unit_id", "day")
        .annotate(**case_counts())
        .order_by()
    )
    rows: dict[tuple, CaseRollup] = {}

    def add(node: int, dimension: str, key: int, values: dict) -> None:
        row = rows.get((node, dimension, key))
        if row is None:
            row = rows[(node, dimension, key)] = CaseRollup(node_id=node, month=month, dimension=dimension, key=key)
        for name in ROLLUP_COUNTS:
            setattr(row, name, getattr(row, name) + (values[name] or 0))
        close_time = values["close_time"]
        if close_time:
            row.close_seconds += close_time.total_seconds()

    for values in grouped:
        node = values["jurisdiction_id"]
        moment = values["day"]
        day_of_month = (timezone.localtime(moment) if timezone.is_aware(moment) else moment).day
        add(node, "all", 0, values)
        add(node, "category", values["category_id"], values)
        add(node, "unit", values["assignee_unit_id"] or 0, values)
        add(node, "day", day_of_month, values)
    # "deadline": the unclosed cases with a deadline, per local day of that deadline (key: the
    # day's ordinal), counted in `reported`; 应结案数 of a moment is then the closed cases plus
    # these rows before its day (statistics._due_contributions), without reading the cases.
    deadline_day = Trunc("deadline_at", "day", output_field=DateTimeField(), tzinfo=timezone.get_current_timezone())
    unclosed = cases.exclude(status=CaseStatus.CLOSED).filter(deadline_at__isnull=False)
    for values in unclosed.annotate(d=deadline_day).values("jurisdiction_id", "d").annotate(n=Count("id")).order_by():
        moment = values["d"]
        ordinal = (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date().toordinal()
        row = CaseRollup(node_id=values["jurisdiction_id"], month=month, dimension="deadline", key=ordinal)
        row.reported = values["n"]
        rows[(row.node_id, "deadline", ordinal)] = row
    return list(rows.values())


def _recompute(buckets: Iterable[tuple[int, date]]) -> int:
    """Replace the rows of each (jurisdiction, month) by their value from the raw cases."""
    by_month: dict[date, set[int]] = defaultdict(set)
    for node, month in buckets:
        by_month[month].add(node)
    written = 0
    for month, nodes in sorted(by_month.items()):
        ordered = sorted(nodes)
        for start in range(0, len(ordered), NODES_PER_QUERY):
            chunk = ordered[start : start + NODES_PER_QUERY]
            fresh = _compute(month, chunk)
            CaseRollup.objects.filter(month=month, node_id__in=chunk).delete()
            CaseRollup.objects.bulk_create(fresh, batch_size=1000)
            written += len(fresh)
    return written


def rollups_refresh(*, batches: int | None = None) -> int | None:
    """Recompute the logged buckets; None when another process is refreshing right now.

    Returns the number of log rows consumed. The "as of" time is when the log was read.
    """
    consumed, done = 0, 0
    while batches is None or done < batches:
        with rollup_refreshing(NAME) as state:
            if state is None:
                return None if consumed == 0 else consumed
            read_at = timezone.now()
            logs = list(CaseRollupLog.objects.order_by("id").values_list("id", "jurisdiction_id", "month")[:LOG_BATCH])
            _recompute({(node, month) for _id, node, month in logs})
            CaseRollupLog.objects.filter(id__in=[row[0] for row in logs]).delete()
            rollup_mark(state, refreshed_at=read_at)
        consumed += len(logs)
        done += 1
        if len(logs) < LOG_BATCH:
            break
    return consumed


def _all_buckets() -> set[tuple[int, date]]:
    """Every (jurisdiction, month) holding cases (one grouped query)."""
    month_start = Trunc("created_at", "month", output_field=DateTimeField(), tzinfo=timezone.get_current_timezone())
    pairs = Case.objects.annotate(m=month_start).values_list("jurisdiction_id", "m").distinct().order_by()
    return {
        (node, timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date())
        for node, moment in pairs
    }


def rollups_rebuild() -> int:
    """Every rollup row anew from the raw cases; returns the number of rows written."""
    with rollup_refreshing(NAME) as state:
        # Waits for a running refresh rather than skipping: a rebuild is asked for by a person.
        if state is None:
            raise RuntimeError("a refresh of the case rollups is running; try again in a minute")
        read_at = timezone.now()
        # The log rows visible now are covered by this rebuild; a change not yet committed keeps its
        # row (invisible to this delete) for the next refresh.
        CaseRollupLog.objects.all().delete()
        CaseRollup.objects.all().delete()
        written = _recompute(_all_buckets())
        rollup_mark(state, refreshed_at=read_at, rebuilt_at=read_at)
    return written


def rollups_check(*, since: date | None = None) -> list[str]:
    """Differences between the rollup rows and the raw cases (buckets of months from `since`).

    Buckets with pending log rows are skipped (they are about to be recomputed). The result
    is recorded on the rollup's state (checked_at, mismatches).
    """
    pending = set(CaseRollupLog.objects.values_list("jurisdiction_id", "month"))
    buckets = {b for b in _all_buckets() if (since is None or b[1] >= since) and b not in pending}
    stored = CaseRollup.objects.all()
    if since is not None:
        stored = stored.filter(month__gte=since)
    stored_rows = {(r.node_id, r.month, r.dimension, r.key): r for r in stored if (r.node_id, r.month) not in pending}
    problems = []
    for month in sorted({m for _n, m in buckets}):
        nodes = sorted(n for n, m in buckets if m == month)
        for start in range(0, len(nodes), NODES_PER_QUERY):
            for row in _compute(month, nodes[start : start + NODES_PER_QUERY]):
                key = (row.node_id, row.month, row.dimension, row.key)
                have = stored_rows.pop(key, None)
                if (
                    have is None
                    or any(getattr(have, n) != getattr(row, n) for n in ROLLUP_COUNTS)
                    or (abs(have.close_seconds - row.close_seconds) > 1)
                ):
                    problems.append(f"{key}: stored {_figures(have)} != raw {_figures(row)}")
    problems += [f"{key}: stored {_figures(row)} but no such cases" for key, row in stored_rows.items()]
    with rollup_refreshing(NAME) as state:
        if state is not None:
            rollup_mark(state, checked_at=timezone.now(), mismatches=len(problems))
    return problems


def _figures(row: CaseRollup | None) -> str:
    return "-" if row is None else ",".join(str(getattr(row, n)) for n in ROLLUP_COUNTS)


def rollup_sums() -> dict:
    """Sum() of every rollup figure, for a values() query over CaseRollup."""
    return {name: Sum(name) for name in (*ROLLUP_COUNTS, "close_seconds")}


def rollup_dimension(dimension: str, months: list[date]):
    """The rollup rows of one dimension over whole `months`."""
    return CaseRollup.objects.filter(dimension=dimension, month__in=months)


# At most this many pending changes are applied by a reader itself before it reads (a small
# office sees its own report at once); more are left to the every-minute refresh, and the
# reader shows the rollups' "as of" time.
INLINE_LIMIT = 500


def rollups_catch_up(limit: int = INLINE_LIMIT) -> None:
    """Apply the pending changes now when there are few of them (and nobody else is)."""
    pending = len(CaseRollupLog.objects.values_list("id", flat=True)[: limit + 1])
    if 0 < pending <= limit:
        rollups_refresh(batches=1)
