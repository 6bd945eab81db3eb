"""Reads: lists scoped to the user, periods, and rankings computed from the stored scores.

A ranking is computed, never stored until published: the inspection component is the
average 百分制 score of the submitted sheets in the period (by `inspected_on`); closure
and recurrence come from the cases created in the period (the case statistics' rules:
按期结案率 = 按期结案数 / 应结案数). Every figure is one grouped query per component, folded
into the targets in Python, so a quarter of a city costs a handful of queries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from .choices import InspectionStatus
from .filters import AppealFilterSet, InspectionFilterSet
from .models import Appeal, Inspection, InspectionPlan, PublishedRanking

ONE_DECIMAL = Decimal("0.1")


# Lists ---------------------------------------------------------------------------------------


def inspection_list(*, user, filters=None):
    """Sheets in the user's scope, filtered by InspectionFilterSet (invalid filters raise InvalidFilters)."""
    qs = Inspection.objects.restrict(user, "view").select_related(
        "checklist__template", "target_unit", "target_jurisdiction", "inspector", "round__plan"
    )
    return InspectionFilterSet.apply(qs, filters, user=user).order_by("status", "-inspected_on", "-id")


def my_open_inspections(user):
    return (
        Inspection.objects.restrict(user, "view")
        .filter(inspector=user)
        .exclude(status=InspectionStatus.SUBMITTED)
        .select_related("checklist__template", "target_unit", "target_jurisdiction", "round")
        .order_by("round__deadline", "id")
    )


def plan_list(*, user):
    return InspectionPlan.objects.restrict(user, "view").select_related("template", "jurisdiction")


def appeal_list(*, user, status: str = "", filters=None):
    """Appeals in scope; `filters` (the page's query) go through AppealFilterSet."""
    qs = Appeal.objects.restrict(user, "view").select_related(
        "inspection__target_unit", "inspection__target_jurisdiction", "result__item", "submitted_by"
    )
    qs = AppealFilterSet.apply(qs, filters, user=user)
    return qs.filter(status=status) if status else qs


def published_list(*, user):
    return PublishedRanking.objects.restrict(user, "view").select_related("jurisdiction")


def today() -> date:
    return timezone.localdate()
