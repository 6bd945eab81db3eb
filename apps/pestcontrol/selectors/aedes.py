"""Reads of the Aedes household survey: the Breteau index per community and ISO week (one
aggregate over visits grouped by jurisdiction, rolled up to communities by path), CI and HI
beside it, the BI's grade from the control levels and the risk from the setting; the map
points; the weekly trend of a community; the pooled figure for an area and a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.organization.models import Jurisdiction

from .. import methods
from ..choices import Pest, PlaceType, RiskLevel
from ..grading import ThresholdCache
from ..models import HouseholdVisit, Survey
from ..services.aedes import COMMUNITY_LEVEL, aedes_setting, community_of, risk_of, week_start

HOUSEHOLD = methods.method(methods.HOUSEHOLD_METHOD)


@dataclass
class WeekRow:
    """One community's week: the pooled sums of its visits and the indices made from them."""

    community: Jurisdiction
    households: int = 0
    households_positive: int = 0
    containers_wet: int = 0
    containers_positive: int = 0
    indices: dict = field(default_factory=dict)
    grade: str | None = None
    risk: str | None = None

    def counts(self) -> dict:
        return {
            "households": self.households,
            "households_positive": self.households_positive,
            "containers_wet": self.containers_wet,
            "containers_positive": self.containers_positive,
        }

    @property
    def bi(self) -> Decimal | None:
        return self.indices.get("breteau_index")

    @property
    def risk_label(self) -> str:
        return str(RiskLevel(self.risk).label) if self.risk else ""

    @property
    def alarming(self) -> bool:
        return self.risk in (RiskLevel.HIGH, RiskLevel.SEVERE)


def visible_visits(user):
    return HouseholdVisit.objects.restrict(user, "view")


def area_communities(user, area: Jurisdiction | None = None) -> list[Jurisdiction]:
    """The communities of `area` (default: the user's own jurisdiction) inside the user's scope;
    a user below a community (a grid worker) gets that community."""
    base = area or user.jurisdiction
    if base is None:
        return []
    found = list(
        Jurisdiction.objects.filter(path__startswith=base.path, level__code=COMMUNITY_LEVEL)
        .select_related("parent")
        .order_by("path")
    )
    if not found:
        community = community_of(base)
        found = [community] if community is not None else []
    return found


def _roll_up(rows, communities: list[Jurisdiction]) -> dict[int, dict]:
    """Aggregate rows (by jurisdiction, with its path) → sums per community (by path prefix)."""
    by_path = {c.path: c.pk for c in communities}
    sums: dict[int, dict] = {}
    for row in rows:
        path = row["jurisdiction__path"]
        parts = path.strip("/").split("/")
        community_id = None
        for i in range(len(parts), 0, -1):
            community_id = by_path.get("/".join(parts[:i]) + "/")
            if community_id:
                break
        if community_id is None:
            continue
        target = sums.setdefault(community_id, dict.fromkeys(("households", "hp", "wet", "pos"), 0))
        for key in target:
            target[key] += int(row[key] or 0)
    return sums


def week_rows(
    user, week: date, area: Jurisdiction | None = None, cache: ThresholdCache | None = None, graded: bool = True
):
    """Every community of the area with its week's BI, CI, HI, BI grade (unless `graded` is
    False) and risk: the communities, one aggregate, the setting and the control level's
    version and limits (4–5 queries whatever the size)."""
    start = week_start(week)
    communities = area_communities(user, area)
    if not communities:
        return []
    prefix = (area or user.jurisdiction).path
    rows = list(
        visible_visits(user)
        .filter(visited_on__range=(start, start + timedelta(days=6)), jurisdiction__path__startswith=prefix)
        .values("jurisdiction_id", "jurisdiction__path")
        .annotate(
            households=Count("id"),
            hp=Count("id", filter=Q(containers_positive__gt=0)),
            wet=Sum("containers_wet"),
            pos=Sum("containers_positive"),
        )
        .order_by()
    )
    sums = _roll_up(rows, communities)
    setting = aedes_setting()
    thresholds = (cache or ThresholdCache()).for_date(Pest.MOSQUITO, start) if graded else None
    result = []
    for community in communities:
        s = sums.get(community.pk, {})
        row = WeekRow(
            community,
            households=s.get("households", 0),
            households_positive=s.get("hp", 0),
            containers_wet=s.get("wet", 0),
            containers_positive=s.get("pos", 0),
        )
        row.indices = HOUSEHOLD.compute(row.counts())
        row.grade = thresholds.grade("breteau_index", PlaceType.RESIDENTIAL, row.bi) if thresholds else None
        row.risk = risk_of(row.bi, setting)
        result.append(row)
    return result


def map_points(user, week: date, area: Jurisdiction | None = None, limit: int = 2000) -> list[dict]:
    """The week's visits with a point, positive ones flagged (newest first, capped)."""
    start = week_start(week)
    base = area or user.jurisdiction
    qs = visible_visits(user).filter(
        visited_on__range=(start, start + timedelta(days=6)), lat__isnull=False, lng__isnull=False
    )
    if base is not None:
        qs = qs.filter(jurisdiction__path__startswith=base.path)
    return [
        {
            "lat": float(v["lat"]),
            "lng": float(v["lng"]),
            "address": v["address"],
            "positive": v["containers_positive"],
            "wet": v["containers_wet"],
            "survey": v["survey_id"],
            "date": f"{v['visited_on']:%Y-%m-%d}",
        }
        for v in qs.order_by("-visited_on", "-id").values(
            "lat", "lng", "address", "containers_positive", "containers_wet", "survey_id", "visited_on"
        )[:limit]
    ]


def trend(user, community: Jurisdiction, weeks: int = 12, until: date | None = None) -> list[dict]:
    """The community's BI per ISO week for the last `weeks` weeks (one aggregate)."""
    last = week_start(until or timezone.localdate())
    first = last - timedelta(weeks=weeks - 1)
    rows = (
        visible_visits(user)
        .filter(visited_on__range=(first, last + timedelta(days=6)), jurisdiction__path__startswith=community.path)
        .values("visited_on")
        .annotate(households=Count("id"), pos=Sum("containers_positive"))
        .order_by()
    )
    by_week: dict[date, list[int]] = {}
    for row in rows:
        target = by_week.setdefault(week_start(row["visited_on"]), [0, 0])
        target[0] += row["households"]
        target[1] += int(row["pos"] or 0)
    points = []
    for i in range(weeks):
        start = first + timedelta(weeks=i)
        households, positive = by_week.get(start, [0, 0])
        bi = HOUSEHOLD.index("breteau_index").compute({"households": households, "containers_positive": positive})
        points.append(
            {
                "week": f"{start:%Y-%m-%d}",
                "label": f"W{start.isocalendar()[1]}",
                "households": households,
                "bi": float(bi) if bi is not None else None,
                "bi_text": str(bi) if bi is not None else "",
            }
        )
    return points


def household_surveys(user):
    return (
        Survey.objects.restrict(user, "view")
        .filter(method=methods.HOUSEHOLD_METHOD)
        .select_related("jurisdiction", "surveyor")
    )
