"""Punctuality of bulletin boards (宣传栏更新及时率): pure date arithmetic, no database.

Periods are calendar months ("2026-11") or quarters ("2026Q4") in local (Asia/Shanghai) dates.

- A period is **due** for a board when the board stood for the whole period: installed on or
  before the period's first day (a board installed mid-period owes its first update in the
  next period).
- A due period is **on time** when the board has an update dated inside it.
- A board is **overdue** on `today` when the last complete period before today's period was
  due and has no update, and there is no update yet in today's period either. The overdue
  period's key is that missed period (the daily job notifies once per key).
- The on-time share of a period over a set of boards = on-time boards ÷ due boards × 100
  (never above 100); no due board → None (no rate).

Every function takes `today` explicitly: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MONTHLY = "monthly"
QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date  # last day, inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_of(cadence: str, day: date) -> Period:
    if cadence == QUARTERLY:
        q = (day.month - 1) // 3
        start = date(day.year, q * 3 + 1, 1)
        months = 3
        key = f"{day.year}Q{q + 1}"
    else:
        start = date(day.year, day.month, 1)
        months = 1
        key = f"{day.year}-{day.month:02d}"
    m = start.month - 1 + months
    next_start = date(start.year + m // 12, m % 12 + 1, 1)
    return Period(key, start, next_start - timedelta(days=1))


def previous(cadence: str, period: Period) -> Period:
    return period_of(cadence, period.start - timedelta(days=1))


def is_due(installed_on: date, period: Period) -> bool:
    return installed_on <= period.start


def on_time(period: Period, update_days) -> bool:
    return any(period.contains(day) for day in update_days)


def overdue_period(cadence: str, installed_on: date, update_days, today: date) -> Period | None:
    """The missed period that makes the board overdue on `today`, or None (see module doc)."""
    days = list(update_days)
    current = period_of(cadence, today)
    if on_time(current, days):
        return None
    last = previous(cadence, current)
    if not is_due(installed_on, last) or on_time(last, days):
        return None
    return last


def on_time_share(boards, period: Period) -> tuple[int, int, Decimal | None]:
    """(on time, due, percent) for `boards`: (installed_on, update_days) pairs of one cadence's
    period. Percent rounded to one decimal, None without a due board."""
    due = on = 0
    for installed_on, days in boards:
        if not is_due(installed_on, period):
            continue
        due += 1
        on += on_time(period, days)
    if not due:
        return 0, 0, None
    rate = (Decimal(on) * 100 / Decimal(due)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return on, due, rate
