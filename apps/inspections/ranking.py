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
ZERO = Decimal(0)
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


def composite_of(
    inspection: Decimal | None,
    closure: Decimal | None,
    cases: int,
    recurrences: int,
    weights: dict[str, Decimal] = DEFAULT_WEIGHTS,
) -> Decimal | None:
    """`composite_score` of the figures themselves (no Entry): the same Decimal operations in the
    same order (so the same result to the last digit), without a dict and generators per target."""
    total_weight = value = ZERO
    if inspection is not None:
        weight = weights["inspection"]
        total_weight += weight
        value += weight * inspection
    if closure is not None:
        weight = weights["closure"]
        total_weight += weight
        value += weight * closure
    if cases:
        weight = weights["recurrence"]
        total_weight += weight
        value += weight * (HUNDRED - min(HUNDRED, Decimal(recurrences) * HUNDRED / Decimal(cases)))
    if not total_weight:
        return None
    return (value / total_weight).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def composite_score(entry: Entry, weights: dict[str, Decimal] = DEFAULT_WEIGHTS) -> Decimal | None:
    return composite_of(entry.inspection, entry.closure, entry.cases, entry.recurrences, weights)


def _order(item: tuple) -> tuple:
    """Vetoed last, then no composite, then composite descending, then label."""
    entry, composite = item
    return (entry.vetoed, composite is None, -(composite or 0), entry.label)


def _ranks(scored: list[tuple[Entry, Decimal | None]]) -> list[int]:
    """Competition ranks of `scored`, already in order: equal (vetoed, composite) share a rank."""
    ranks = []
    rank, last = 0, None
    for position, (entry, composite) in enumerate(scored, start=1):
        here = (entry.vetoed, composite)
        if here != last or position == 1:
            rank, last = position, here
        ranks.append(rank)
    return ranks


def _score_order(item: tuple) -> tuple:
    _key, label, vetoed, composite = item
    return (vetoed, composite is None, -(composite or 0), label)


def ranks_of_scores(scores: list[tuple[str, str, bool, Decimal | None]]) -> dict[str, int]:
    """key -> rank of (key, label, vetoed, composite) in listing order: `rank_entries`' order and
    ranks (a stable sort, so ties of label keep the listing order) without Entry or Ranked objects."""
    ranks = {}
    rank, last = 0, None
    for position, (key, _label, vetoed, composite) in enumerate(sorted(scores, key=_score_order), start=1):
        here = (vetoed, composite)
        if here != last or position == 1:
            rank, last = position, here
        ranks[key] = rank
    return ranks


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
    scored.sort(key=_order)
    ranks = _ranks(scored)
    eligible = (
        rank
        for (entry, composite), rank in zip(scored, ranks, strict=True)
        if not entry.vetoed and composite is not None
    )
    distinct_ranks = sorted(set(eligible))
    bottom = set(distinct_ranks[-yellow_flags:]) if yellow_flags and len(distinct_ranks) > 1 else set()
    ranked = []
    for (entry, composite), rank in zip(scored, ranks, strict=True):
        previous = previous_ranks.get(entry.key)
        movement = previous - rank if previous is not None else None
        ranked.append(Ranked(entry, composite, rank, movement, _flag(entry, composite, rank, red_flags, bottom)))
    return ranked


def _flag(entry: Entry, composite: Decimal | None, rank: int, red_flags: int, bottom: set[int]) -> str:
    if entry.vetoed:
        return "yellow"  # a veto is criticised whatever the score
    if composite is None:
        return ""
    if rank <= red_flags:
        return "red"
    return "yellow" if rank in bottom else ""
