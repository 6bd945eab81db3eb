"""Reminders before a task's deadline and escalation once it is overdue (Celery beat, hourly).

- A task not finished whose deadline lies within `CAMPAIGN_TASK_REMIND_DAYS` working days
  (default 3; counted on the working calendar `apps.worktime`: holidays and 调休 respected; a
  deadline today counts as 0) gets ONE reminder: to its assignee, else its unit's contacts, else the
  community staff of its area (the nearest community account above or at the area), else the
  managers of the campaign's jurisdiction. `reminded_at` is set.
- A task not finished whose deadline has passed gets ONE escalation (督办) to the managers of the
  level above its area: street and office accounts whose jurisdiction lies strictly above the
  area (for a community's task: its street and the district office). `escalated_at` is set.
- Only tasks of campaigns still running (筹备中/创建中). Each stamp is set with a conditional
  UPDATE (… WHERE reminded_at IS NULL) before the notification, so two overlapping runs cannot
  notify twice. Each step is audited (campaigns.task.reminded / campaigns.task.escalated, by the
  system). Editing a task's deadline does not reset the stamps: a task is reminded and escalated
  once in its life (a reopened task was already known to be late).
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.roles import Role
from apps.notifications.messages import Message
from apps.notifications.services import notify
from apps.worktime.calendar import WorkCalendar

from .choices import CampaignStatus, TaskStatus
from .models import Task
from .models.campaign import ancestor_ids

RUNNING = [CampaignStatus.PLANNING, CampaignStatus.ACTIVE]


def remind_days() -> int:
    return int(getattr(settings, "CAMPAIGN_TASK_REMIND_DAYS", 3))


def working_days_until(calendar: WorkCalendar, today, deadline) -> int:
    """Working days after today up to and including the deadline (0 when due today)."""
    days, day = 0, today
    while day < deadline and days <= 366:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            days += 1
    return days


def _active(users):
    return users.filter(is_active=True)


def reminder_recipients(task: Task) -> list:
    if task.assignee_id and task.assignee.is_active:
        return [task.assignee]
    if task.unit_id:
        contacts = list(_active(User.objects.filter(role=Role.UNIT_CONTACT, unit_id=task.unit_id)))
        if contacts:
            return contacts
    above = ancestor_ids(task.jurisdiction.path)
    community = list(_active(User.objects.filter(role=Role.COMMUNITY, jurisdiction_id__in=above)))
    if community:
        return community
    return list(
        _active(User.objects.filter(role__in=[Role.STREET, Role.OFFICE], jurisdiction_id=task.campaign.jurisdiction_id))
    )


def escalation_recipients(task: Task) -> list:
    above = ancestor_ids(task.jurisdiction.path)[:-1]
    return list(_active(User.objects.filter(role__in=[Role.STREET, Role.OFFICE], jurisdiction_id__in=above)))


def _open_tasks():
    return Task.objects.filter(
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
        deadline__isnull=False,
        campaign__status__in=RUNNING,
    ).select_related("jurisdiction", "campaign", "assignee")


def run_deadlines(*, now=None) -> dict:
    """One sweep: returns {"reminded": n, "escalated": m}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar()
    days = remind_days()
    # A generous calendar window first (holidays can stretch N working days), then the calendar.
    horizon = today + timedelta(days=days * 2 + 14)
    reminded = escalated = 0
    for task in _open_tasks().filter(reminded_at__isnull=True, deadline__gte=today, deadline__lte=horizon):
        if working_days_until(calendar, today, task.deadline) > days:
            continue
        with transaction.atomic():
            if not Task.objects.filter(pk=task.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            recipients = reminder_recipients(task)
            notify(
                recipients,
                kind="campaign_task_due",
                target=task,
                message=Message(
                    gettext_noop("创卫任务“{title}”将于 {deadline} 到期（进度 {progress}%），请抓紧完成。"),
                    title=task.title[:60],
                    deadline=task.deadline.isoformat(),
                    progress=task.progress,
                ),
            )
            audit_record(
                actor=None,
                obj=task,
                action="campaigns.task.reminded",
                data={"deadline": task.deadline.isoformat(), "recipients": len(recipients)},
            )
            reminded += 1
    for task in _open_tasks().filter(escalated_at__isnull=True, deadline__lt=today):
        with transaction.atomic():
            if not Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            recipients = escalation_recipients(task)
            notify(
                recipients,
                kind="campaign_task_overdue",
                target=task,
                message=Message(
                    gettext_noop("创卫任务逾期督办：{area}“{title}”已超过完成时限 {deadline}，进度 {progress}%。"),
                    area=task.jurisdiction.name,
                    title=task.title[:60],
                    deadline=task.deadline.isoformat(),
                    progress=task.progress,
                ),
            )
            audit_record(
                actor=None,
                obj=task,
                action="campaigns.task.escalated",
                data={"deadline": task.deadline.isoformat(), "recipients": len(recipients)},
            )
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


@shared_task(name="apps.campaigns.tasks.campaign_task_deadlines", soft_time_limit=240, time_limit=280)
def campaign_task_deadlines() -> dict:
    """The hourly beat job (settings: CELERY_BEAT_SCHEDULE)."""
    return run_deadlines()


__all__ = ["campaign_task_deadlines", "run_deadlines"]
