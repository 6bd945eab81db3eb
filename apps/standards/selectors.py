"""Reads of standards: the list with its counts, and a version's tree in a handful of queries."""

from django.db.models import Count, Prefetch, Q

from .filters import StandardFilterSet
from .models import Standard, StandardItem, StandardSection, StandardVersion


def standard_list(*, user, filters: dict):
    """Standards the user may see, filtered, with versions, items of the current version and
    the campaigns running against any of its versions (`in_use_count`)."""
    qs = (
        Standard.objects.restrict(user, "view")
        .select_related("current_version")
        .annotate(
            version_count=Count("versions", distinct=True),
            item_count=Count("current_version__items", distinct=True),
            in_use_count=Count("versions__campaigns", distinct=True),
        )
        .order_by("kind", "name", "id")
    )
    return StandardFilterSet.apply(qs, filters, user=user)


def version_sections(version: StandardVersion | None) -> list[StandardSection]:
    """The sections of `version` with their items, each item's indicators and requirements."""
    if version is None:
        return []
    items = StandardItem.objects.prefetch_related("indicators", "requirements")
    return list(version.sections.prefetch_related(Prefetch("items", queryset=items)))


def version_history(standard: Standard) -> list[StandardVersion]:
    """The standard's versions, newest first, with how many campaigns use each."""
    return list(
        standard.versions.select_related("created_by")
        .annotate(campaign_count=Count("campaigns", distinct=True), item_count=Count("items", distinct=True))
        .order_by("-number")
    )


def version_summary(version: StandardVersion | None) -> dict:
    """Counts shown above a tree: items by kind, points, examples."""
    if version is None:
        return {}
    return version.items.aggregate(
        items=Count("id"),
        prerequisites=Count("id", filter=Q(kind="prerequisite")),
        scored=Count("id", filter=Q(kind="scored")),
        examples=Count("id", filter=Q(is_example=True)),
    )
