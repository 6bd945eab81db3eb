"""Rollups: tables of totals kept from raw records, read instead of the records themselves.

Two kinds share what every rollup needs here (one refresh at a time, the "as of" time readers show):

- an app with its own rollup tables (apps/cases/rollups.py, sized for millions of cases: a change
  log appended in the record's own transaction, consumed by a periodic refresh);
- **record rollups** (the rest of this module), which an app declares in its `entries.py`
  (`rollups=[RecordRollup(...)]`) and which this module keeps for it: activities, pest-control
  operations, vector-survey counts … Each record says what it adds (`Contribution`: a day, the
  areas it counts in, a value per measure); a save or delete of a watched model appends a
  RollupDirty row in the same transaction (signals below); the refresh (a periodic task every
  minute, or inline before a read when few records changed) replaces those records'
  RollupEntry rows and recomputes the RollupTotal rows of the (node, day) pairs they touch.
  Figures of any subtree and period then sum RollupTotal rows of one node over the period's
  days: their number grows with the days and measures, never with the records.

A record counts once in every node whose subtree holds one of its areas (its owner, every area it
covered), the ancestors taken from the areas' materialised paths: a drive covering two
communities counts once in each and once in their street, as the apps' live figures count.

Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) must log their records with
`rollup_mark_dirty`; `manage.py rollups check` compares every record rollup with the raw records
and `--repair` rebuilds what differs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .evidence import node_id
from .models import RollupDirty, RollupEntry, RollupState, RollupTotal

logger = logging.getLogger(__name__)


@contextmanager
def rollup_refreshing(name: str):
    """Inside one transaction: the rollup's state row, locked, or None when another process
    is refreshing it right now (PostgreSQL: SKIP LOCKED; SQLite runs one writer anyway)."""
    RollupState.objects.get_or_create(name=name)
    with transaction.atomic():
        yield RollupState.objects.select_for_update(skip_locked=True).filter(name=name).first()


def rollup_mark(state: RollupState, **moments) -> None:
    """Record refreshed_at / rebuilt_at / checked_at (and mismatches) on a locked state row."""
    for name, value in moments.items():
        setattr(state, name, value)
    state.save(update_fields=list(moments))


def rollup_as_of(name: str):
    """When the rollup was last brought up to date (None: never)."""
    return RollupState.objects.filter(name=name).values_list("refreshed_at", flat=True).first()


# Record rollups ------------------------------------------------------------------------------

# A read applies the pending changes itself when there are at most this many (else the periodic
# refresh does, and the reader shows the "as of" time).
INLINE_LIMIT = 500
# Records recomputed per transaction of a refresh.
BATCH = 500
# Rows per query when filtering by a list of ids (SQLite's variable limit).
CHUNK = 500
ZERO = Decimal(0)


@dataclass(frozen=True)
class Contribution:
    """What one record adds: on `day`, in every area of `paths` (materialised jurisdiction paths:
    its owner and the areas it covered) and all their ancestors, `measures` (name -> number).
    Measures that are zero may be left out."""

    record_id: int
    day: date
    paths: tuple[str, ...]
    measures: dict[str, Any]


@dataclass(frozen=True)
class RecordRollup:
    """A record rollup an app declares (`rollups=[...]` in its entries).

    - `key`: its name ("activities"), also the RollupState row's name (prefixed "rollup:");
    - `contributions(record_ids)`: the current Contributions of those records (None: of every
      record) — nothing for a record that no longer counts (deleted, not held, …);
    - `watch`: model label -> function(instance) giving the record ids a saved or deleted
      instance of that model changes ("activities.Participation": lambda row: [row.activity_id]);
      a many-to-many through model may be named too ("activities.Activity_areas"): its
      add/remove/clear are followed through m2m_changed, which names the records itself;
    - `record_model`: the label of the records' model (the m2m side whose pk is the record id).
    """

    key: str
    record_model: str
    contributions: Callable[[list[int] | None], Iterable[Contribution]]
    watch: dict[str, Callable[[Any], Iterable[int]]] = field(default_factory=dict)

    @property
    def state_name(self) -> str:
        return f"rollup:{self.key}"


def record_rollups() -> dict[str, RecordRollup]:
    from .registry import registry

    return {rollup.key: rollup for rollup in registry.record_rollups()}


def _watchers() -> dict[str, list[tuple[str, Callable]]]:
    """model label -> [(rollup key, ids function)] (built once; the registry is fixed after start-up)."""
    global _WATCHERS
    if _WATCHERS is None:
        found: dict[str, list[tuple[str, Callable]]] = defaultdict(list)
        for rollup in record_rollups().values():
            found[rollup.record_model].append((rollup.key, lambda obj: [obj.pk]))
            for label, ids in rollup.watch.items():
                found[label].append((rollup.key, ids))
        _WATCHERS = dict(found)
    return _WATCHERS


_WATCHERS: dict[str, list[tuple[str, Callable]]] | None = None


def rollup_mark_dirty(key: str, record_ids: Iterable[int]) -> None:
    """Log records of rollup `key` whose contribution changed (in the caller's transaction)."""
    rows = [RollupDirty(source=key, record_id=pk) for pk in {int(pk) for pk in record_ids if pk is not None}]
    if rows:
        RollupDirty.objects.bulk_create(rows)


def _changed(sender, instance, **kwargs) -> None:
    label = sender._meta.label
    for key, ids in _watchers().get(label, ()):
        rollup_mark_dirty(key, ids(instance))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    watchers = _watchers().get(sender._meta.label) or ()
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    rollups = record_rollups()
    for key, _ids in watchers:
        rollup = rollups[key]
        if instance._meta.label == rollup.record_model:
            record_ids = [instance.pk]
        elif action == "pre_clear":
            # jurisdiction.activities.clear(): the records linked to this instance, before they go.
            record_field = next(
                f for f in sender._meta.fields if getattr(f.remote_field, "model", None) is model and f.is_relation
            )
            other_field = next(
                f
                for f in sender._meta.fields
                if f.is_relation and f.remote_field.model is type(instance) and f is not record_field
            )
            record_ids = sender.objects.filter(**{other_field.name: instance.pk}).values_list(
                record_field.attname, flat=True
            )
        else:
            record_ids = pk_set or ()
        rollup_mark_dirty(key, record_ids)


def connect_signals() -> None:
    """Log changes of every watched model (called once from CoreConfig.ready, after the apps'
    entries). Connected per model: a receiver for every model would turn every fast
    QuerySet.delete() of the project into a delete object by object."""
    for label in _watchers():
        model = django_apps.get_model(label)
        uid = f"core.rollups.{label}"
        if model._meta.auto_created:  # a many-to-many through table: add/remove/clear
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=uid)
        else:
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.saved")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.deleted")


def _node_ids(paths: Iterable[str]) -> set[int]:
    """Every jurisdiction of the paths, with all their ancestors, each once."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def _entry_rows(rollup: RecordRollup, record_ids: list[int] | None):
    """(record id, node id, day, measure, value) of every non-zero contribution, streamed."""
    for item in rollup.contributions(record_ids):
        nodes = _node_ids(item.paths)
        for measure, value in item.measures.items():
            value = Decimal(value or 0)
            if value:
                for node in nodes:
                    yield item.record_id, node, item.day, measure, value


def _entries(key: str, rows) -> list[RollupEntry]:
    return [
        RollupEntry(source=key, record_id=record, node_id=node, day=day, measure=measure, value=value)
        for record, node, day, measure, value in rows
    ]


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _pair_filters(pairs: set[tuple[int, date]], size: int = 2000):
    """Q filters selecting exactly these (node, day) pairs, each naming at most ~`size` nodes:
    (day = d1 AND node IN (…)) OR (day = d2 AND node IN (…)) …, on the (source, day, node) index."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for node, day in pairs:
        by_day[day].append(node)
    q, named = Q(), 0
    for day in sorted(by_day):
        for part in _chunks(sorted(by_day[day]), size):
            q |= Q(day=day, node_id__in=part)
            named += len(part)
            if named >= size:
                yield q
                q, named = Q(), 0
    if named:
        yield q


def _retotal(key: str, pairs: set[tuple[int, date]]) -> None:
    """Bring the RollupTotal rows of these (node, day) pairs in line with the entries: their sums
    and their stored totals read (one query each per chunk of pairs), then only the rows that
    differ deleted, updated or created."""
    want: dict[tuple[int, date, str], Decimal] = {}
    have: dict[tuple[int, date, str], RollupTotal] = {}
    for where in _pair_filters(pairs):
        sums = (
            RollupEntry.objects.filter(where, source=key)
            .values_list("node_id", "day", "measure")
            .annotate(total=Sum("value"))
            .order_by()
        )
        want.update(((n, d, m), total) for n, d, m, total in sums if total)
        have.update(
            ((row.node_id, row.day, row.measure), row)
            for row in RollupTotal.objects.filter(where, source=key).only("node_id", "day", "measure", "value")
        )
    gone = [row.pk for k, row in have.items() if k not in want]
    for part in _chunks(gone):
        RollupTotal.objects.filter(pk__in=part).delete()
    changed = []
    for k, row in have.items():
        if k in want and want[k] != row.value:
            row.value = want[k]
            changed.append(row)
    RollupTotal.objects.bulk_update(changed, ["value"], batch_size=CHUNK)
    RollupTotal.objects.bulk_create(
        (
            RollupTotal(source=key, node_id=n, day=d, measure=m, value=value)
            for (n, d, m), value in want.items()
            if (n, d, m) not in have
        ),
        batch_size=CHUNK,
    )


def _replace(rollup: RecordRollup, record_ids: list[int]) -> None:
    pairs: set[tuple[int, date]] = set()
    for part in _chunks(record_ids):
        old = RollupEntry.objects.filter(source=rollup.key, record_id__in=part)
        pairs.update(old.values_list("node_id", "day").distinct().order_by())
        old.delete()
    new = _entries(rollup.key, _entry_rows(rollup, record_ids))
    RollupEntry.objects.bulk_create(new, batch_size=CHUNK)
    pairs.update((entry.node_id, entry.day) for entry in new)
    _retotal(rollup.key, pairs)


def rollup_refresh(key: str, *, batches: int | None = None) -> int | None:
    """Recompute the logged records of record rollup `key`; None when another process is doing
    it right now. Returns the number of log rows consumed."""
    rollup = record_rollups()[key]
    consumed, done = 0, 0
    while batches is None or done < batches:
        with rollup_refreshing(rollup.state_name) as state:
            if state is None:
                return None if consumed == 0 else consumed
            read_at = timezone.now()
            logs = list(RollupDirty.objects.filter(source=key).order_by("id").values_list("id", "record_id")[:BATCH])
            _replace(rollup, sorted({record for _id, record in logs}))
            for part in _chunks([row[0] for row in logs]):
                RollupDirty.objects.filter(id__in=part).delete()
            rollup_mark(state, refreshed_at=read_at)
        consumed += len(logs)
        done += 1
        if len(logs) < BATCH:
            break
    return consumed


def rollups_refresh_all() -> dict[str, int | None]:
    """Refresh every record rollup (the periodic task)."""
    return {key: rollup_refresh(key) for key in record_rollups()}


def rollup_catch_up(key: str, limit: int | None = None) -> None:
    """Apply the pending changes of `key` now when there are few of them (and nobody else is)."""
    limit = INLINE_LIMIT if limit is None else limit
    pending = len(RollupDirty.objects.filter(source=key).values_list("id", flat=True)[: limit + 1])
    if 0 < pending <= limit:
        rollup_refresh(key, batches=1)


def rollup_rebuild(key: str) -> int:
    """Every entry and total of `key` anew from the raw records; returns the entries written."""
    rollup = record_rollups()[key]
    with rollup_refreshing(rollup.state_name) as state:
        if state is None:
            raise RuntimeError(f"a refresh of the {key} rollup is running; try again in a minute")
        read_at = timezone.now()
        # The log rows visible now are covered; a change not yet committed keeps its row.
        logged = list(RollupDirty.objects.filter(source=key).values_list("id", flat=True))
        RollupEntry.objects.filter(source=key).delete()
        RollupTotal.objects.filter(source=key).delete()
        sums: dict[tuple[int, date, str], Decimal] = defaultdict(Decimal)
        written, batch = 0, []
        for row in _entry_rows(rollup, None):
            batch.append(row)
            sums[row[1], row[2], row[3]] += row[4]
            if len(batch) >= 5000:
                RollupEntry.objects.bulk_create(_entries(key, batch), batch_size=CHUNK)
                written, batch = written + len(batch), []
        RollupEntry.objects.bulk_create(_entries(key, batch), batch_size=CHUNK)
        written += len(batch)
        RollupTotal.objects.bulk_create(
            (
                RollupTotal(source=key, node_id=node, day=day, measure=measure, value=value)
                for (node, day, measure), value in sums.items()
                if value
            ),
            batch_size=CHUNK,
        )
        for part in _chunks(logged):
            RollupDirty.objects.filter(id__in=part).delete()
        rollup_mark(state, refreshed_at=read_at, rebuilt_at=read_at)
    return written


def _sums(rows) -> dict[tuple[int, date, str], Decimal]:
    """(node, day, measure) -> the sum of the entry rows' values (zeros left out)."""
    sums: dict[tuple[int, date, str], Decimal] = defaultdict(Decimal)
    for _record, node, day, measure, value in rows:
        sums[node, day, measure] += value
    return {k: v for k, v in sums.items() if v}


def rollup_check(key: str, *, repair: bool = False) -> int:
    """Compare record rollup `key` (after applying its pending changes) with the raw records:
    the number of totals that differ (rebuilt when `repair`). Recorded on its state row."""
    rollup_refresh(key)
    expected = _sums(_entry_rows(record_rollups()[key], None))
    stored = {
        (node, day, measure): value
        for node, day, measure, value in RollupTotal.objects.filter(source=key).values_list(
            "node_id", "day", "measure", "value"
        )
    }
    mismatches = sum(1 for k in expected.keys() | stored.keys() if expected.get(k, ZERO) != stored.get(k, ZERO))
    if mismatches:
        logger.warning("rollup %s: %d totals differ from the raw records", key, mismatches)
        if repair:
            rollup_rebuild(key)
    RollupState.objects.update_or_create(
        name=record_rollups()[key].state_name, defaults={"checked_at": timezone.now(), "mismatches": mismatches}
    )
    return mismatches


def rollup_sums(
    key: str, node_ids: Iterable[int], start: date | None, end: date | None
) -> dict[int, dict[str, Decimal]]:
    """node id -> measure -> the sum over [start, end] (either open) of record rollup `key`, for
    each of `node_ids` (every record counted once per node); pending changes applied first when
    few. A node with nothing counted maps to an empty dict."""
    rollup_catch_up(key)
    nodes = [int(node) for node in node_ids]
    result: dict[int, dict[str, Decimal]] = {node: {} for node in nodes}
    for part in _chunks(nodes):
        rows = RollupTotal.objects.filter(source=key, node_id__in=part)
        if start:
            rows = rows.filter(day__gte=start)
        if end:
            rows = rows.filter(day__lte=end)
        for node, measure, total in rows.values_list("node_id", "measure").annotate(total=Sum("value")).order_by():
            result[node][measure] = _plain(total)
    return result


def _plain(value: Decimal) -> Decimal:
    """A stored sum without the column's trailing zeros (6.000 -> 6, 2.500 -> 2.5), as the apps'
    own aggregates of integer counts and quantities give it."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def rollup_node_sums(key: str, path: str, start: date | None, end: date | None) -> dict[str, Decimal]:
    """measure -> sum for the subtree at materialised `path` over [start, end]."""
    node = node_id(path)
    if not node:
        return {}
    return rollup_sums(key, [int(node)], start, end)[int(node)]


def record_rollup_as_of(key: str):
    return rollup_as_of(record_rollups()[key].state_name)


def record_rollups_behind():
    """None when every record rollup is up to date (nothing pending after the reads' catch-up);
    otherwise the oldest "as of" time of those with changes pending, which pages show."""
    behind = set(RollupDirty.objects.values_list("source", flat=True).distinct().order_by())
    moments = [rollup_as_of(rollup.state_name) for key, rollup in record_rollups().items() if key in behind]
    if not moments:
        return None
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else timezone.now()


def build_demo(demo) -> None:
    """The demo's records were written in bulk too: every record rollup once from them."""
    for key in record_rollups():
        rollup_rebuild(key)
