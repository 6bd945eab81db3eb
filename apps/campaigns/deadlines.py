"""Reminders before a task's deadline and escalation once it is overdue (Celery beat, hourly).

- A task not finished whose deadline lies within `CAMPAIGN_TASK_REMIND_DAYS` working days
  (default 3; counted on the working calendar `apps.worktime`: holidays and 调休 respected; a
  deadline today counts as 0) gets ONE reminder: to its assignee, else its unit's contacts, else the
  community staff of its area (the nearest community account above or at the area), else the
  managers of the campaign's jurisdiction. `reminded_at` is set.
- A task not finished whose deadline has passed gets ONE escalation (督办) to the managers of the
  level above its area: street and office accounts whose jurisdiction lies strictly above the
  area (for a community's task: its street and the district office); with nobody above (a task
  of a district campaign at the district), the managers of its own area, else of the campaign's
  jurisdiction. `escalated_at` is set.
- A step with nobody to notify is not stamped (logged; a later run tries again).
- Only tasks of campaigns still running (筹备中/创建中). Each stamp is set with a conditional
  UPDATE (… WHERE reminded_at IS NULL) before the notification, so two overlapping runs cannot
  notify twice. Each step is audited (campaigns.task.reminded / campaigns.task.escalated, by the
  system). Editing a task's deadline does not reset the stamps: a task is reminded and escalated
  once in its life (a reopened task was already known to be late).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.periodic import beat_singleton
from apps.core.roles import Role
from apps.notifications.messages import Message
from apps.notifications.services import notify
from apps.worktime.calendar import WorkCalendar

from .choices import CampaignStatus, TaskStatus
from .models import Task
from .models.campaign import ancestor_ids

RUNNING = [CampaignStatus.PLANNING, CampaignStatus.ACTIVE]
logger = logging.getLogger(__name__)


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


def _managers_at(*jurisdiction_ids) -> list:
    return list(_active(User.objects.filter(role__in=[Role.STREET, Role.OFFICE], jurisdiction_id__in=jurisdiction_ids)))


def escalation_recipients(task: Task) -> list:
    """The managers strictly above the task's area; when there are none (a task at the top of a
    district campaign: the city has no office accounts), the managers of the task's own area,
    else of the campaign's jurisdiction. May be empty: then nobody is stamped (see run_deadlines)."""
    above = ancestor_ids(task.jurisdiction.path)[:-1]
    return _managers_at(*above) or _managers_at(task.jurisdiction_id) or _managers_at(task.campaign.jurisdiction_id)


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
        message = Message(
            gettext_noop("创卫任务“{title}”将于 {deadline} 到期（进度 {progress}%），请抓紧完成。"),
            title=task.title[:60],
            deadline=task.deadline.isoformat(),
            progress=task.progress,
        )
        reminded += _stamp_and_notify(
            task, "reminded_at", now, reminder_recipients, "campaign_task_due", message, "campaigns.task.reminded"
        )
    for task in _open_tasks().filter(escalated_at__isnull=True, deadline__lt=today):
        message = Message(
            gettext_noop("创卫任务逾期督办：{area}“{title}”已超过完成时限 {deadline}，进度 {progress}%。"),
            area=task.jurisdiction.name,
            title=task.title[:60],
            deadline=task.deadline.isoformat(),
            progress=task.progress,
        )
        escalated += _stamp_and_notify(
            task,
            "escalated_at",
            now,
            escalation_recipients,
            "campaign_task_overdue",
            message,
            "campaigns.task.escalated",
        )
    return {"reminded": reminded, "escalated": escalated}


def _stamp_and_notify(task: Task, field: str, now, recipients_of, kind: str, message: Message, action: str) -> int:
    """Stamp `field` (conditional UPDATE: only the run that sets it notifies), notify the
    recipients and audit, in one transaction. Nobody to tell: no stamp (a later run, after an
    account is created, still notifies), a warning in the log. Returns 1 when notified."""
    recipients = recipients_of(task)
    if not recipients:
        logger.warning("campaign task %s: nobody to notify for %s", task.pk, action)
        return 0
    with transaction.atomic():
        if not Task.objects.filter(pk=task.pk, **{f"{field}__isnull": True}).update(**{field: now}):
            return 0
        notify(recipients, kind=kind, target=task, message=message)
        audit_record(
            actor=None,
            obj=task,
            action=action,
            data={"deadline": task.deadline.isoformat(), "recipients": len(recipients)},
        )
    return 1


@shared_task(name="apps.campaigns.tasks.campaign_task_deadlines", soft_time_limit=240, time_limit=280)
@beat_singleton
def campaign_task_deadlines() -> dict:
    """The hourly beat job (settings: CELERY_BEAT_SCHEDULE)."""
    return run_deadlines()


__all__ = ["campaign_task_deadlines", "run_deadlines"]
