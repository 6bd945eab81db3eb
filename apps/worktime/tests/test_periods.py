"""Periods: bounds, stepping and labels, hand-computed."""

from datetime import date

import pytest
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.worktime.periods import (
    local_midnight,
    period_bounds,
    period_label,
    period_next,
    period_start,
    previous_period,
)


@pytest.mark.parametrize(
    ("kind", "day", "bounds"),
    [
        ("day", date(2026, 11, 25), (date(2026, 11, 25), date(2026, 11, 25))),
        ("week", date(2026, 11, 25), (date(2026, 11, 23), date(2026, 11, 29))),
        ("month", date(2026, 2, 14), (date(2026, 2, 1), date(2026, 2, 28))),
        ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        ("quarter", date(2026, 11, 25), (date(2026, 10, 1), date(2026, 12, 31))),
        ("year", date(2026, 6, 1), (date(2026, 1, 1), date(2026, 12, 31))),
        # 2026-01-04 is a Sunday: the grid starts on Monday 2025-12-29.
        ("fortnight", date(2026, 1, 12), (date(2026, 1, 12), date(2026, 1, 25))),
        ("fortnight", date(2026, 1, 11), (date(2025, 12, 29), date(2026, 1, 11))),
    ],
)
def test_bounds(kind, day, bounds):
    assert period_bounds(kind, day) == bounds
    assert period_start(day, kind) == bounds[0]


def test_next_and_previous():
    assert period_next(date(2026, 12, 1), "month") == date(2027, 1, 1)
    assert period_next(date(2026, 11, 23), "week") == date(2026, 11, 30)
    assert period_next(date(2026, 10, 1), "quarter") == date(2027, 1, 1)
    assert period_next(date(2026, 11, 30), "day") == date(2026, 12, 1)
    assert previous_period("month", date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_labels():
    assert period_label("day", date(2026, 11, 25)) == "2026-11-25"
    assert period_label("week", date(2026, 11, 23)) == "2026年第48周（11-23起）"
    assert period_label("month", date(2026, 11, 1)) == "2026年11月"
    assert period_label("quarter", date(2026, 10, 1)) == "2026年第4季度"
    assert period_label("year", date(2026, 1, 1)) == "2026年度"
    assert period_label("fortnight", date(2026, 1, 12)) == "2026.01.12至2026.01.25"
    assert period_label("fortnight", date(2026, 1, 12), date(2026, 1, 20)) == "2026.01.12至2026.01.20"


def test_unknown_kind_is_a_domain_error():
    with pytest.raises(DomainError):
        period_bounds("decade", date(2026, 1, 1))


def test_local_midnight_is_aware():
    moment = local_midnight(date(2026, 11, 25))
    assert timezone.is_aware(moment) and timezone.localtime(moment).hour == 0
