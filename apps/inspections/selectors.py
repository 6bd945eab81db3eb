"""Reads: lists scoped to the user, periods, and rankings computed from the stored scores.

A ranking is computed, never stored until published: the inspection component is the
average 百分制 score of the submitted sheets in the period (by `inspected_on`); closure
and recurrence come from the cases created in the period (the case statistics' rules:
按期结案率 = 按期结案数 / 应结案数). Every figure is one grouped query per component, folded
into the targets in Python, so a quarter of a city costs a handful of queries.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.statistics import period_next
from apps.core.exceptions import DomainError

from .choices import InspectionStatus, PeriodKind
from .models import Appeal, Inspection, InspectionPlan, PublishedRanking

ONE_DECIMAL = Decimal("0.1")


# Periods -------------------------------------------------------------------------------------


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The period of `kind` containing `day`. Fortnights start on Mondays of even ISO weeks' pairs
    counted from the first Monday of the year, so every office gets the same two-week grid."""
    if kind == PeriodKind.FORTNIGHT:
        first_monday = date(day.year, 1, 4) - timedelta(days=date(day.year, 1, 4).weekday())
        offset = (day - first_monday).days // 14
        start = first_monday + timedelta(days=14 * offset)
        return start, start + timedelta(days=13)
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        return start, period_next(start, "month") - timedelta(days=1)
    if kind == PeriodKind.QUARTER:
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        after = period_next(period_next(period_next(start, "month"), "month"), "month")
        return start, after - timedelta(days=1)
    if kind == PeriodKind.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise DomainError(_("未知的评比周期。"))


def previous_period(kind: str, start: date) -> tuple[date, date]:
    return period_bounds(kind, start - timedelta(days=1))


def period_label(kind: str, start: date, end: date) -> str:
    if kind == PeriodKind.MONTH:
        return _("{year}年{month}月").format(year=start.year, month=start.month)
    if kind == PeriodKind.QUARTER:
        return _("{year}年第{quarter}季度").format(year=start.year, quarter=(start.month - 1) // 3 + 1)
    if kind == PeriodKind.YEAR:
        return _("{year}年度").format(year=start.year)
    return _("{start}至{end}").format(start=start.strftime("%Y.%m.%d"), end=end.strftime("%Y.%m.%d"))


# Lists ---------------------------------------------------------------------------------------


def inspection_list(*, user, filters: dict):
    qs = Inspection.objects.restrict(user, "view").select_related(
        "checklist__template", "target_unit", "target_jurisdiction", "inspector", "round__plan"
    )
    if filters.get("mine"):
        qs = qs.filter(inspector=user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        qs = qs.filter(
            Q(target_unit__name__icontains=filters["q"]) | Q(target_jurisdiction__name__icontains=filters["q"])
        )
    if str(filters.get("round", "")).isdigit():
        qs = qs.filter(round_id=filters["round"])
    return qs.order_by("status", "-inspected_on", "-id")


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


def appeal_list(*, user, status: str = ""):
    qs = Appeal.objects.restrict(user, "view").select_related(
        "inspection__target_unit", "inspection__target_jurisdiction", "result__item", "submitted_by"
    )
    return qs.filter(status=status) if status else qs


def published_list(*, user):
    return PublishedRanking.objects.restrict(user, "view").select_related("jurisdiction")


def today() -> date:
    return timezone.localdate()
