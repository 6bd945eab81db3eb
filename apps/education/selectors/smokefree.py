"""Reads of the smoke-free places: the filtered list with each place's last check result."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from ..filters.smokefree import PlaceFilterSet
from ..models import SmokeFreeCheck, SmokeFreePlace


def place_list(*, user, filters=None) -> QuerySet[SmokeFreePlace]:
    last = SmokeFreeCheck.objects.filter(place=OuterRef("pk")).order_by("-checked_on", "-id")
    qs = (
        SmokeFreePlace.objects.restrict(user, "view")
        .filter(is_active=True)
        .select_related("jurisdiction")
        .annotate(
            last_result=Subquery(last.values("result")[:1]), last_checked_on=Subquery(last.values("checked_on")[:1])
        )
    )
    return PlaceFilterSet.apply(qs, filters, user=user).order_by("jurisdiction__path", "name", "id")
