"""The overview of pest control (除四害): the app's one menu entry. For the user's area it shows
the year's grade per pest (surveys part), this week's Breteau index and risk of the area's
communities (aedes part), the month's operations and expiring stock (operations part) and the
latest alerts; each block links to its part's page and is left out for a role that may not open
that page. A handful of aggregate queries, whatever the area's size."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from apps.core.views_base import requires
from apps.organization.models import Jurisdiction

from ..choices import Pest, RiskLevel
from ..grading import ThresholdCache
from ..models import Survey, VectorAlert
from ..selectors import aedes as aedes_selectors
from ..selectors.grades import area_grades, period_thresholds
from ..services.aedes import week_start
from ..widgets import operations as operations_widget

RISKY = (RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.SEVERE)


@requires("pestcontrol.survey", "view")
def overview(request):
    user = request.user
    today = timezone.localdate()
    node = user.jurisdiction or Jurisdiction.objects.restrict(user).order_by("depth", "path").first()
    context = {"tab": "home", "node": node, "today": today, "year": today.year}
    if node is not None:
        context["grades"] = _grades(user, node, date(today.year, 1, 1), today)
    if user.can("pestcontrol.householdvisit", "view") and node is not None:
        context["aedes"] = _aedes(user, node, today)
        context["alerts"] = list(
            VectorAlert.objects.restrict(user).filter(week_start__year=today.year).select_related("jurisdiction")[:5]
        )
    if user.can("pestcontrol.operation", "view") and user.can("pestcontrol.store", "view"):
        context["operations"] = operations_widget.month(request, always=True)
    return render(request, "pestcontrol/home.html", context)


def _grades(user, node, start, end) -> list[dict]:
    cache = ThresholdCache()
    thresholds = period_thresholds(cache, end)
    found = area_grades(node.path, start, end, thresholds=thresholds, base=Survey.objects.restrict(user))
    rows = []
    for pest, label in Pest.choices:
        version = cache.version_on(pest, end)
        rows.append(
            {
                "pest": pest,
                "label": label,
                "grade": found[pest].grade,
                "place": found[pest].place,
                "example": version is not None and version.is_example,
            }
        )
    return rows


def _aedes(user, node, today) -> dict:
    rows = aedes_selectors.week_rows(user, today, node if user.jurisdiction_id != node.pk else None)
    surveyed = [row for row in rows if row.households]
    risky = sorted((row for row in surveyed if row.risk in RISKY), key=lambda row: row.bi or 0, reverse=True)
    return {
        "week": week_start(today),
        "communities": len(rows),
        "surveyed": len(surveyed),
        "households": sum(row.households for row in surveyed),
        "risky": risky[:8],
        "risky_count": len(risky),
    }
