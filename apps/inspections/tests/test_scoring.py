"""Score-sheet and ranking arithmetic with hand-computed expectations."""

from decimal import Decimal as D

import pytest

from apps.inspections.ranking import Entry, composite_score, rank_entries
from apps.inspections.scoring import ItemResult, ItemRule, Rule, item_deduction, score_inspection

FLOOR = ItemRule("floor", D(10), Rule.PER_OCCURRENCE, deduction=D(2), cap=D(6))
BINS = ItemRule("bins", D(5), Rule.FIXED, deduction=D(3))
LICENCE = ItemRule("licence", D(5), Rule.PASS_FAIL)
RATS = ItemRule("rats", D(20), Rule.PER_OCCURRENCE, deduction=D("2.5"), veto=True)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (ItemResult(FLOOR, occurrences=0), D(0)),
        (ItemResult(FLOOR, occurrences=2), D(4)),  # 2 × 2
        (ItemResult(FLOOR, occurrences=5), D(6)),  # 10 capped at 6
        (ItemResult(BINS, occurrences=4), D(3)),  # fixed: once
        (ItemResult(LICENCE, passed=False), D(5)),  # the whole item
        (ItemResult(LICENCE, passed=True), D(0)),
        (ItemResult(RATS, occurrences=9), D(20)),  # 22.5, never more than the item's maximum
    ],
)
def test_item_deductions(result, expected):
    assert item_deduction(result) == expected


def test_inspection_total_and_percent():
    score = score_inspection([ItemResult(FLOOR, 2), ItemResult(BINS, 1), ItemResult(LICENCE), ItemResult(RATS)])
    # max 10 + 5 + 5 + 20 = 40; lost 4 + 3 = 7; total 33; 33 / 40 = 82.5 %
    assert (score.max_total, score.total, score.percent) == (D(40), D(33), D("82.5"))
    assert score.deductions == {"floor": D(4), "bins": D(3)}
    assert not score.vetoed


def test_a_veto_item_losing_points_vetoes_the_result_but_keeps_the_score():
    score = score_inspection([ItemResult(FLOOR), ItemResult(RATS, occurrences=1)])
    # max 30, lost 2.5 -> 27.5 (91.7 %), vetoed by "rats"
    assert (score.total, score.percent, score.vetoed_by) == (D("27.5"), D("91.7"), ["rats"])


def test_composite_re_weights_missing_components():
    full = Entry("a", "甲", inspection=D(90), closure=D(80), cases=10, recurrences=2)
    # 0.6 × 90 + 0.3 × 80 + 0.1 × (100 − 20) = 54 + 24 + 8 = 86
    assert composite_score(full) == D(86)
    no_cases = Entry("b", "乙", inspection=D(90))
    assert composite_score(no_cases) == D(90)  # inspection alone
    many_recurrences = Entry("c", "丙", inspection=D(50), closure=D(100), cases=2, recurrences=5)
    # recurrence share capped at 100 -> component 0: 0.6 × 50 + 0.3 × 100 + 0 = 60
    assert composite_score(many_recurrences) == D(60)
    assert composite_score(Entry("d", "丁")) is None


def test_ranking_ties_vetoes_movement_and_flags():
    entries = [
        Entry("a", "东苑", inspection=D(92)),
        Entry("b", "西城", inspection=D(95)),  # the best score, but vetoed
        Entry("c", "南桥", inspection=D(88)),
        Entry("d", "北街", inspection=D(92)),  # ties with 东苑
        Entry("e", "新华", inspection=D(70)),
        Entry("f", "滨河"),  # no score this period
    ]
    entries[1] = Entry("b", "西城", inspection=D(95), vetoed=True)
    ranked = rank_entries(entries, previous_ranks={"a": 3, "c": 1, "e": 4}, red_flags=1, yellow_flags=1)
    table = [(r.entry.label, r.rank, r.composite, r.movement, r.flag) for r in ranked]
    assert table == [
        ("东苑", 1, D(92), 2, "red"),  # tie at 92 shares rank 1 (label order inside the tie)
        ("北街", 1, D(92), None, "red"),
        ("南桥", 3, D(88), -2, ""),  # competition ranking: 1, 1, 3
        ("新华", 4, D(70), 0, "yellow"),  # last of the eligible
        ("滨河", 5, None, None, ""),  # unscored, after the scored, no flag
        ("西城", 6, D(95), None, "yellow"),  # vetoed: last whatever the score
    ]


def test_an_appeal_that_restores_points_changes_the_order():
    before = rank_entries([Entry("a", "甲", inspection=D(80)), Entry("b", "乙", inspection=D(85))])
    assert [r.entry.key for r in before] == ["b", "a"]
    after = rank_entries(
        [Entry("a", "甲", inspection=D(90)), Entry("b", "乙", inspection=D(85))],
        previous_ranks={r.entry.key: r.rank for r in before},
    )
    assert [(r.entry.key, r.rank, r.movement) for r in after] == [("a", 1, 1), ("b", 2, -1)]
