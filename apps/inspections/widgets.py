"""Home-page panels of inspections: an inspector's sheets, a unit's appeal windows and scores,
and the movement in the latest published ranking.

Every panel reads through `restrict()` (a unit sees only its own submitted sheets), so each
link it shows opens for the user; each costs one or two queries.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role

from .choices import AppealStatus, InspectionStatus
from .models import Appeal, Inspection, InspectionResult, PublishedRanking

LATEST = 10
SCORES = 5
MOVERS = 3  # risers and fallers shown per ranking
RANKINGS = 3  # rankings of the latest period shown


# Inspector -----------------------------------------------------------------------------------


def todays_sheets(request) -> dict | None:
    """My sheets to fill (待检查/检查中) in rounds already begun, overdue ones (the round's
    完成期限 passed) first and marked."""
    user = request.user
    if not user.can("inspections.inspection", "change"):
        return None
    today = timezone.localdate()
    scope = (
        Inspection.objects.restrict(user, "change")
        .filter(inspector=user, status__in=[InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS])
        .filter(Q(round__isnull=True) | Q(round__period_start__lte=today))
    )
    rows = list(
        scope.select_related("checklist__template", "target_unit", "target_jurisdiction", "round").order_by(
            "round__deadline", "id"
        )[:LATEST]
    )
    for sheet in rows:
        sheet.overdue = bool(sheet.round_id and sheet.round.deadline < today)
    counts = (
        {"total": len(rows), "overdue": sum(1 for sheet in rows if sheet.overdue)}
        if len(rows) < LATEST
        else scope.aggregate(total=Count("id"), overdue=Count("id", filter=Q(round__deadline__lt=today)))
    )
    return {**counts, "rows": rows, "all_url": reverse("inspections:inspection_list")}


# Unit contact --------------------------------------------------------------------------------


def appeal_windows(request) -> dict | None:
    """My unit's submitted sheets whose appeal deadline has not passed, with the deductions I may
    still appeal (each once: the rule of `appeal_submit`), and my appeals awaiting review."""
    user = request.user
    if user.role != Role.UNIT_CONTACT or not user.can("inspections.appeal", "add"):
        return None
    today = timezone.localdate()
    sheets = Inspection.objects.restrict(user).filter(appeal_until__gte=today)
    results = list(
        InspectionResult.objects.filter(inspection__in=sheets, deduction__gt=0, appeals__isnull=True)
        .select_related("inspection__checklist__template", "item")
        .order_by("inspection__appeal_until", "inspection_id", "item__sort", "item_id")
    )
    windows: dict[int, dict] = {}
    for result in results:
        window = windows.setdefault(result.inspection_id, {"sheet": result.inspection, "results": []})
        window["results"].append(result)
    pending = Appeal.objects.restrict(user).filter(status=AppealStatus.PENDING).count()
    return {
        "windows": list(windows.values()),
        "today": today,
        "pending": pending,
        "appeals_url": reverse("inspections:appeal_list"),
    }


def my_scores(request) -> dict | None:
    """The latest scores of my unit's submitted sheets."""
    user = request.user
    if user.role != Role.UNIT_CONTACT or not user.can("inspections.inspection", "view"):
        return None
    rows = list(
        Inspection.objects.restrict(user)
        .filter(status=InspectionStatus.SUBMITTED)
        .select_related("checklist__template")
        .order_by("-inspected_on", "-id")[:SCORES]
    )
    return {"rows": rows, "all_url": reverse("inspections:inspection_list")}


# Street, office, leader ------------------------------------------------------------------------


def _movers(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The biggest risers and fallers, each with `steps`, the number of places moved."""
    moved = [{**row, "steps": abs(row["movement"])} for row in rows if row.get("movement")]
    risers = sorted((r for r in moved if r["movement"] > 0), key=lambda r: (-r["movement"], r["rank"]))
    fallers = sorted((r for r in moved if r["movement"] < 0), key=lambda r: (r["movement"], r["rank"]))
    return risers[:MOVERS], fallers[:MOVERS]


def ranking_movement(request) -> dict | None:
    """Who rose and who fell in the latest published rankings (those of the latest period)."""
    user = request.user
    if not user.can("inspections.publishedranking", "view"):
        return None
    latest = list(
        PublishedRanking.objects.restrict(user)
        .only("id", "title", "period_kind", "period_start", "period_end", "level_label", "rows")
        .order_by("-period_start", "-id")[:RANKINGS]
    )
    latest = [ranking for ranking in latest if ranking.period_start == latest[0].period_start] if latest else []
    rankings = []
    for published in latest:
        risers, fallers = _movers(published.rows)
        rankings.append({"published": published, "risers": risers, "fallers": fallers, "ranked": len(published.rows)})
    return {"rankings": rankings, "ranking_url": reverse("inspections:ranking")}
