"""开课率 by hand: counted = Σ per kind min(held, planned), one decimal half up."""

from decimal import Decimal

import pytest

from apps.education.course_rate import period_rate, quarter_months, quarter_of, year_table


def test_seven_of_nine_is_77_8():
    planned = {("lecture", 3): 9}
    held = {("lecture", 3): 7}
    rate = period_rate(planned, held, [3])
    assert (rate.planned, rate.counted, rate.surplus, rate.missing) == (9, 7, 0, 2)
    assert rate.percent == Decimal("77.8")  # 700 / 9 = 77.77…


def test_over_delivery_never_hides_a_missing_kind():
    # 3 lectures planned, 5 held; 2 classes planned, 0 held: counted 3 + 0 = 3 of 5 → 60.0 %,
    # not 5 of 5; the 2 extra lectures are 超额.
    planned = {("lecture", 4): 3, ("training", 4): 2}
    held = {("lecture", 4): 5}
    rate = period_rate(planned, held, [4])
    assert (rate.counted, rate.held, rate.surplus) == (3, 5, 2)
    assert rate.percent == Decimal("60.0")


def test_rate_never_exceeds_100_and_unplanned_kind_is_surplus():
    rate = period_rate({("lecture", 1): 1}, {("lecture", 1): 4, ("clinic", 1): 2}, [1])
    assert rate.percent == Decimal("100.0")
    assert rate.surplus == 3 + 2


def test_quarter_boundary():
    # Q1 plans 1 lecture a month (3); held: Jan 0, Feb 2, Mar 1 and Apr 3.
    # Q1 counts the quarter's lectures: min(3, 3) = 3 → 100 %; April's 3 belong to Q2 (plan 1 → 1, 超额 2).
    planned = {("lecture", m): 1 for m in (1, 2, 3, 4)}
    held = {("lecture", 2): 2, ("lecture", 3): 1, ("lecture", 4): 3}
    q1 = period_rate(planned, held, quarter_months(1))
    q2 = period_rate(planned, held, quarter_months(2))
    assert (q1.planned, q1.counted, q1.percent) == (3, 3, Decimal("100.0"))
    assert (q2.planned, q2.counted, q2.surplus, q2.percent) == (1, 1, 2, Decimal("100.0"))
    # January alone: 0 of 1.
    assert period_rate(planned, held, [1]).percent == Decimal("0.0")
    # The year: planned 4, counted min(6, 4) = 4, surplus 2.
    year = year_table(planned, held)["year"]
    assert (year.planned, year.counted, year.surplus) == (4, 4, 2)


def test_empty_plan_has_no_rate():
    assert period_rate({}, {("lecture", 5): 3}, [5]) is None
    assert period_rate({("lecture", 6): 0}, {}, [6]) is None
    table = year_table({("lecture", 12): 2}, {})
    assert table["months"][0] == (1, None)
    assert table["months"][11][1].percent == Decimal("0.0")
    assert table["quarters"][3][1].planned == 2


def test_two_thirds_rounds_half_up():
    assert period_rate({("clinic", 7): 3}, {("clinic", 7): 2}, [7]).percent == Decimal("66.7")
    assert period_rate({("clinic", 7): 8}, {("clinic", 7): 1}, [7]).percent == Decimal("12.5")


def test_quarters():
    assert list(quarter_months(4)) == [10, 11, 12]
    assert [quarter_of(m) for m in (1, 3, 4, 12)] == [1, 1, 2, 4]
    with pytest.raises(ValueError):
        quarter_months(5)


def test_subtree_one_communitys_extra_never_hides_anothers_gap():
    from apps.education.course_rate import subtree_rate

    # Street S/ plans 1 lecture in May, communities S/1/ and S/2/ plan 2 each. Held: the street 1,
    # S/1/ 3 plus 1 in its grid S/1/9/, S/2/ none, S/3/ (no plan of its own, so the street's) 2.
    # Per plan: S/ 3 held of 1 → 1 (超额 2), S/1/ 4 of 2 → 2 (超额 2), S/2/ 0 of 2 → 0:
    # 3 of 5 = 60.0 %, not min(7, 5) = 100 %.
    plans = {"S/": {("lecture", 5): 1}, "S/1/": {("lecture", 5): 2}, "S/2/": {("lecture", 5): 2}}
    held = {
        ("S/", "lecture", 5): 1,
        ("S/1/", "lecture", 5): 3,
        ("S/1/9/", "lecture", 5): 1,
        ("S/3/", "lecture", 5): 2,
    }
    rate = subtree_rate(plans, held, [5])
    assert (rate.counted, rate.planned, rate.percent) == (3, 5, Decimal("60.0"))
    assert rate.surplus == 2 + 2
    # Held where no plan covers it at all is surplus only.
    assert subtree_rate({"S/1/": {("lecture", 5): 2}}, {("T/", "lecture", 5): 4}, [5]).surplus == 4
    assert subtree_rate(plans, held, [6]) is None
