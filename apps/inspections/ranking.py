"""Ranking targets per period from their scores, free of the database.

Composite score (weights are configuration and stored with each ranking):
    composite = Σ weight_i × component_i / Σ weight_i (over the components that exist)
with the components on a 0–100 scale:
- ``inspection``: the average inspection percent in the period;
- ``closure``: 按期结案率 of the target's cases (None when it had no case due);
- ``recurrence``: 100 − recurrence share (recurrences / cases × 100, capped at 100), so
  fewer recurrences score higher (None without cases).
A missing component drops out and the others are re-weighted, so a unit with no case
is judged on its inspections alone rather than punished or rewarded for it.

Order: composite descending; vetoed targets (一票否决) after all others whatever their
score. Equal composites share a rank (1, 1, 3: "competition ranking"); the listing
order inside a tie is by label. Movement = previous rank − rank (positive = moved up),
None for a target not ranked last period.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)
DEFAULT_WEIGHTS = {"inspection": Decimal("0.6"), "closure": Decimal("0.3"), "recurrence": Decimal("0.1")}


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    inspection: Decimal | None = None
    closure: Decimal | None = None
    cases: int = 0
    recurrences: int = 0
    vetoed: bool = False

    def components(self) -> dict[str, Decimal | None]:
        recurrence = None
        if self.cases:
            share = min(HUNDRED, Decimal(self.recurrences) * HUNDRED / Decimal(self.cases))
            recurrence = HUNDRED - share
        return {"inspection": self.inspection, "closure": self.closure, "recurrence": recurrence}


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    composite: Decimal | None
    rank: int
    movement: int | None
    flag: str = ""  # "red" (流动红旗), "yellow" (黄旗/末位) or ""


def composite_score(entry: Entry, weights: dict[str, Decimal] = DEFAULT_WEIGHTS) -> Decimal | None:
    parts = [(weights[name], value) for name, value in entry.components().items() if value is not None]
    total_weight = sum((w for w, _v in parts), Decimal(0))
    if not total_weight:
        return None
    value = sum((w * v for w, v in parts), Decimal(0)) / total_weight
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def rank_entries(
    entries: list[Entry],
    *,
    weights: dict[str, Decimal] = DEFAULT_WEIGHTS,
    previous_ranks: dict[str, int] | None = None,
    red_flags: int = 1,
    yellow_flags: int = 0,
) -> list[Ranked]:
    """Rank, then award: the red flag to rank ≤ red_flags (never to a vetoed target), the
    yellow flag to the last `yellow_flags` ranks of the non-vetoed plus every vetoed target."""
    previous_ranks = previous_ranks or {}
    scored = [(entry, composite_score(entry, weights)) for entry in entries]

    def order(item):
        entry, composite = item
        return (entry.vetoed, composite is None, -(composite or 0), entry.label)

    scored.sort(key=order)
    ranked: list[Ranked] = []
    for position, (entry, composite) in enumerate(scored, start=1):
        previous = ranked[-1] if ranked else None
        same = previous and previous.entry.vetoed == entry.vetoed and previous.composite == composite
        rank = previous.rank if same else position
        movement = previous_ranks[entry.key] - rank if entry.key in previous_ranks else None
        ranked.append(Ranked(entry, composite, rank, movement))
    eligible = [r for r in ranked if not r.entry.vetoed and r.composite is not None]
    distinct_ranks = sorted({r.rank for r in eligible})
    bottom = set(distinct_ranks[-yellow_flags:]) if yellow_flags and len(distinct_ranks) > 1 else set()
    return [Ranked(r.entry, r.composite, r.rank, r.movement, _flag(r, red_flags, bottom)) for r in ranked]


def _flag(r: Ranked, red_flags: int, bottom: set[int]) -> str:
    if r.entry.vetoed:
        return "yellow"  # a veto is criticised whatever the score
    if r.composite is None:
        return ""
    if r.rank <= red_flags:
        return "red"
    return "yellow" if r.rank in bottom else ""
