"""Scoring one inspection against a checklist: the arithmetic, free of the database.

An item has a maximum score and a deduction rule:
- ``fixed``: any finding deducts the item's deduction once;
- ``per_occurrence``: the deduction per finding, up to the item's cap (and never more
  than the item's maximum);
- ``pass_fail``: a failed item loses its whole maximum.
A ``veto`` item (一票否决) that loses points vetoes the whole result: the score is still
computed and shown, but the target cannot win an award and ranks after everyone else.
Scores use Decimal and one decimal place, as the paper score sheets do.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE_DECIMAL = Decimal("0.1")


class Rule:
    FIXED = "fixed"
    PER_OCCURRENCE = "per_occurrence"
    PASS_FAIL = "pass_fail"  # noqa: S105 - a rule name, not a password


@dataclass(frozen=True)
class ItemRule:
    code: str
    max_score: Decimal
    rule: str = Rule.PER_OCCURRENCE
    deduction: Decimal = ZERO
    cap: Decimal | None = None
    veto: bool = False


@dataclass(frozen=True)
class ItemResult:
    item: ItemRule
    occurrences: int = 0
    passed: bool = True


@dataclass
class InspectionScore:
    max_total: Decimal
    total: Decimal
    deductions: dict[str, Decimal] = field(default_factory=dict)
    vetoed_by: list[str] = field(default_factory=list)

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoed_by)

    @property
    def percent(self) -> Decimal:
        """The score on a 0–100 scale, so checklists of different sizes can be ranked together."""
        if not self.max_total:
            return ZERO
        return (self.total * 100 / self.max_total).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def item_deduction(result: ItemResult) -> Decimal:
    item = result.item
    if result.occurrences < 0:
        raise ValueError("occurrences cannot be negative")
    if item.rule == Rule.PASS_FAIL:
        lost = ZERO if result.passed else item.max_score
    elif item.rule == Rule.FIXED:
        lost = item.deduction if result.occurrences > 0 or not result.passed else ZERO
    elif item.rule == Rule.PER_OCCURRENCE:
        lost = item.deduction * result.occurrences
        if item.cap is not None:
            lost = min(lost, item.cap)
    else:
        raise ValueError(f"unknown rule {item.rule!r}")
    return min(lost, item.max_score)


def score_inspection(results: list[ItemResult]) -> InspectionScore:
    """Total = Σ max − Σ deductions (each item's deduction is bounded by its maximum)."""
    max_total = sum((r.item.max_score for r in results), ZERO)
    deductions = {r.item.code: item_deduction(r) for r in results}
    total = max_total - sum(deductions.values(), ZERO)
    vetoed_by = [r.item.code for r in results if r.item.veto and deductions[r.item.code] > 0]
    return InspectionScore(
        max_total=max_total,
        total=total.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP),
        deductions={code: lost for code, lost in deductions.items() if lost > 0},
        vetoed_by=vetoed_by,
    )
