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

import math
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
        flag = _flag(entry.vetoed, composite, rank, red_flags, bottom)
        ranked.append(Ranked(entry, composite, rank, movement, flag))
    return ranked


def _flag(vetoed: bool, composite, rank: int, red_flags: int, bottom: set[int]) -> str:
    if vetoed:
        return "yellow"  # a veto is criticised whatever the score
    if composite is None:
        return ""
    if rank <= red_flags:
        return "red"
    return "yellow" if rank in bottom else ""


# The same in integers (rankings' hot path) -------------------------------------------------
#
# Every figure of a ranking (average, closure rate, composite) is a quotient of integers rounded
# to one decimal (ROUND_HALF_UP). The Decimal formulas compute it exactly or to 28 significant
# digits, and a quotient of such integers (sheets, cases, weights in hundredths) is either exactly
# on a rounding boundary — then the Decimal value is exact too — or much farther from it than
# that error: rounding the exact quotient in integers (tenths) gives the same digits, without a
# Decimal per target. rank_entries stays the reference (test_scoring compares both on random
# figures). The figures are never negative (percents, counts and weights ≥ 0).


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to an integer, halves away from zero (ROUND_HALF_UP); denominator > 0."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((denominator - 2 * numerator) // (2 * denominator))


def integer_weights(weights: dict[str, Decimal] = DEFAULT_WEIGHTS) -> tuple[int, int, int]:
    """(inspection, closure, recurrence) weights scaled to integers in the same proportions."""
    ratios = [weights[name].as_integer_ratio() for name in ("inspection", "closure", "recurrence")]
    scale = math.lcm(*(denominator for _numerator, denominator in ratios))
    inspection, closure, recurrence = (numerator * (scale // denominator) for numerator, denominator in ratios)
    return inspection, closure, recurrence


def composite_tenths(
    inspection: int | None, closure: int | None, cases: int, recurrences: int, weights: tuple[int, int, int]
) -> int | None:
    """`composite_of` in tenths: inspection and closure in tenths, `weights` from `integer_weights`.

    The recurrence component in tenths is 1000 × (cases − min(cases, recurrences)) / cases, so
    numerator and denominator are multiplied by `cases` to stay integers."""
    weight_inspection, weight_closure, weight_recurrence = weights
    total_weight = value = 0
    if inspection is not None:
        total_weight += weight_inspection
        value += weight_inspection * inspection
    if closure is not None:
        total_weight += weight_closure
        value += weight_closure * closure
    if cases:
        if not total_weight + weight_recurrence:
            return None
        kept = cases - min(cases, recurrences)
        return half_up(value * cases + weight_recurrence * 1000 * kept, (total_weight + weight_recurrence) * cases)
    if not total_weight:
        return None
    return half_up(value, total_weight)


def decimal_of_tenths(tenths: int | None) -> Decimal | None:
    """Tenths as the one-decimal Decimal the Decimal formulas give (86.5, 100.0, 0.0)."""
    return None if tenths is None else Decimal(tenths).scaleb(-1)


def _score_order(score: tuple) -> tuple:
    """(key, label, vetoed, composite, …): vetoed last, then no composite, composite descending, label."""
    composite = score[3]
    return (score[2], composite is None, -(composite or 0), score[1])


def rank_scores(
    scores: list[tuple],
    *,
    previous_ranks: dict[str, int] | None = None,
    red_flags: int = 1,
    yellow_flags: int = 0,
) -> list[tuple[tuple, int, int | None, str]]:
    """`rank_entries` of (key, label, vetoed, composite, …) tuples in listing order — the composite
    any number or None (`composite_tenths`) —: (score, rank, movement, flag) in rank order. The
    same order (a stable sort: ties of label keep the listing order), ranks and flags, without
    an Entry and a Ranked per target."""
    previous_ranks = previous_ranks or {}
    ordered = sorted(scores, key=_score_order)
    ranks = []
    rank, last = 0, None
    for position, score in enumerate(ordered, start=1):
        here = (score[2], score[3])
        if here != last or position == 1:
            rank, last = position, here
        ranks.append(rank)
    eligible = {rank for score, rank in zip(ordered, ranks, strict=True) if not score[2] and score[3] is not None}
    distinct_ranks = sorted(eligible)
    bottom = set(distinct_ranks[-yellow_flags:]) if yellow_flags and len(distinct_ranks) > 1 else set()
    ranked = []
    for score, rank in zip(ordered, ranks, strict=True):
        previous = previous_ranks.get(score[0])
        movement = previous - rank if previous is not None else None
        ranked.append((score, rank, movement, _flag(score[2], score[3], rank, red_flags, bottom)))
    return ranked
