"""Reporting periods (day, week, fortnight, month, quarter, year): bounds, stepping and labels.

The one place that knows how a period is cut and named, shared by the case statistics
(day/week/month rows) and the inspection rankings (fortnight/month/quarter/year).
`kind` is a plain string, so any TextChoices whose values are these names can be passed.

Fortnights start on Mondays, counted in pairs of weeks from the first Monday of the ISO
year's first week, so every office gets the same two-week grid.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError

DAY, WEEK, FORTNIGHT, MONTH, QUARTER, YEAR = "day", "week", "fortnight", "month", "quarter", "year"


def local_midnight(day: date) -> datetime:
    """The start of `day` in local time (timezone-aware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def period_start(day: date, kind: str) -> date:
    """The first day of the period of `kind` containing `day`."""
    return period_bounds(kind, day)[0]


def period_next(day: date, kind: str) -> date:
    """The first day of the next period after the one starting on `day`."""
    if kind == WEEK:
        return day + timedelta(days=7)
    if kind == FORTNIGHT:
        return day + timedelta(days=14)
    if kind == MONTH:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if kind == QUARTER:
        return period_next(period_next(period_next(day, MONTH), MONTH), MONTH)
    if kind == YEAR:
        return date(day.year + 1, 1, 1)
    return day + timedelta(days=1)


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The period of `kind` containing `day`, as (first day, last day), both included."""
    if kind == DAY:
        return day, day
    if kind == WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == FORTNIGHT:
        first_monday = date(day.year, 1, 4) - timedelta(days=date(day.year, 1, 4).weekday())
        offset = (day - first_monday).days // 14
        start = first_monday + timedelta(days=14 * offset)
        return start, start + timedelta(days=13)
    if kind == MONTH:
        start = day.replace(day=1)
        return start, period_next(start, MONTH) - timedelta(days=1)
    if kind == QUARTER:
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, period_next(start, QUARTER) - timedelta(days=1)
    if kind == YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise DomainError(_("未知的评比周期。"))


def previous_period(kind: str, start: date) -> tuple[date, date]:
    """The period before the one starting on `start`."""
    return period_bounds(kind, start - timedelta(days=1))


def period_label(kind: str, start: date, end: date | None = None) -> str:
    """How a period is named on pages and in documents, e.g. "2026年11月", "2026年第4季度".

    A fortnight (or any other span) is named by its dates; `end` defaults to the period's last day.
    """
    if kind == DAY:
        return start.isoformat()
    if kind == WEEK:
        year, week, _weekday = start.isocalendar()
        return _("{year}年第{week}周（{first}起）").format(year=year, week=week, first=start.strftime("%m-%d"))
    if kind == MONTH:
        return _("{year}年{month}月").format(year=start.year, month=start.month)
    if kind == QUARTER:
        return _("{year}年第{quarter}季度").format(year=start.year, quarter=(start.month - 1) // 3 + 1)
    if kind == YEAR:
        return _("{year}年度").format(year=start.year)
    if end is None:
        end = period_bounds(kind, start)[1]
    return _("{start}至{end}").format(start=start.strftime("%Y.%m.%d"), end=end.strftime("%Y.%m.%d"))
