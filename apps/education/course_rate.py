"""开课率 as pure arithmetic (no database): the selector (selectors/activities.py) feeds it the
sessions planned and held per (kind, month).

开课率 of a period (a month, a quarter, the year) = counted ÷ planned, where per kind
counted = min(held, planned) over the whole period: an extra lecture never hides a missing
training class, so the rate never exceeds 100 %; what was held beyond the plan is shown
separately as 超额 (surplus, also counting kinds with no target). Sessions held early or late
inside the period count for it (a quarter's plan is met by the quarter's sessions). A period
with nothing planned has no rate (None: "未制定计划"), never 0 % or a division by zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Counts = Mapping[tuple[str, int], int]  # (kind, month) → sessions


@dataclass(frozen=True)
class Rate:
    planned: int
    held: int  # every session held in the period, planned kinds or not
    counted: int  # Σ per kind min(held, planned)
    surplus: int  # Σ per kind max(held − planned, 0): 超额

    @property
    def percent(self) -> Decimal:
        """One decimal, half up: 7 of 9 → 77.8."""
        value = Decimal(self.counted * 100) / Decimal(self.planned)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def missing(self) -> int:
        return self.planned - self.counted


def quarter_months(quarter: int) -> range:
    if not 1 <= quarter <= 4:
        raise ValueError(quarter)
    return range(3 * quarter - 2, 3 * quarter + 1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _by_kind(counts: Counts, months: set[int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (kind, month), n in counts.items():
        if month in months and n:
            totals[kind] = totals.get(kind, 0) + int(n)
    return totals


def period_rate(planned: Counts, held: Counts, months: Iterable[int]) -> Rate | None:
    """The rate over `months` (one, three or twelve of them); None when nothing was planned."""
    months = set(months)
    plan, done = _by_kind(planned, months), _by_kind(held, months)
    total = sum(plan.values())
    if total <= 0:
        return None
    counted = sum(min(done.get(kind, 0), n) for kind, n in plan.items())
    surplus = sum(max(n - plan.get(kind, 0), 0) for kind, n in done.items())
    return Rate(planned=total, held=sum(done.values()), counted=counted, surplus=surplus)


def year_table(planned: Counts, held: Counts) -> dict:
    """Every period of one year: {"months": [(m, Rate|None)…12], "quarters": [(q, Rate|None)…4],
    "year": Rate|None}."""
    return {
        "months": [(m, period_rate(planned, held, [m])) for m in range(1, 13)],
        "quarters": [(q, period_rate(planned, held, quarter_months(q))) for q in range(1, 5)],
        "year": period_rate(planned, held, range(1, 13)),
    }


# A subtree with several plans -------------------------------------------------------------------

PathCounts = Mapping[tuple[str, str, int], int]  # (jurisdiction path, kind, month) → sessions


def _owner(path: str, plan_paths: list[str]) -> str | None:
    """The deepest plan whose jurisdiction contains `path` (plan_paths longest first)."""
    return next((p for p in plan_paths if path.startswith(p)), None)


def subtree_rate(plans: Mapping[str, Counts], held: PathCounts, months: Iterable[int]) -> Rate | None:
    """The rate of a subtree holding several plans ({plan path: its targets}): each activity counts
    for the deepest plan covering it, each plan by `period_rate`, and the plans' counts add up; so
    a community's extra lectures never hide another community's missing ones. Sessions no plan
    covers are surplus. None when nothing was planned."""
    months = list(months)
    paths = sorted(plans, key=len, reverse=True)
    assigned: dict[str, dict[tuple[str, int], int]] = {p: {} for p in paths}
    unowned: dict[tuple[str, int], int] = {}
    for (path, kind, month), n in held.items():
        owner = _owner(path, paths)
        bucket = assigned[owner] if owner is not None else unowned
        bucket[(kind, month)] = bucket.get((kind, month), 0) + n
    rates = [r for p in paths if (r := period_rate(plans[p], assigned[p], months)) is not None]
    if not rates:
        return None
    extra = sum(_by_kind(unowned, set(months)).values())
    return Rate(
        planned=sum(r.planned for r in rates),
        held=sum(r.held for r in rates) + extra,
        counted=sum(r.counted for r in rates),
        surplus=sum(r.surplus for r in rates) + extra,
    )


def subtree_year_table(plans: Mapping[str, Counts], held: PathCounts) -> dict:
    return {
        "months": [(m, subtree_rate(plans, held, [m])) for m in range(1, 13)],
        "quarters": [(q, subtree_rate(plans, held, quarter_months(q))) for q in range(1, 5)],
        "year": subtree_rate(plans, held, range(1, 13)),
    }
