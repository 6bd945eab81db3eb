"""Self-assessment and mock-assessment scores: pure arithmetic, kept apart from the queries.

Each item of a standard is assessed 达标 (met) / 基本达标 (partly) / 未达标 (unmet).

- **Score of a scored item** (计分项, with `points`), one decimal, bound by the result the way
  assessors mark a 计分项: 达标 is the full points (an entered score must be the full points:
  a partial score is 基本达标); 基本达标 lies strictly between 0 and the full points and must be
  entered (how much of the item is met is the assessor's judgement); 未达标 is 0 (an entered
  score must be 0: an item that earns anything is at least 基本达标). Items that are not scored
  (prerequisites, plain items) never carry a score.
- **Totals**: the score is the sum of the scores of the scored items (an unassessed scored item
  counts 0 until it is assessed); the maximum is the sum of the points of all scored items; the
  percent is score / maximum × 100 with one decimal (None without scored items).
- **Prerequisites** (必备条件) must all be 达标: one that is 基本达标 or 未达标 fails the
  campaign whatever the score ("failed"); while none failed but some are unassessed the status
  is "pending"; "met" when all are 达标 (or the standard has none).
- **Weakest items** (of a mock assessment): the failed prerequisites first, then the scored
  items by lost points (points − score) descending, then by their ratio score / points
  ascending, then the plain items that are not 达标; items fully met or not yet assessed are not
  listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import DomainError

ZERO = Decimal(0)
ONE_DECIMAL = Decimal("0.1")

MET, PARTLY, UNMET = "met", "partly", "unmet"
RESULTS = (MET, PARTLY, UNMET)
PREREQUISITE, SCORED, PLAIN = "prerequisite", "scored", "plain"

PREREQ_MET, PREREQ_FAILED, PREREQ_PENDING = "met", "failed", "pending"


class ScoreError(DomainError):
    default_message = _("得分不正确。")


@dataclass(frozen=True)
class Item:
    """What the arithmetic needs of a standard item."""

    id: int
    code: str
    kind: str
    points: Decimal | None = None

    @property
    def scored(self) -> bool:
        return self.kind == SCORED and bool(self.points)


@dataclass(frozen=True)
class Mark:
    """An item's result and score (None: not assessed yet)."""

    item: Item
    result: str | None = None
    score: Decimal | None = None

    @property
    def lost(self) -> Decimal:
        if not self.item.scored:
            return ZERO
        return self.item.points - (self.score or ZERO)

    @property
    def ratio(self) -> Decimal | None:
        if not self.item.scored:
            return None
        return (self.score or ZERO) / self.item.points


def resolve_score(item: Item, result: str, score: Decimal | None) -> Decimal | None:
    """The score to store for `result`: the entered one (checked against the result's bounds,
    module doc), or the result's default (达标: the full points; 未达标: 0)."""
    if result not in RESULTS:
        raise ScoreError(_("请选择自查结果。"))
    if not item.scored:
        if score is not None:
            raise ScoreError(_("该小项不计分，不能填写得分。"))
        return None
    if score is None:
        if result == MET:
            return item.points
        if result == UNMET:
            return ZERO
        raise ScoreError(_("“基本达标”请填写得分。"))
    try:
        score = Decimal(score).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise ScoreError() from None
    if score < ZERO or score > item.points:
        raise ScoreError(_("得分应在0到{points}分之间。").format(points=item.points))
    if result == MET and score != item.points:
        raise ScoreError(_("“达标”即得满分（{points}分）；部分得分请选“基本达标”。").format(points=item.points))
    if result == UNMET and score != ZERO:
        raise ScoreError(_("“未达标”得0分；有得分请选“基本达标”。"))
    if result == PARTLY and not ZERO < score < item.points:
        raise ScoreError(
            _("“基本达标”的得分应大于0且小于满分（{points}分）；满分请选“达标”，0分请选“未达标”。").format(
                points=item.points
            )
        )
    return score


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Totals:
    score: Decimal = ZERO
    max_score: Decimal = ZERO
    counts: dict[str, int] = field(default_factory=dict)  # met/partly/unmet/unassessed
    prerequisites: str = PREREQ_MET
    failed_prerequisites: list[str] = field(default_factory=list)  # item codes
    pending_prerequisites: list[str] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.score, self.max_score)

    @property
    def prerequisites_met(self) -> bool | None:
        """True when all are met, False when one failed, None while some are unassessed."""
        return {PREREQ_MET: True, PREREQ_FAILED: False}.get(self.prerequisites)

    @property
    def assessed(self) -> int:
        return sum(n for key, n in self.counts.items() if key != "unassessed")


def totals(marks: list[Mark]) -> Totals:
    """Score, maximum, counts by result and the prerequisites' status of `marks` (every item of
    the standard, assessed or not)."""
    out = Totals(counts=dict.fromkeys((*RESULTS, "unassessed"), 0))
    counts = Counter(mark.result or "unassessed" for mark in marks)
    out.counts.update(counts)
    for mark in marks:
        if mark.item.scored:
            out.max_score += mark.item.points
            if mark.result is not None:
                out.score += mark.score or ZERO
        if mark.item.kind == PREREQUISITE:
            if mark.result is None:
                out.pending_prerequisites.append(mark.item.code)
            elif mark.result != MET:
                out.failed_prerequisites.append(mark.item.code)
    if out.failed_prerequisites:
        out.prerequisites = PREREQ_FAILED
    elif out.pending_prerequisites:
        out.prerequisites = PREREQ_PENDING
    return out


def weakest(marks: list[Mark], limit: int | None = None) -> list[Mark]:
    """The items that lose most, in the order a campaign should work on them (see module doc)."""
    failed = [m for m in marks if m.item.kind == PREREQUISITE and m.result not in (None, MET)]
    scored = [m for m in marks if m.item.scored and m.result is not None and m.lost > 0]
    scored.sort(key=lambda m: (-m.lost, m.ratio, m.item.code))
    plain = [m for m in marks if m.item.kind == PLAIN and m.result not in (None, MET)]
    plain.sort(key=lambda m: (m.result != UNMET, m.item.code))
    ordered = failed + scored + plain
    return ordered[:limit] if limit is not None else ordered


def shortfall(comparator: str, threshold: Decimal | None, value: Decimal | None) -> Decimal | None:
    """How far `value` is from meeting `threshold` (0 when met; None when either is unknown)."""
    if value is None or threshold is None:
        return None
    if comparator == "gte":
        return max(threshold - value, ZERO)
    if comparator == "lte":
        return max(value - threshold, ZERO)
    return abs(value - threshold)
