"""The self-assessment arithmetic, checked against sums done by hand."""

from decimal import Decimal as D

import pytest

from apps.campaigns import scoring
from apps.campaigns.scoring import Item, Mark

PRE1 = Item(1, "1.1", "prerequisite")
PRE2 = Item(2, "1.2", "prerequisite")
PLAIN = Item(3, "1.3", "plain")
S10 = Item(4, "2.1", "scored", D("10"))
S6 = Item(5, "2.2", "scored", D("6"))
S4 = Item(6, "2.3", "scored", D("4"))


def test_default_scores_met_full_unmet_zero_partly_must_be_entered():
    assert scoring.resolve_score(S10, "met", None) == D("10")
    assert scoring.resolve_score(S10, "unmet", None) == D("0")
    with pytest.raises(scoring.ScoreError):
        scoring.resolve_score(S10, "partly", None)
    assert scoring.resolve_score(S10, "partly", D("6.25")) == D("6.3")  # one decimal, half up


def test_score_bounds_and_unscored_items():
    with pytest.raises(scoring.ScoreError):
        scoring.resolve_score(S6, "partly", D("6.1"))
    with pytest.raises(scoring.ScoreError):
        scoring.resolve_score(S6, "partly", D("-1"))
    assert scoring.resolve_score(S6, "partly", D("5.9")) == D("5.9")
    assert scoring.resolve_score(PLAIN, "partly", None) is None
    with pytest.raises(scoring.ScoreError):
        scoring.resolve_score(PRE1, "met", D("1"))
    with pytest.raises(scoring.ScoreError):
        scoring.resolve_score(S10, "bogus", None)


def test_each_result_bounds_its_score():
    # 达标 = the full points: entered or not
    assert scoring.resolve_score(S6, "met", D("6")) == D("6.0")
    with pytest.raises(scoring.ScoreError, match="基本达标"):
        scoring.resolve_score(S6, "met", D("5"))
    # 未达标 = 0: entered or not
    assert scoring.resolve_score(S6, "unmet", D("0")) == D("0.0")
    with pytest.raises(scoring.ScoreError, match="基本达标"):
        scoring.resolve_score(S6, "unmet", D("1"))
    # 基本达标: strictly between 0 and the full points, after rounding to one decimal
    assert scoring.resolve_score(S6, "partly", D("0.1")) == D("0.1")
    for bad in (D("0"), D("6"), D("0.04"), D("5.96")):  # 0.04 → 0.0, 5.96 → 6.0
        with pytest.raises(scoring.ScoreError, match="大于0且小于满分"):
            scoring.resolve_score(S6, "partly", bad)


def test_totals_by_hand():
    marks = [
        Mark(PRE1, "met"),
        Mark(PRE2, "met"),
        Mark(PLAIN, "partly"),
        Mark(S10, "partly", D("7.5")),
        Mark(S6, "met", D("6")),
        Mark(S4),  # not assessed: counts 0 of its 4
    ]
    t = scoring.totals(marks)
    # score 7.5 + 6 = 13.5; max 10 + 6 + 4 = 20; 13.5 / 20 = 67.5 %
    assert t.score == D("13.5") and t.max_score == D("20") and t.percent == D("67.5")
    assert t.counts == {"met": 3, "partly": 2, "unmet": 0, "unassessed": 1}
    assert t.assessed == 5
    assert t.prerequisites == "met" and t.prerequisites_met is True


def test_a_failed_prerequisite_fails_whatever_the_score():
    t = scoring.totals([Mark(PRE1, "partly"), Mark(PRE2), Mark(S10, "met", D("10"))])
    assert t.score == D("10") and t.percent == D("100.0")
    assert t.prerequisites == "failed" and t.prerequisites_met is False
    assert t.failed_prerequisites == ["1.1"] and t.pending_prerequisites == ["1.2"]


def test_unassessed_prerequisite_is_pending():
    t = scoring.totals([Mark(PRE1, "met"), Mark(PRE2)])
    assert t.prerequisites == "pending" and t.prerequisites_met is None
    assert t.percent is None  # no scored item


def test_percent_rounds_half_up():
    # 2 / 3 = 66.666… → 66.7
    assert scoring.percent(D("2"), D("3")) == D("66.7")
    assert scoring.percent(D("1"), D("8")) == D("12.5")


def test_weakest_orders_failed_prerequisites_then_lost_points_then_ratio():
    marks = [
        Mark(S10, "partly", D("7")),  # lost 3, ratio 0.7
        Mark(S6, "partly", D("3")),  # lost 3, ratio 0.5 → before 2.1 (same loss, weaker ratio)
        Mark(S4, "unmet", D("0")),  # lost 4 → first of the scored
        Mark(PLAIN, "unmet"),
        Mark(PRE1, "unmet"),  # failed prerequisite → first of all
        Mark(PRE2, "met"),
    ]
    order = [m.item.code for m in scoring.weakest(marks)]
    assert order == ["1.1", "2.3", "2.2", "2.1", "1.3"]
    assert [m.lost for m in scoring.weakest(marks)[1:4]] == [D("4"), D("3"), D("3")]
    assert [m.item.code for m in scoring.weakest(marks, 2)] == ["1.1", "2.3"]


def test_weakest_leaves_out_full_and_unassessed_items():
    assert scoring.weakest([Mark(S10, "met", D("10")), Mark(S6), Mark(PRE1, "met")]) == []


def test_shortfall():
    assert scoring.shortfall("gte", D("90"), D("85.5")) == D("4.5")
    assert scoring.shortfall("gte", D("90"), D("95")) == D("0")
    assert scoring.shortfall("lte", D("5"), D("6.9")) == D("1.9")
    assert scoring.shortfall("gte", None, D("1")) is None
