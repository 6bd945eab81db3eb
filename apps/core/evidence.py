"""What an app offers the evidence ledger (台账) and the self-assessment, without being imported.

A domain app declares, in its own `entries.py`:

- `evidence_providers=[EvidenceSource(...)]`: a kind of record that can prove a standard item
  (closed cases with before/after photos, submitted inspection sheets, 通报, and later meetings,
  agreements, activities ...). The ledger links records to items by rules (source, category, tag,
  period, jurisdiction): it calls `records(query)` and stores what comes back as links, so the
  ledger never imports the app and the app never knows the ledger.
- `figures=[FigureSource(...)]`: a number the app computes for a jurisdiction and a period
  (按期结案率, the inspection average, later coverage rates, vector indices, 知晓率). A standard's
  measurable indicator names a figure key; the self-assessment fills the value from here and links
  to the page the figure comes from.

Both receive plain values (paths, dates, strings), never another app's objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class EvidenceQuery:
    """Which records a rule asks for: inside `jurisdiction_path` (a materialised path; the whole
    subtree), dated within [start, end] (either may be None), optionally narrowed by the source's
    own `category` and `tag` values (strings the source offers in `categories()`/`tags()`).

    Paging: the source skips `offset` records of its newest-first order, then gives at most
    `limit` (its own cap when None: a caller that must see every record pages with an explicit
    limit until a page comes back short). `object_ids` (when not empty) narrows to those records
    (a manual link looks its one record up directly, still inside the area and period); `search`
    narrows to records whose code or title contains it (the link picker's search box)."""

    jurisdiction_path: str
    start: date | None = None
    end: date | None = None
    category: str = ""
    tag: str = ""
    limit: int | None = None
    offset: int = 0
    object_ids: tuple[str, ...] = ()
    search: str = ""


@dataclass(frozen=True)
class EvidenceRecord:
    """One record offered as evidence. `object_id` is stable for the record (the ledger keeps one
    link per item and record); `url` is the record's page (scoped like any page of its app)."""

    object_id: str
    title: str
    occurred_on: date
    jurisdiction_path: str
    url: str = ""
    summary: str = ""


@dataclass(frozen=True)
class EvidenceFile:
    """A file that goes into the binder for a record: an original (a photo, an upload) opened by
    `open()` (a binary file object), or a generated one whose bytes `render()` returns."""

    name: str
    open: Callable[[], Any] | None = None
    render: Callable[[], bytes] | None = None

    def read(self) -> bytes:
        if self.render is not None:
            return self.render()
        assert self.open is not None
        with self.open() as handle:
            return handle.read()


@dataclass(frozen=True)
class EvidenceSource:
    """A kind of record an app offers the ledger.

    `records(query)` yields `EvidenceRecord`s, newest first (ties by id, so offsets page
    stably), within the query's jurisdiction and period, honouring `offset`/`limit`,
    `object_ids` and `search`; it must be a handful of queries however many records match (the
    ledger links tens of thousands, a page at a time). `files(object_ids)` gives, per object id,
    the files the binder packs for it (the generated .docx of a sheet, a case's before/after
    photos ...). `categories()` and
    `tags()` list the (value, label) pairs a rule may narrow by.
    """

    key: str
    label: Any
    records: Callable[[EvidenceQuery], Iterable[EvidenceRecord]]
    files: Callable[[list[str]], dict[str, list[EvidenceFile]]] = lambda object_ids: {}
    categories: Callable[[], list[tuple[str, Any]]] = lambda: []
    tags: Callable[[], list[tuple[str, Any]]] = lambda: []


@dataclass(frozen=True)
class FigureValue:
    """A computed figure: `value` (None when there is nothing to compute from, e.g. no case was
    due), its `numerator`/`denominator` when it is a rate, and the page it comes from."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class FigureSource:
    """A figure an app computes for a jurisdiction subtree and a period: `compute(path, start,
    end)` returns a `FigureValue`. `unit` is what the value is in ("%", "分", "个")."""

    key: str
    label: Any
    unit: str
    compute: Callable[[str, date | None, date | None], FigureValue]
    description: Any = ""
    extra: dict = field(default_factory=dict)
    # The totals page (数据汇总) shows a figure under its `group` heading, to users who may view
    # `permission` (a model label; empty: every signed-in staff role), in `order` within the group.
    group: Any = ""
    permission: str = ""
    order: int = 0


def sources() -> dict[str, EvidenceSource]:
    from .registry import registry

    return {source.key: source for source in registry.evidence_providers()}


def figures() -> dict[str, FigureSource]:
    from .registry import registry

    return {figure.key: figure for figure in registry.figures()}


def node_id(path: str) -> str:
    """The id of the jurisdiction a materialised path ends in ("1/7/42/" -> "42"; "" for none): a
    figure's link names its area with `?jurisdiction=<id>`."""
    parts = [part for part in path.strip("/").split("/") if part]
    return str(int(parts[-1])) if parts else ""


def int_ids(object_ids) -> list[int]:
    """The numeric ones of `object_ids` (a source whose ids are primary keys)."""
    return [int(pk) for pk in object_ids if str(pk).isdigit()]


def narrow(qs, query: EvidenceQuery, *, search_fields: tuple[str, ...] = ()):
    """`qs` narrowed by the query's `object_ids` and `search` (any of `search_fields` contains it)."""
    from django.db.models import Q

    if query.object_ids:
        qs = qs.filter(pk__in=int_ids(query.object_ids))
    words = query.search.strip()
    if words and search_fields:
        match = Q()
        for name in search_fields:
            match |= Q(**{f"{name}__icontains": words})
        qs = qs.filter(match)
    return qs


def window(rows, query: EvidenceQuery, cap: int):
    """The query's page of an ordered queryset: skip `offset`, take `limit` (`cap` when None)."""
    offset = max(query.offset, 0)
    return rows[offset : offset + (query.limit or cap)]


def in_working_language(function):
    """Run `function` in the deployment's working language (settings.LANGUAGE_CODE, read at call
    time), whatever language the request or worker is in. Documents made for the assessors
    (binders, generated records) are written in it on purpose: the same binder whoever builds it;
    their strings are translatable, so an English deployment gets English documents."""
    import functools

    from django.conf import settings
    from django.utils import translation

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
