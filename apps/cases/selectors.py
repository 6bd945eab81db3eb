"""Reads of cases, always restricted to what the user may see."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES, CaseStatus
from .filters import CaseFilterSet, CaseMapFilterSet
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


def _holding(related_manager, rows: list) -> QuerySet:
    """The related queryset (still filtered to its owner) already holding `rows`, as
    prefetch_related leaves it: iterating costs no query, narrowing it queries as usual."""
    queryset = related_manager.all()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    return queryset


def case_as_reported(case: Case) -> Case:
    """A case just returned by `services.case_report`, ready for the detail shape without
    reading anything back: its history is the one report event and its photos are the ones
    attached to it (a new case has nothing else). Category and place are already on it."""
    event, photos = case.written_event, case.written_photos
    event._prefetched_objects_cache = {"photos": _holding(event.photos, photos)}
    case._prefetched_objects_cache = {"events": _holding(case.events, [event]), "photos": _holding(case.photos, photos)}
    return case


# What a row of the case list (page and export) shows besides the case itself.
LIST_RELATED = ("category", "category__parent", "jurisdiction", "assignee_unit", "assignee_staff")


def case_list(*, user, filters=None) -> QuerySet[Case]:
    """Cases the user may see, filtered by CaseFilterSet (apps/cases/filters.py).

    Invalid filters raise InvalidFilters (400 with messages on every channel), never ignored.
    The page takes its 50 ids from this queryset alone and loads them with `case_list_rows`
    (apps/core/keyset.py); the export reads it whole, with the related rows.
    """
    qs = Case.objects.restrict(user).select_related(*LIST_RELATED)
    return CaseFilterSet.apply(qs, filters, user=user).order_by("-created_at", "-id")


def case_list_rows(ids) -> QuerySet[Case]:
    """The rows of one list page (ids already chosen within the user's scope), with LIST_RELATED."""
    return Case.objects.filter(pk__in=ids).select_related(*LIST_RELATED).order_by()


def case_map_points(*, user, filters=None) -> QuerySet[Case]:
    """Cases with a location for the map: the list's filters, open cases unless a status is chosen."""
    qs = Case.objects.restrict(user).select_related("category", "category__parent").filter(lat__isnull=False)
    return CaseMapFilterSet.apply(qs, filters, user=user).order_by("-created_at", "-id")


def category_choices() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__sort", "sort", "id")
    )
