"""Reads of plans and activities, always restricted to what the user may see, and the
开课率 feed: sessions planned and held per (kind, month) for a jurisdiction's subtree."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from apps.organization.models import Jurisdiction

from .. import course_rate
from ..choices import EduKind, EduStatus
from ..filters.activities import EducationActivityFilterSet
from ..models import BoardUpdate, EducationActivity, EducationPlan, MaterialLine, PlanTarget


def activity_list(*, user, filters=None) -> QuerySet[EducationActivity]:
    qs = EducationActivity.objects.restrict(user).select_related("jurisdiction", "organiser_unit")
    return EducationActivityFilterSet.apply(qs, filters, user=user).order_by("-held_on", "-id")


def activity_detail_qs():
    return EducationActivity.objects.select_related("jurisdiction", "organiser_unit", "created_by").prefetch_related(
        "materials", "photos"
    )


def plan_list(*, user) -> QuerySet[EducationPlan]:
    return EducationPlan.objects.restrict(user).select_related("jurisdiction").order_by("-year", "jurisdiction__path")


def held_counts(*, user, node: Jurisdiction, year: int, exclude_paths=()) -> dict[tuple[str, int], int]:
    """Held activities per (kind, month) in the subtree (less the subtrees `exclude_paths`);
    宣传栏更新 counted from board updates."""
    acts = EducationActivity.objects.restrict(user).filter(
        jurisdiction__path__startswith=node.path, held_on__year=year, status=EduStatus.HELD
    )
    board_updates = BoardUpdate.objects.filter(board__jurisdiction__path__startswith=node.path, updated_on__year=year)
    for path in exclude_paths:
        acts = acts.exclude(jurisdiction__path__startswith=path)
        board_updates = board_updates.exclude(board__jurisdiction__path__startswith=path)
    acts = acts.annotate(m=ExtractMonth("held_on")).values("kind", "m").annotate(n=Count("id")).order_by()
    counts = {(r["kind"], r["m"]): r["n"] for r in acts}
    boards = board_updates.annotate(m=ExtractMonth("updated_on")).values("m").annotate(n=Count("id")).order_by()
    for r in boards:
        counts[(EduKind.BOARD.value, r["m"])] = r["n"]
    return counts


def has_plan(*, user, node: Jurisdiction, year: int) -> bool:
    return EducationPlan.objects.restrict(user).filter(jurisdiction__path__startswith=node.path, year=year).exists()


def subtree_counts(*, user, node: Jurisdiction, year: int):
    """({plan path: {(kind, month): planned}}, {(path, kind, month): held}) of the subtree: four
    aggregate queries, fed to course_rate.subtree_rate (each activity counts for the deepest plan
    covering it)."""
    plans = EducationPlan.objects.restrict(user).filter(jurisdiction__path__startswith=node.path, year=year)
    planned: dict[str, dict] = {}  # a plan without targets plans nothing: left out
    for r in PlanTarget.objects.filter(plan__in=plans.values("pk")).values(
        "plan__jurisdiction__path", "kind", "month", "planned"
    ):
        planned.setdefault(r["plan__jurisdiction__path"], {})[(r["kind"], r["month"])] = r["planned"]
    held = {
        (r["jurisdiction__path"], r["kind"], r["m"]): r["n"]
        for r in EducationActivity.objects.restrict(user)
        .filter(jurisdiction__path__startswith=node.path, held_on__year=year, status=EduStatus.HELD)
        .annotate(m=ExtractMonth("held_on"))
        .values("jurisdiction__path", "kind", "m")
        .annotate(n=Count("id"))
        .order_by()
    }
    for r in (
        BoardUpdate.objects.filter(board__jurisdiction__path__startswith=node.path, updated_on__year=year)
        .annotate(m=ExtractMonth("updated_on"))
        .values("board__jurisdiction__path", "m")
        .annotate(n=Count("id"))
        .order_by()
    ):
        held[(r["board__jurisdiction__path"], EduKind.BOARD.value, r["m"])] = r["n"]
    return planned, held


def rate_table(*, user, node: Jurisdiction, year: int) -> dict:
    planned, held = subtree_counts(user=user, node=node, year=year)
    table = course_rate.subtree_year_table(planned, held)
    table["planned"], table["held"] = planned, held
    return table


def plan_held_counts(*, plan, user) -> dict[tuple[str, int], int]:
    """What a plan's page counts as held: its jurisdiction's subtree, less the subtrees that have
    their own plan that year (a street's plan is met by the street's own activities and those of
    communities without a plan; a community with a plan counts against its own)."""
    below = (
        EducationPlan.objects.filter(jurisdiction__path__startswith=plan.jurisdiction.path, year=plan.year)
        .exclude(pk=plan.pk)
        .values_list("jurisdiction__path", flat=True)
    )
    return held_counts(user=user, node=plan.jurisdiction, year=plan.year, exclude_paths=list(below))


def plan_grid(*, plan, user, held=None) -> list[dict]:
    """Rows of the plan page: each kind with, per month, planned and held, and the kind's year."""
    planned = {(t.kind, t.month): t.planned for t in plan.targets.all()}
    held = plan_held_counts(plan=plan, user=user) if held is None else held
    rows = []
    for kind, label in EduKind.choices:
        cells = [(planned.get((kind, m), 0), held.get((kind, m), 0)) for m in range(1, 13)]
        if not any(p or h for p, h in cells):
            continue
        rows.append(
            {
                "kind": kind,
                "label": label,
                "cells": cells,
                "planned": sum(p for p, _h in cells),
                "held": sum(h for _p, h in cells),
            }
        )
    return rows


def home_node(user) -> Jurisdiction | None:
    if user.jurisdiction_id:
        return user.jurisdiction
    return Jurisdiction.objects.restrict(user).order_by("depth", "path").first()


def year_totals(*, user, node: Jurisdiction, year: int) -> dict:
    """Held activities, 人次 and materials (copies by title) of the year in the subtree."""
    held = EducationActivity.objects.restrict(user).filter(
        jurisdiction__path__startswith=node.path, held_on__year=year, status=EduStatus.HELD
    )
    totals = held.aggregate(n=Count("id"), people=Sum("attendance"))
    materials = list(
        MaterialLine.objects.filter(activity__in=held.values("pk"))
        .values("title", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("-quantity", "title")
    )
    return {
        "held": totals["n"] or 0,
        "attendance": totals["people"] or 0,
        "materials": materials,
        "copies": sum(m["quantity"] for m in materials),
    }


def upcoming(*, user, node: Jurisdiction, today: date | None = None, limit: int = 8):
    today = today or timezone.localdate()
    return (
        EducationActivity.objects.restrict(user)
        .filter(jurisdiction__path__startswith=node.path, status=EduStatus.PLANNED, held_on__gte=today)
        .select_related("jurisdiction")
        .order_by("held_on", "id")[:limit]
    )
