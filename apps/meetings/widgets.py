"""Home panels: 今日会议 (meetings I am invited to in the next days, with my sign-in) and
议定事项到期 (open decisions in my scope due within a week or overdue). A query or two each."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from .selectors import decisions_due, my_meetings_today

LATEST = 8


def my_meetings(request) -> dict | None:
    user = request.user
    if not user.can("meetings.meeting", "view"):
        return None
    rows = my_meetings_today(user=user)
    if not rows:
        return None
    today = timezone.localdate()
    for row in rows:
        row.is_today = timezone.localdate(row.meeting.starts_at) == today
    return {"rows": rows, "all_url": reverse("meetings:meeting_list") + "?mine=1"}


def due_decisions(request) -> dict | None:
    user = request.user
    if not user.can("meetings.decision", "view"):
        return None
    rows = list(decisions_due(user=user)[: LATEST + 1])
    if not rows:
        return None
    return {
        "rows": rows[:LATEST],
        "more": len(rows) > LATEST,
        "all_url": reverse("meetings:decision_list") + "?" + urlencode({"status": "open"}),
    }
