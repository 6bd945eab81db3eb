from datetime import date
from decimal import Decimal

from apps.education.punctuality import MONTHLY, QUARTERLY, on_time_share, overdue_period, period_of


def test_month_and_quarter_bounds():
    feb = period_of(MONTHLY, date(2028, 2, 10))
    assert (feb.key, feb.start, feb.end) == ("2028-02", date(2028, 2, 1), date(2028, 2, 29))
    dec = period_of(MONTHLY, date(2026, 12, 31))
    assert (dec.key, dec.end) == ("2026-12", date(2026, 12, 31))
    q4 = period_of(QUARTERLY, date(2026, 11, 30))
    assert (q4.key, q4.start, q4.end) == ("2026Q4", date(2026, 10, 1), date(2026, 12, 31))
    q1 = period_of(QUARTERLY, date(2027, 3, 31))
    assert (q1.key, q1.start, q1.end) == ("2027Q1", date(2027, 1, 1), date(2027, 3, 31))


def test_overdue_when_last_month_missed_and_none_this_month():
    today = date(2026, 12, 1)
    missed = overdue_period(MONTHLY, date(2026, 1, 1), [date(2026, 10, 31)], today)
    assert missed.key == "2026-11"
    # an update on the last day of November: on time, not overdue
    assert overdue_period(MONTHLY, date(2026, 1, 1), [date(2026, 11, 30)], today) is None
    # an update today clears it
    assert overdue_period(MONTHLY, date(2026, 1, 1), [date(2026, 10, 31), today], today) is None


def test_installed_mid_period_owes_nothing_for_that_period():
    today = date(2026, 12, 5)
    assert overdue_period(MONTHLY, date(2026, 11, 2), [], today) is None
    assert overdue_period(MONTHLY, date(2026, 11, 1), [], today).key == "2026-11"


def test_quarter_boundary():
    assert overdue_period(QUARTERLY, date(2026, 1, 1), [date(2026, 9, 30)], date(2027, 1, 3)).key == "2026Q4"
    assert overdue_period(QUARTERLY, date(2026, 1, 1), [date(2026, 10, 1)], date(2027, 1, 3)) is None
    assert overdue_period(QUARTERLY, date(2026, 1, 1), [date(2026, 10, 1)], date(2026, 12, 31)) is None


def test_on_time_share():
    nov = period_of(MONTHLY, date(2026, 11, 1))
    boards = [
        (date(2026, 1, 1), [date(2026, 11, 3)]),  # on time
        (date(2026, 1, 1), [date(2026, 10, 31)]),  # missed
        (date(2026, 11, 1), [date(2026, 11, 30)]),  # installed on the first: due, on time
        (date(2026, 11, 15), []),  # installed mid-month: not due
    ]
    assert on_time_share(boards, nov) == (2, 3, Decimal("66.7"))
    assert on_time_share([], nov) == (0, 0, None)
    # two updates in one month count once: never above 100 %
    assert on_time_share([(date(2026, 1, 1), [date(2026, 11, 1), date(2026, 11, 2)])], nov) == (1, 1, Decimal("100.0"))
