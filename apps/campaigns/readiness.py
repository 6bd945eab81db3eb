"""Readiness of the ledger (台账完备率): pure arithmetic, kept apart from the queries that feed it.

An item is ready when each of its evidence requirements has at least `min_count` active pieces
filed against it; an item without requirements is ready with at least one piece of any kind.
Pieces filed against no requirement count for the item's total only. A section's (and the
campaign's) readiness is its ready items over its items, as a percentage with one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Requirement:
    id: int
    name: str
    min_count: int = 1


@dataclass(frozen=True)
class Missing:
    requirement_id: int | None
    name: str
    needed: int
    have: int

    @property
    def short(self) -> int:
        return self.needed - self.have


@dataclass(frozen=True)
class ItemReadiness:
    item_id: int
    ready: bool
    total: int
    missing: tuple[Missing, ...] = ()


@dataclass
class Share:
    """`ready` of `total` items."""

    ready: int = 0
    total: int = 0
    key: object = None
    label: str = ""
    items: list[ItemReadiness] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.ready, self.total)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def item_readiness(item_id: int, requirements: list[Requirement], counts: dict[int | None, int]) -> ItemReadiness:
    """`counts` maps a requirement id (None: filed against no requirement) to active pieces."""
    total = sum(counts.values())
    if not requirements:
        missing = () if total >= 1 else (Missing(None, "", 1, 0),)
        return ItemReadiness(item_id, not missing, total, missing)
    missing = tuple(
        Missing(req.id, req.name, req.min_count, counts.get(req.id, 0))
        for req in requirements
        if counts.get(req.id, 0) < req.min_count
    )
    return ItemReadiness(item_id, not missing, total, missing)


def share(items: list[ItemReadiness], key=None, label: str = "") -> Share:
    return Share(ready=sum(1 for item in items if item.ready), total=len(items), key=key, label=label, items=items)
