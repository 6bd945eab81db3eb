"""Home panels of the task breakdown: 我的创卫任务 (anyone with tasks) and overdue tasks by area
(streets, the office and leaders). Each costs one or two queries whatever the number of tasks."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from ..selectors.tasks import my_open_tasks, overdue_by_area

LATEST = 8


def my_tasks(request) -> dict | None:
    """My open tasks, soonest deadline first, with overdue marks; None when I have none."""
    user = request.user
    if not user.can("campaigns.task", "view"):
        return None
    rows = list(my_open_tasks(user=user)[: LATEST + 1])
    if not rows:
        return None
    today = timezone.localdate()
    for task in rows:
        task.overdue = bool(task.deadline and task.deadline < today)
        task.due_soon = bool(task.deadline and not task.overdue and (task.deadline - today).days <= 3)
    return {
        "rows": rows[:LATEST],
        "more": len(rows) > LATEST,
        "all_url": reverse("campaigns:task_list") + "?" + urlencode({"mine": "1", "status": "open"}),
    }


def overdue_areas(request) -> dict | None:
    """Overdue tasks counted by area, worst first; None when nothing is overdue."""
    user = request.user
    if not user.can("campaigns.task", "view"):
        return None
    rows = overdue_by_area(user=user)
    if not rows:
        return None
    base = reverse("campaigns:task_list")
    for row in rows:
        row["url"] = base + "?" + urlencode({"area": row["jurisdiction_id"], "overdue": "1"})
    return {"rows": rows, "total": sum(r["count"] for r in rows)}
