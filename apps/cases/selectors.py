"""Reads of cases, always restricted to what the user may see."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES, CaseStatus
from .geo import degree_box, haversine_m
from .models import Case, Category


def _near(qs: QuerySet, lat, lng, radius_m: float) -> list[Case]:
    lat_lo, lat_hi, lng_lo, lng_hi = degree_box(lat, lng, radius_m)
    candidates = qs.filter(lat__gte=lat_lo, lat__lte=lat_hi, lng__gte=lng_lo, lng__lte=lng_hi)
    return [c for c in candidates if haversine_m(lat, lng, c.lat, c.lng) <= radius_m]


def case_recent_closed_same_place(*, category: Category, lat, lng, jurisdiction) -> Case | None:
    """The most recent case of this category closed here within CASE_RECURRENCE_DAYS (前清后涂)."""
    since = timezone.now() - timedelta(days=settings.CASE_RECURRENCE_DAYS)
    closed = Case.objects.filter(category=category, status=CaseStatus.CLOSED, closed_at__gte=since)
    if lat is not None:
        matches = _near(closed, lat, lng, settings.CASE_DUPLICATE_RADIUS_M)
    else:
        matches = list(closed.filter(jurisdiction=jurisdiction)[:20])
    return max(matches, key=lambda c: c.closed_at) if matches else None


def case_possible_duplicates(*, user, category: Category, lat, lng) -> list[Case]:
    """Open cases of the same category within CASE_DUPLICATE_RADIUS_M, offered for merging."""
    if lat is None or lng is None:
        return []
    qs = Case.objects.restrict(user).filter(category=category, status__in=OPEN_STATUSES).select_related("category")
    return _near(qs, lat, lng, settings.CASE_DUPLICATE_RADIUS_M)


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    filters = filters or {}
    qs = Case.objects.restrict(user).select_related(
        "category", "category__parent", "jurisdiction", "assignee_unit", "assignee_staff"
    )
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.filter(status=CaseStatus.DISPATCHED, deadline_at__lt=timezone.now())
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    if filters.get("category") and str(filters["category"]).isdigit():
        qs = qs.filter(Q(category_id=filters["category"]) | Q(category__parent_id=filters["category"]))
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("jurisdiction") and str(filters["jurisdiction"]).isdigit():
        from apps.organization.models import Jurisdiction

        node = Jurisdiction.objects.restrict(user).filter(pk=filters["jurisdiction"]).first()
        qs = qs.filter(jurisdiction__path__within=node.path) if node else qs.none()
    if filters.get("unit") == "none":
        qs = qs.filter(assignee_unit__isnull=True)
    elif filters.get("unit") and str(filters["unit"]).isdigit():
        qs = qs.filter(assignee_unit_id=filters["unit"])
    if filters.get("jurisdiction_only") and str(filters["jurisdiction_only"]).isdigit():
        qs = qs.filter(jurisdiction_id=filters["jurisdiction_only"])
    qs = _statistics_filters(qs, filters)
    if filters.get("recurrence"):
        qs = qs.filter(is_recurrence=True)
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(code__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text))
    return qs.order_by("-created_at", "-id")


def _day_start(text: str):
    """Local midnight of an ISO date, or None for anything else."""
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _statistics_filters(qs: QuerySet, filters: dict) -> QuerySet:
    """The filters behind each figure of the statistics page (see statistics.case_filter_for)."""
    start = _day_start(filters.get("created_from", ""))
    if start:
        qs = qs.filter(created_at__gte=start)
    end = _day_start(filters.get("created_to", ""))
    if end:
        qs = qs.filter(created_at__lt=end + timedelta(days=1))
    flags = {
        "registered": Q(registered_at__isnull=False),
        "dispatched": Q(dispatched_at__isnull=False),
        "handled_on_time": Q(handled_on_time=True),
        "closed_on_time": Q(closed_on_time=True),
        "reworked": Q(rework_count__gt=0),
    }
    for key, condition in flags.items():
        if filters.get(key):
            qs = qs.filter(condition)
    if filters.get("due"):
        due_by = _day_start(filters.get("due_by", ""))
        limit = min(due_by + timedelta(days=1), timezone.now()) if due_by else timezone.now()
        qs = qs.filter(Q(status=CaseStatus.CLOSED) | Q(deadline_at__lt=limit))
    return qs


def category_choices() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__sort", "sort", "id")
    )
