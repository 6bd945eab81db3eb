"""Reads of binders: a campaign's past binders the user may see, and the areas they may export."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.organization.models import Jurisdiction

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
    """The areas `user` may export of `campaign`: inside both the campaign's jurisdiction and the
    user's own (the deeper of the two and the levels below it)."""
    root = campaign.jurisdiction
    own = getattr(user, "jurisdiction", None)
    if user.role != "admin":
        if own is None:
            return Jurisdiction.objects.none()
        if own.path.startswith(root.path):
            root = own
        elif not root.path.startswith(own.path):
            return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__within=root.path, depth__lte=root.depth + AREA_DEPTH).order_by("path")
