"""What campaigns offer the totals page, the self-assessment and the work summaries as figures
(apps/core/evidence.py FigureSource), for a jurisdiction subtree and a period. (Named `figures`,
not `evidence`: in this app "evidence" is the ledger itself.)

- `campaigns.ledger_readiness` (台账完备率, %): the readiness of the campaign that covers the area
  (the nearest campaign run by the area or an area above it, started by the end of the period, not
  still in planning): ready items / items, as the ledger page heads it (apps/campaigns/selectors/
  ledger.part_share: the whole campaign for its own jurisdiction, the items that concern the area
  otherwise). The ledger as it stands now (links carry no history). None without a campaign.
- `campaigns.tasks_overdue` (逾期未完成任务, 项): tasks of any campaign in the subtree, not done or
  cancelled, whose deadline passed by the end of the period (or by today while it runs).
- `campaigns.tasks_done` (完成创建任务, 项): tasks of the subtree marked done in the period (by
  their completion time). Its link is the subtree's done tasks (the list has no date filter).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import FigureSource, FigureValue, node_id
from apps.worktime.periods import local_midnight

from .areas import WHOLE, Part
from .choices import CampaignStatus, TaskStatus
from .models import Campaign, Task
from .selectors.ledger import part_share

UNFINISHED = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]


def covering_campaign(path: str, end: date | None) -> Campaign | None:
    """The campaign whose ledger speaks for the area: run by the area or the nearest area above it."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    campaigns = Campaign.objects.filter(jurisdiction_id__in=ids).exclude(status=CampaignStatus.PLANNING)
    if end:
        campaigns = campaigns.filter(starts_on__lte=end)
    return campaigns.select_related("jurisdiction").order_by("-jurisdiction__path", "-starts_on", "-id").first()


def ledger_readiness(path: str, start: date | None, end: date | None) -> FigureValue:
    campaign = covering_campaign(path, end)
    if campaign is None:
        return FigureValue(None, note=str(_("没有覆盖该辖区的创建项目")))
    whole = campaign.jurisdiction.path == path
    share = part_share(campaign, WHOLE if whole else Part(path=path))
    url = reverse("campaigns:ledger", args=[campaign.pk])
    if not whole:
        url = f"{url}?{urlencode({'area': node_id(path)})}"
    return FigureValue(share.percent, Decimal(share.ready), Decimal(share.total), url=url, note=campaign.title)


def overdue_tasks(path: str, end: date | None):
    """Unfinished tasks of the subtree whose deadline (a day) passed by the end of the period, or by today."""
    today = timezone.localdate()
    cut = min(end + timedelta(days=1), today) if end else today
    return Task.objects.filter(jurisdiction__path__within=path, status__in=UNFINISHED, deadline__lt=cut)


def tasks_overdue(path: str, start: date | None, end: date | None) -> FigureValue:
    params = urlencode({"area": node_id(path), "overdue": "1"})
    return FigureValue(Decimal(overdue_tasks(path, end).count()), url=f"{reverse('campaigns:task_list')}?{params}")


def done_tasks(path: str, start: date | None, end: date | None):
    tasks = Task.objects.filter(jurisdiction__path__within=path, status=TaskStatus.DONE, completed_at__isnull=False)
    if start:
        tasks = tasks.filter(completed_at__gte=local_midnight(start))
    if end:
        tasks = tasks.filter(completed_at__lt=local_midnight(end + timedelta(days=1)))
    return tasks


def tasks_done(path: str, start: date | None, end: date | None) -> FigureValue:
    params = urlencode({"area": node_id(path), "status": TaskStatus.DONE.value})
    return FigureValue(Decimal(done_tasks(path, start, end).count()), url=f"{reverse('campaigns:task_list')}?{params}")


FIGURES = [
    FigureSource(
        key="campaigns.ledger_readiness",
        permission="campaigns.evidencelink",
        label=_("台账完备率"),
        unit="%",
        compute=ledger_readiness,
        description=_("覆盖该辖区的创建项目中资料已完备的标准小项 / 涉及该辖区的标准小项 × 100（按当前台账）"),
        order=10,
    ),
    FigureSource(
        key="campaigns.tasks_overdue",
        permission="campaigns.task",
        label=_("逾期未完成任务"),
        unit="项",
        compute=tasks_overdue,
        description=_("辖区内至统计期末（期间未结束时至今日）已过完成时限仍未完成的创建任务数"),
        order=20,
    ),
    FigureSource(
        key="campaigns.tasks_done",
        permission="campaigns.task",
        label=_("完成创建任务"),
        unit="项",
        compute=tasks_done,
        description=_("辖区内统计期内完成的创建任务数（按完成时间）"),
        order=30,
    ),
]
