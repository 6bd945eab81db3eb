"""Reads of binders: a campaign's past binders the user may see, and the areas they may export."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.organization.models import Jurisdiction

from ..areas import areas_for
from ..models import BinderExport, Campaign

AREA_DEPTH = 2  # the area choice offers the common root and two levels below it (streets, communities)


def binder_list(*, user, campaign: Campaign) -> QuerySet[BinderExport]:
    return (
        BinderExport.objects.restrict(user, "view")
        .filter(campaign=campaign)
        .select_related("jurisdiction", "created_by")
        .order_by("-created_at", "-id")
    )


def binder_areas(*, user, campaign: Campaign) -> QuerySet[Jurisdiction]:
    """The areas `user` may export of `campaign`: their area of it (apps/campaigns/areas.py) and
    the levels below it."""
    return areas_for(user, campaign, depth=AREA_DEPTH)
