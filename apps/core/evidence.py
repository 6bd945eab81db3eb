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
    own `category` and `tag` values (strings the source offers in `categories()`/`tags()`)."""

    jurisdiction_path: str
    start: date | None = None
    end: date | None = None
    category: str = ""
    tag: str = ""
    limit: int | None = None


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

    `records(query)` yields `EvidenceRecord`s, newest first, within the query's jurisdiction and
    period; it must be a handful of queries however many records match (the ledger links tens of
    thousands). `files(object_ids)` gives, per object id, the files the binder packs for it
    (the generated .docx of a sheet, a case's before/after photos ...). `categories()` and
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


def sources() -> dict[str, EvidenceSource]:
    from .registry import registry

    return {source.key: source for source in registry.evidence_providers()}


def figures() -> dict[str, FigureSource]:
    from .registry import registry

    return {figure.key: figure for figure in registry.figures()}
