"""Rollups: tables of totals kept from raw records, read instead of the records themselves.

An app keeps its rollup rows itself (e.g. apps/cases/rollups.py: a change log appended in the
record's own transaction, consumed by a periodic refresh) and uses this module for what every
rollup shares: one refresh at a time, and the "as of" time its readers show.
"""

from contextlib import contextmanager

from django.db import transaction

from .models import RollupState


@contextmanager
def rollup_refreshing(name: str):
    """Inside one transaction: the rollup's state row, locked, or None when another process
    is refreshing it right now (PostgreSQL: SKIP LOCKED; SQLite runs one writer anyway)."""
    RollupState.objects.get_or_create(name=name)
    with transaction.atomic():
        yield RollupState.objects.select_for_update(skip_locked=True).filter(name=name).first()


def rollup_mark(state: RollupState, **moments) -> None:
    """Record refreshed_at / rebuilt_at / checked_at (and mismatches) on a locked state row."""
    for field, value in moments.items():
        setattr(state, field, value)
    state.save(update_fields=list(moments))


def rollup_as_of(name: str):
    """When the rollup was last brought up to date (None: never)."""
    return RollupState.objects.filter(name=name).values_list("refreshed_at", flat=True).first()
