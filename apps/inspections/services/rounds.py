"""Plans and rounds: a plan's targets, the seeded sample drawn for a round, and the sheets it opens."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import Role
from apps.core.services import tracked_create, tracked_update
from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, Unit
from apps.worktime.periods import period_bounds

from ..choices import PlanKind, SampleMode, TargetKind
from ..models import (
    Inspection,
    InspectionPlan,
    InspectionRound,
)
from .common import INSPECTORS, acting_user, judges_own_work

PLAN_FIELDS = ["name", "jurisdiction", "template", "kind", "sample_mode", "sample_count", "sample_share", "is_active"]


def _check_plan(actor, data: dict) -> None:
    ensure_jurisdiction_in_scope(actor, data["jurisdiction"])
    for inspector in data.get("inspectors") or []:
        if inspector.role not in INSPECTORS or not inspector.is_active:
            raise DomainError(_("{name} 不能担任检查人员。").format(name=inspector.display_name))
    template = data["template"]
    if template.current_version is None or not template.current_version.items.exists():
        raise DomainError(_("所选检查表还没有检查项目。"))


@transaction.atomic
def plan_create(*, actor, data: dict) -> InspectionPlan:
    ensure_role_allows(actor, InspectionPlan, "add")
    _check_plan(actor, data)
    plan = InspectionPlan(
        created_by=acting_user(actor), **{name: data.get(name) for name in PLAN_FIELDS if name in data}
    )
    tracked_create(obj=plan, actor=actor, action="inspections.inspectionplan.created", fields=PLAN_FIELDS)
    plan.unit_types.set(data.get("unit_types") or [])
    plan.inspectors.set(data.get("inspectors") or [])
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, data: dict, expected_version: int | None) -> InspectionPlan:
    ensure_in_scope(actor, plan, "change")
    _check_plan(actor, data)
    plan = tracked_update(
        obj=plan,
        actor=actor,
        changes={name: data[name] for name in PLAN_FIELDS if name in data},
        expected_version=expected_version,
        action="inspections.inspectionplan.updated",
    )
    plan.unit_types.set(data.get("unit_types") or [])
    plan.inspectors.set(data.get("inspectors") or [])
    return plan


def default_round_dates(kind: str, day: date) -> tuple[date, date, date]:
    """(start, end, deadline) of the round of `kind` that contains `day`."""
    if kind == PlanKind.DAILY:
        return day, day, day
    if kind == PlanKind.TWICE_WEEKLY:  # Monday–Wednesday and Thursday–Sunday
        monday = day - timedelta(days=day.weekday())
        start, end = (
            (monday, monday + timedelta(days=2))
            if day.weekday() < 3
            else (
                monday + timedelta(days=3),
                monday + timedelta(days=6),
            )
        )
        return start, end, end
    period = "quarter" if kind == PlanKind.QUARTERLY else "month"
    start, end = period_bounds(period, day)
    return start, end, end


def plan_targets(plan: InspectionPlan) -> dict[str, list]:
    """Candidate targets grouped by kind label: units by type, or the jurisdictions of the template's level."""
    template = plan.template
    if template.target_kind == TargetKind.JURISDICTION:
        nodes = Jurisdiction.objects.filter(path__within=plan.jurisdiction.path, level=template.level).order_by("id")
        return {str(template.level): list(nodes)}
    types = list(plan.unit_types.all()) or list(template.unit_types.all())
    units = (
        Unit.objects.filter(jurisdiction__path__within=plan.jurisdiction.path, unit_type__in=types)
        .exclude(status=UnitStatus.CANCELLED)
        .select_related("unit_type", "jurisdiction")
        .order_by("id")
    )
    grouped: dict[str, list] = {str(t): [] for t in types}
    for unit in units:
        grouped[str(unit.unit_type)].append(unit)
    return grouped


def draw_sample(groups: dict[str, list], *, mode: str, count: int | None, share: int | None, seed: int) -> dict:
    """Draw per group; the same seed and candidates always give the same targets.

    Each group gets its own generator seeded with (seed, group name), so adding a unit of
    one type does not change the draw of another. Candidates are ordered by id first.
    """
    drawn = {}
    for name in sorted(groups):
        population = sorted(groups[name], key=lambda obj: obj.pk)
        if mode == SampleMode.ALL:
            k = len(population)
        elif mode == SampleMode.COUNT:
            k = min(count or 0, len(population))
        else:
            k = min(len(population), max(1, round(len(population) * (share or 0) / 100))) if population else 0
        rng = random.Random(f"{seed}:{name}")
        drawn[name] = sorted(rng.sample(population, k), key=lambda obj: obj.pk)
    return drawn


def _may_be_assigned(user, unit: Unit | None, place: Jurisdiction) -> bool:
    """An inspector gets a sheet only inside their own area, and never for their own work."""
    in_area = user.role == Role.ADMIN or (user.jurisdiction_id and place.path.startswith(user.jurisdiction.path))
    return bool(in_area) and not judges_own_work(user, unit, place)


@transaction.atomic
def round_open(
    *, actor, plan: InspectionPlan, period_start: date, period_end: date, deadline: date, seed: int | None = None
) -> InspectionRound:
    """Open a round: draw the targets (seed recorded) and give each sheet an inspector in turn."""
    ensure_in_scope(actor, plan, "change")
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)  # one round number at a time
    if not plan.is_active:
        raise DomainError(_("该检查计划已停用。"))
    version = plan.template.current_version
    if version is None or not version.items.exists():
        raise DomainError(_("所选检查表还没有检查项目。"))
    inspectors = list(plan.inspectors.filter(is_active=True).select_related("jurisdiction").order_by("id"))
    if not inspectors:
        raise DomainError(_("请先为检查计划指定检查人员。"))
    seed = seed if seed is not None else secrets.randbelow(10**9)
    drawn = draw_sample(
        plan_targets(plan), mode=plan.sample_mode, count=plan.sample_count, share=plan.sample_share, seed=seed
    )
    targets = [target for group in drawn.values() for target in group]
    if not targets:
        raise DomainError(_("检查范围内没有符合条件的检查对象。"))
    number = (plan.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    sampling = [
        {"group": name, "candidates": len(group), "drawn": len(drawn[name])}
        for name, group in sorted(plan_targets(plan).items())
    ]
    round_ = InspectionRound(
        plan=plan,
        number=number,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        seed=seed,
        sampling=sampling,
        created_by=acting_user(actor),
    )
    tracked_create(
        obj=round_,
        actor=actor,
        action="inspections.inspectionround.created",
        fields=["number", "period_start", "period_end", "deadline", "seed"],
    )
    sheets = []
    for turn, target in enumerate(targets):
        unit = target if isinstance(target, Unit) else None
        place = unit.jurisdiction if unit else target
        choices = [user for user in inspectors if _may_be_assigned(user, unit, place)]
        inspector = choices[turn % len(choices)] if choices else None
        sheets.append(
            Inspection(
                round=round_,
                checklist=version,
                target_unit=unit,
                target_jurisdiction=place,
                inspector=inspector,
                max_total=version.max_total,
            )
        )
    Inspection.objects.bulk_create(sheets)
    return round_


@transaction.atomic
def rounds_open_due(*, today: date | None = None) -> int:
    """Beat task: open the next round of every active recurring plan whose last round has ended."""
    today = today or timezone.localdate()
    opened = 0
    for plan in InspectionPlan.objects.filter(is_active=True).exclude(kind=PlanKind.UNANNOUNCED):
        last = plan.rounds.order_by("-period_end").first()
        if last is not None and last.period_end >= today:
            continue
        if last is None:
            continue  # the first round is opened by a person, who checks the sample
        start, end, deadline = default_round_dates(plan.kind, today)
        try:
            round_open(actor=None, plan=plan, period_start=start, period_end=end, deadline=deadline)
            opened += 1
        except DomainError:
            continue
    return opened
