"""Working-time arithmetic, with the 2026 holidays and make-up days (hand-computed)."""

from datetime import datetime

import pytest
from django.utils import timezone

from apps.worktime.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_four_working_hours_from_the_friday_before_qingming(holidays):
    # Fri 2026-04-03 16:00: 1.5 h left that day; Sat-Mon (4/4-4/6) off; Tue from 08:30 + 2.5 h.
    assert local(WorkCalendar().add_working_hours(at("2026-04-03 16:00"), 4)) == "2026-04-07 11:00"


def test_one_working_day_from_the_friday_before_qingming(holidays):
    assert local(WorkCalendar().add_working_days(at("2026-04-03 16:00"), 1)) == "2026-04-07 17:30"


def test_the_lunch_break_does_not_count(holidays):
    assert local(WorkCalendar().add_working_hours(at("2026-11-23 11:00"), 2)) == "2026-11-23 15:00"


def test_make_up_saturday_is_a_working_day(holidays):
    # Fri 2026-02-13 -> the next working day is the make-up Saturday 02-14, then the Spring Festival.
    calendar = WorkCalendar()
    assert local(calendar.add_working_days(at("2026-02-13 09:00"), 1)) == "2026-02-14 17:30"
    assert local(calendar.add_working_days(at("2026-02-13 09:00"), 2)) == "2026-02-24 17:30"


def test_national_day_week(holidays):
    # Wed 2026-09-30 17:00 + 2 working hours: 0.5 h on 9/30, then 10/1-10/7 off, Thu 10/8 08:30 + 1.5 h.
    assert local(WorkCalendar().add_working_hours(at("2026-09-30 17:00"), 2)) == "2026-10-08 10:00"


def test_report_outside_hours_waits_for_the_next_span(holidays):
    assert local(WorkCalendar().add_working_hours(at("2026-11-21 22:00"), 1)) == "2026-11-23 09:30"  # Saturday night


def test_working_hours_between(holidays):
    calendar = WorkCalendar()
    assert calendar.working_hours_between(at("2026-04-03 16:00"), at("2026-04-07 11:00")) == pytest.approx(4)
    assert calendar.working_hours_between(at("2026-04-07 11:00"), at("2026-04-03 16:00")) == 0


def test_admin_edited_day_is_used(holidays):
    from apps.worktime.models import CalendarDay

    CalendarDay.objects.create(date="2026-11-23", is_workday=False, note="临时放假")
    assert local(WorkCalendar().add_working_days(at("2026-11-20 10:00"), 1)) == "2026-11-24 17:30"
