"""Reads of the task breakdown: a campaign's table, my tasks, and the area roll-up (区域任务表)."""

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from apps.organization.models import Jurisdiction

from ..choices import TaskStatus
from ..models import Campaign, Task
from ..workflow import mine_q
from .campaigns import open_q, overdue_q


def _base(user) -> QuerySet[Task]:
    return Task.objects.restrict(user, "view").select_related(
        "campaign", "item__section", "jurisdiction", "group", "unit", "assignee"
    )


def task_table(*, user, campaign: Campaign, filters: dict | None = None) -> QuerySet[Task]:
    """A campaign's 任务分解表 as the user sees it, in the standard's order (TaskFilterSet)."""
    from ..filters.tasks import TaskFilterSet

    qs = _base(user).filter(campaign=campaign)
    return TaskFilterSet.apply(qs, filters, user=user).order_by(
        "item__section__sort", "item__section__code", "item__sort", "item__code", "deadline", "id"
    )


def task_list(*, user, filters: dict | None = None) -> QuerySet[Task]:
    """Tasks across campaigns: all in scope (`mine=1` narrows to those given to me), filtered."""
    from ..filters.tasks import TaskFilterSet

    qs = _base(user)
    return TaskFilterSet.apply(qs, filters, user=user).order_by("deadline", "id")


def my_open_tasks(*, user) -> QuerySet[Task]:
    # The most urgent first; tasks without a deadline last (on every database).
    return _base(user).filter(mine_q(user), open_q()).order_by(F("deadline").asc(nulls_last=True), "id")


def rollup_campaigns(campaign: Campaign) -> list[int]:
    """This campaign and its sub-campaigns (a community's campaign that is part of this one)."""
    return [campaign.pk, *Campaign.objects.filter(parent=campaign).values_list("pk", flat=True)]


def area_rollup(*, user, campaign: Campaign, today=None) -> list[dict]:
    """The 区域任务表: per child jurisdiction of the campaign's (per community under a street) the
    tasks, done, overdue and average progress, plus a row for the campaign's own level.

    The tasks of the campaign's sub-campaigns (a community campaign with `parent` = this one) are
    counted under their area too, so a street sees its communities' own campaigns rolled up.
    Cancelled tasks are not counted. Three queries whatever the number of tasks: the children,
    the tasks grouped by area path, and the sub-campaigns."""
    today = today or timezone.localdate()
    children = list(
        Jurisdiction.objects.filter(parent=campaign.jurisdiction).order_by("code", "id").only("id", "name", "path")
    )
    grouped = (
        Task.objects.restrict(user, "view")
        .filter(campaign_id__in=rollup_campaigns(campaign))
        .exclude(status=TaskStatus.CANCELLED)
        .values("jurisdiction__path")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            progress_sum=Sum("progress"),
        )
    )
    rows = {child.path: {"area": child, "total": 0, "done": 0, "overdue": 0, "progress_sum": 0} for child in children}
    own = {"area": campaign.jurisdiction, "total": 0, "done": 0, "overdue": 0, "progress_sum": 0, "own": True}
    for line in grouped:
        path = line["jurisdiction__path"]
        target = next((row for prefix, row in rows.items() if path.startswith(prefix)), own)
        for key in ("total", "done", "overdue", "progress_sum"):
            target[key] += line[key] or 0
    result = [own, *rows.values()]
    for row in result:
        row["progress"] = round(row["progress_sum"] / row["total"]) if row["total"] else 0
        row["done_rate"] = round(100 * row["done"] / row["total"]) if row["total"] else 0
    return result


def overdue_by_area(*, user, today=None, limit: int = 10) -> list[dict]:
    """Overdue tasks in scope counted by area (the street/office/leader home panel): one query."""
    return list(
        Task.objects.restrict(user, "view")
        .filter(overdue_q(today), campaign__status__in=["planning", "active"])
        .values("jurisdiction_id", "jurisdiction__name")
        .annotate(count=Count("id"))
        .order_by("-count", "jurisdiction__name")[:limit]
    )
