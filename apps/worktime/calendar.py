"""Working-time arithmetic over the working calendar (the one place that knows about it).

A day is a working day when it is Monday–Friday, unless a CalendarDay says otherwise
(public holidays off, make-up working days 调休 on). Working hours are the spans in
`settings.CASE_WORK_HOURS` (default 08:30–12:00 and 14:00–17:30, local time).

Conventions:
- N working hours: the clock runs only inside working spans; a start outside them
  waits for the next span.
- N working days: due at the close of the Nth working day after the start day (the
  start day itself is not counted), so "1 working day" means "by the end of the next
  working day" (the hotline's "answered by the next day").
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .models import CalendarDay

MAX_DAYS_SCANNED = 3660  # ten years: a guard against a calendar with no working day at all


def _spans() -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in settings.CASE_WORK_HOURS]


class WorkCalendar:
    """Answers working-day questions, loading holiday exceptions once per instance."""

    def __init__(self, overrides: dict[date, bool] | None = None):
        self._overrides = overrides

    @property
    def overrides(self) -> dict[date, bool]:
        if self._overrides is None:
            self._overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        return self._overrides

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        for _ in range(MAX_DAYS_SCANNED):
            day += timedelta(days=1)
            if self.is_workday(day):
                return day
        raise ValueError("no working day in the calendar")

    def _local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment)

    def _at(self, day: date, clock: time) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock))

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        remaining = timedelta(hours=hours)
        moment = self._local(start)
        day = moment.date()
        for _ in range(MAX_DAYS_SCANNED):
            if self.is_workday(day):
                for span_start, span_end in _spans():
                    begin = max(moment, self._at(day, span_start))
                    end = self._at(day, span_end)
                    if begin >= end:
                        continue
                    if begin + remaining <= end:
                        return begin + remaining
                    remaining -= end - begin
            day += timedelta(days=1)
            moment = self._at(day, time.min)
        raise ValueError("no working time in the calendar")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        day = self._local(start).date()
        for _ in range(days):
            day = self.next_workday(day)
        if days == 0 and not self.is_workday(day):
            day = self.next_workday(day)
        return self._at(day, _spans()[-1][1])

    def add(self, start: datetime, amount: int, unit: str) -> datetime:
        return self.add_working_hours(start, amount) if unit == "hours" else self.add_working_days(start, amount)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 when end is earlier), for escalation thresholds."""
        if end <= start:
            return 0.0
        total = timedelta()
        day, last = self._local(start).date(), self._local(end).date()
        while day <= last:
            if self.is_workday(day):
                for span_start, span_end in _spans():
                    begin = max(self._at(day, span_start), start)
                    finish = min(self._at(day, span_end), end)
                    if finish > begin:
                        total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 3600
