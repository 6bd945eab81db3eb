"""The home panel of the community and the street: this week's Breteau index and risk per
community of the user's area: one query when nothing was visited this week (then no panel),
else the aggregate of selectors.week_rows without the grade (three more)."""

from django.urls import reverse
from django.utils import timezone

from ..models import HouseholdVisit
from ..selectors.aedes import week_rows
from ..services.aedes import week_start

SHOWN = 8


def this_week(request) -> dict | None:
    week = week_start(timezone.localdate())
    if not HouseholdVisit.objects.restrict(request.user, "view").filter(visited_on__gte=week).exists():
        return None  # one query on the many days nothing was visited
    rows = [r for r in week_rows(request.user, week, graded=False) if r.households]
    if not rows:
        return None
    rows.sort(key=lambda r: r.bi or 0, reverse=True)
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "week": week, "url": reverse("pestcontrol:aedes_home")}
