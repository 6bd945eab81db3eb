"""Score-sheet and ranking arithmetic with hand-computed expectations."""

import random
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest

from apps.inspections.ranking import (
    DEFAULT_WEIGHTS,
    Entry,
    composite_of,
    composite_score,
    composite_tenths,
    decimal_of_tenths,
    half_up,
    integer_weights,
    rank_entries,
    rank_scores,
)
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


# The integer hot path (rankings) against the Decimal formulas --------------------------------

TENTH = D("0.1")


def _decimal_figures(tenths_sum, sheets, closed_on_time, due):
    """Average and closure rate as rankings computed them in Decimal (one decimal, half up)."""
    average = (D(tenths_sum).scaleb(-1) / sheets).quantize(TENTH, rounding=ROUND_HALF_UP)
    closure = (D(closed_on_time) * 100 / due).quantize(TENTH, rounding=ROUND_HALF_UP) if due else None
    return average, closure


def _random_weights(rng):
    """Scheme weights (two decimals, 0–9.99): often the defaults, sometimes zeros or all zero."""
    if rng.random() < 0.3:
        return dict(DEFAULT_WEIGHTS)
    pick = lambda: D(rng.choice([0, 0, 1, 5, 10, 25, 30, 33, 50, 60, 67, 100, 999, rng.randint(0, 999)])) / 100  # noqa: E731
    return {"inspection": pick(), "closure": pick(), "recurrence": pick()}


def _random_figures(rng):
    """Sheets, percent sums in tenths, cases: small counts, so that halves (x.x5) come up often."""
    sheets = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 40, rng.randint(1, 3000)])
    tenths_sum = rng.randint(600 * sheets, 1000 * sheets) if rng.random() < 0.8 else rng.randint(0, 1000 * sheets)
    cases = rng.choice([0, 0, 1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 40, rng.randint(0, 5000)])
    recurrences = rng.randint(0, cases + 2) if cases and rng.random() < 0.7 else 0  # capped at 100 %
    due = rng.randint(0, cases)
    closed_on_time = rng.randint(0, due)
    return tenths_sum, sheets, closed_on_time, due, cases, recurrences


def test_integer_figures_and_composite_round_like_the_decimal_formulas():
    rng = random.Random(20261201)
    for _ in range(60_000):
        weights = _random_weights(rng)
        tenths_sum, sheets, closed_on_time, due, cases, recurrences = _random_figures(rng)
        average, closure = _decimal_figures(tenths_sum, sheets, closed_on_time, due)
        average_tenths = half_up(tenths_sum, sheets)
        closure_tenths = half_up(1000 * closed_on_time, due) if due else None
        assert str(decimal_of_tenths(average_tenths)) == str(average), (tenths_sum, sheets)
        assert str(decimal_of_tenths(closure_tenths)) == str(closure), (closed_on_time, due)
        if rng.random() < 0.1:  # no inspection component (composite_of allows it)
            average = average_tenths = None
        expected = composite_of(average, closure, cases, recurrences, weights)
        got = composite_tenths(average_tenths, closure_tenths, cases, recurrences, integer_weights(weights))
        assert str(decimal_of_tenths(got)) == str(expected), (average, closure, cases, recurrences, weights)


@pytest.mark.parametrize(
    ("figures", "weights", "expected"),
    [
        # 0.6 × 80.5 + 0.3 × 90 + 0.1 × 100 (8 cases, no recurrence): 48.3 + 27 + 10 = 85.3
        ((805, 900, 8, 0), None, "85.3"),
        # a half rounds up: 0.5 × 80.1 + 0.5 × 80.2 = 80.15 -> 80.2
        ((801, 802, 0, 0), {"inspection": D("0.5"), "closure": D("0.5"), "recurrence": D("0.1")}, "80.2"),
        # 1 recurrence in 3 cases: 66.666…; (0.6 × 70 + 0.1 × 66.666…) / 0.7 = 69.5238… -> 69.5
        ((700, None, 3, 1), None, "69.5"),
        ((None, None, 0, 0), None, "None"),  # nothing to score
        ((900, 800, 5, 1), {"inspection": D(0), "closure": D(0), "recurrence": D(0)}, "None"),
    ],
)
def test_composite_tenths_examples(figures, weights, expected):
    inspection, closure, cases, recurrences = figures
    weights = weights or DEFAULT_WEIGHTS
    got = composite_tenths(inspection, closure, cases, recurrences, integer_weights(weights))
    assert str(decimal_of_tenths(got)) == expected
    as_decimal = [None if value is None else D(value).scaleb(-1) for value in (inspection, closure)]
    assert str(composite_of(*as_decimal, cases, recurrences, weights)) == expected


def test_rank_scores_orders_ties_vetoes_and_flags_like_rank_entries():
    """Random rankings with many equal composites (ties), equal labels (the listing order decides),
    vetoes and targets without a composite: rank_scores on integer tenths gives rank_entries'
    order, ranks, composites, movements and flags."""
    rng = random.Random(1122)
    for _ in range(1_500):
        weights = _random_weights(rng)
        count = rng.randint(0, 40)
        labels = [rng.choice("甲乙丙丁戊") for _ in range(count)]
        entries, scores = [], []
        for index, label in enumerate(labels):
            key = f"k{index}"
            # Few distinct figures, so that composites tie often.
            tenths_sum, sheets = rng.choice([(850, 1), (1700, 2), (1701, 2), (2555, 3), (900, 1), (0, 1)])
            cases = rng.choice([0, 0, 2, 4])
            due = rng.randint(0, cases)
            closed_on_time, recurrences = rng.randint(0, due), rng.randint(0, cases)
            vetoed = rng.random() < 0.15
            average, closure = _decimal_figures(tenths_sum, sheets, closed_on_time, due)
            average_tenths = half_up(tenths_sum, sheets)
            closure_tenths = half_up(1000 * closed_on_time, due) if due else None
            if rng.random() < 0.1:
                average = average_tenths = closure = closure_tenths = None
                cases = recurrences = 0
            entries.append(Entry(key, label, average, closure, cases, recurrences, vetoed))
            composite = composite_tenths(average_tenths, closure_tenths, cases, recurrences, integer_weights(weights))
            scores.append((key, label, vetoed, composite))
        previous_ranks = {f"k{index}": rng.randint(1, count) for index in range(count) if rng.random() < 0.7}
        rules = {"red_flags": rng.choice([0, 1, 2, 3]), "yellow_flags": rng.choice([0, 1, 2])}
        expected = [
            (r.entry.key, r.rank, str(r.composite), r.movement, r.flag)
            for r in rank_entries(entries, weights=weights, previous_ranks=previous_ranks, **rules)
        ]
        got = [
            (score[0], rank, str(decimal_of_tenths(score[3])), movement, flag)
            for score, rank, movement, flag in rank_scores(scores, previous_ranks=previous_ranks, **rules)
        ]
        assert got == expected
