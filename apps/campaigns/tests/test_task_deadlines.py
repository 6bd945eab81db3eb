"""Reminders and escalation of tasks, with frozen dates (the sweep takes `now`)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from apps.campaigns.deadlines import run_deadlines, working_days_until
from apps.campaigns.models import Task
from apps.campaigns.tests.factories import make_campaign
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.worktime.calendar import WorkCalendar
from apps.worktime.models import CalendarDay


def at(day: date, hour: int = 9):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_working_days_skip_weekends_and_holidays():
    calendar = WorkCalendar(overrides={date(2026, 7, 14): False})
    # Fri 07-10 → Wed 07-15: Mon, (Tue is a holiday), Wed = 2 working days.
    assert working_days_until(calendar, date(2026, 7, 10), date(2026, 7, 15)) == 2
    assert working_days_until(WorkCalendar(overrides={}), date(2026, 7, 10), date(2026, 7, 15)) == 3
    assert working_days_until(WorkCalendar(overrides={}), date(2026, 7, 15), date(2026, 7, 15)) == 0


@pytest.mark.django_db
def test_reminder_once_within_three_working_days(camp, settings):
    settings.CAMPAIGN_TASK_REMIND_DAYS = 3
    task = camp.task  # due Wed 2026-07-15, given to camp.community
    assert run_deadlines(now=at(date(2026, 7, 9))) == {"reminded": 0, "escalated": 0}  # Thu: 4 working days
    assert run_deadlines(now=at(date(2026, 7, 10))) == {"reminded": 1, "escalated": 0}  # Fri: 3
    assert run_deadlines(now=at(date(2026, 7, 10), 10)) == {"reminded": 0, "escalated": 0}  # once only
    task.refresh_from_db()
    assert task.reminded_at == at(date(2026, 7, 10)) and task.version == 1  # a stamp, not an edit
    note = Notification.objects.get(kind="campaign_task_due")
    assert note.recipient == camp.community and "2026-07-15" in note.message
    assert AuditEvent.objects.filter(action="campaigns.task.reminded", object_id=str(task.pk)).count() == 1


@pytest.mark.django_db
def test_holiday_delays_the_reminder(camp):
    CalendarDay.objects.create(date=date(2026, 7, 13), is_workday=False, note="假")
    # Thu 07-09 → Wed 07-15 with Monday off: Fri, Tue, Wed = 3 working days.
    assert run_deadlines(now=at(date(2026, 7, 9)))["reminded"] == 1


@pytest.mark.django_db
def test_reminder_goes_to_unit_contacts_or_community_when_no_assignee(camp):
    Task.objects.filter(pk=camp.task.pk).update(assignee=None, unit=camp.unit_a1)
    run_deadlines(now=at(date(2026, 7, 14)))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["t_unit"]
    other = Task.objects.create(
        campaign=camp.campaign, jurisdiction=camp.estate_a1, title="小区垃圾分类", deadline=date(2026, 7, 15)
    )
    Notification.objects.all().delete()
    run_deadlines(now=at(date(2026, 7, 14)))
    assert list(Notification.objects.filter(target_id=other.pk).values_list("recipient__username", flat=True)) == [
        "t_comm"
    ]


@pytest.mark.django_db
def test_escalation_once_to_the_level_above(camp):
    task = camp.task
    assert run_deadlines(now=at(date(2026, 7, 15), 18))["escalated"] == 0  # due today: not yet late
    result = run_deadlines(now=at(date(2026, 7, 16)))
    assert result["escalated"] == 1
    assert run_deadlines(now=at(date(2026, 7, 17)))["escalated"] == 0
    recipients = set(
        Notification.objects.filter(kind="campaign_task_overdue").values_list("recipient__username", flat=True)
    )
    assert recipients == {"t_street", "t_office"}  # 甲街道 and the district office above 甲一社区
    task.refresh_from_db()
    assert task.escalated_at == at(date(2026, 7, 16))
    assert AuditEvent.objects.filter(action="campaigns.task.escalated").count() == 1


@pytest.mark.django_db
def test_finished_tasks_and_concluded_campaigns_are_left_alone(camp):
    Task.objects.filter(pk=camp.task.pk).update(status="done")
    assert run_deadlines(now=at(date(2026, 7, 20))) == {"reminded": 0, "escalated": 0}
    Task.objects.filter(pk=camp.task.pk).update(status="in_progress")
    camp.campaign.status = "concluded"
    camp.campaign.save()
    assert run_deadlines(now=at(date(2026, 7, 20))) == {"reminded": 0, "escalated": 0}


@pytest.mark.django_db
def test_escalation_of_a_district_task_goes_to_the_district_office(camp):
    # A district campaign's task sits on the district itself: nobody manages the city above it.
    district = make_campaign(camp, camp.standard_version, camp.district, title="测试区创建国家卫生城市")
    task = Task.objects.create(
        campaign=district,
        item=camp.std_item,
        jurisdiction=camp.district,
        title="全区病媒生物防制",
        deadline=date(2026, 7, 15),
    )
    Task.objects.filter(pk=camp.task.pk).update(status="done")
    assert run_deadlines(now=at(date(2026, 7, 16)))["escalated"] == 1
    recipients = set(
        Notification.objects.filter(kind="campaign_task_overdue", target_id=task.pk).values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"t_office"}
    event = AuditEvent.objects.get(action="campaigns.task.escalated", object_id=str(task.pk))
    assert event.data["recipients"] == 1


@pytest.mark.django_db
def test_nobody_to_tell_leaves_the_task_unstamped(camp):
    from apps.accounts.models import User

    Task.objects.filter(pk=camp.task.pk).update(status="done")
    district = make_campaign(camp, camp.standard_version, camp.district, title="测试区创建国家卫生城市")
    task = Task.objects.create(
        campaign=district, jurisdiction=camp.district, title="全区病媒生物防制", deadline=date(2026, 7, 15)
    )
    User.objects.filter(role__in=["office", "street"]).update(is_active=False)
    assert run_deadlines(now=at(date(2026, 7, 16)))["escalated"] == 0
    task.refresh_from_db()
    assert task.escalated_at is None
    assert not AuditEvent.objects.filter(action="campaigns.task.escalated").exists()
    User.objects.filter(username="t_office").update(is_active=True)
    assert run_deadlines(now=at(date(2026, 7, 17)))["escalated"] == 1
