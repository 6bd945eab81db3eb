"""The home panel of the community and the street: this week's Breteau index and risk per
community of the user's area (the aggregate of selectors.week_rows: a handful of queries).
None when no household was visited this week."""

from django.urls import reverse
from django.utils import timezone

from ..selectors.aedes import week_rows
from ..services.aedes import week_start

SHOWN = 8


def this_week(request) -> dict | None:
    week = week_start(timezone.localdate())
    rows = [r for r in week_rows(request.user, week) if r.households]
    if not rows:
        return None
    rows.sort(key=lambda r: r.bi or 0, reverse=True)
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "week": week, "url": reverse("pestcontrol:aedes_home")}
